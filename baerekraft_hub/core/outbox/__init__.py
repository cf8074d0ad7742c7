"""The outbox: every email is a row written in the transaction that causes it, sent after commit.

`queue_email` renders the message in the recipient's language and adds its row (flush, never
commit). Requests never talk to SMTP: a mail server that hangs must not hold a web worker.
`flask worker` looks for due rows every second (one indexed query) and delivers them with
`deliver_pending`, which retries failures with back-off; `flask outbox deliver` does it by
hand. A unique de-duplication key means a rerun never queues the same email twice; claiming
rows with a conditional UPDATE means two deliverers never send the same row twice; a crash
between commit and delivery loses nothing.

The package: `models` (the tables), `message` (templates and MIME), `queueing` (rows in the
transaction), `delivery` (the deliverer and the worker's task).
"""

from __future__ import annotations

from flask import Flask

from baerekraft_hub.core.outbox.delivery import (
    DeliveryReport,
    anything_to_deliver,
    deliver_all,
    deliver_due,
    deliver_pending,
    unsent_count,
)
from baerekraft_hub.core.outbox.message import HeaderInjectionError, render_email
from baerekraft_hub.core.outbox.models import OutboxBody, OutboxMessage, OutboxStatus
from baerekraft_hub.core.outbox.queueing import Email, forget_user, queue_email, queue_emails


def init_app(app: Flask) -> None:
    """Register the worker's delivery task."""
    from baerekraft_hub.core.worker import register_task

    register_task("outbox", deliver_due, every_seconds=app.config["WORKER_OUTBOX_EVERY_SECONDS"])


__all__ = [
    "DeliveryReport",
    "Email",
    "HeaderInjectionError",
    "OutboxBody",
    "OutboxMessage",
    "OutboxStatus",
    "anything_to_deliver",
    "deliver_all",
    "deliver_due",
    "deliver_pending",
    "forget_user",
    "queue_email",
    "queue_emails",
    "render_email",
    "unsent_count",
]
