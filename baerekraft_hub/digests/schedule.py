"""The worker sends each period's digests once its sending time (Oslo) has come."""

from __future__ import annotations

from flask import Flask

from baerekraft_hub.core.worker import register_task


def _send_due() -> str:
    from baerekraft_hub.core.outbox import deliver_all
    from baerekraft_hub.digests.runner import send_due_digests

    result = send_due_digests()
    if result:
        result += f"; delivery: {deliver_all(due_only=True)}"
    return result


def init_app(app: Flask) -> None:
    register_task("digests", _send_due, every_seconds=app.config["WORKER_DIGESTS_EVERY_SECONDS"])
