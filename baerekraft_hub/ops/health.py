"""The readiness checks behind `/readyz`: database, migrations, search, Redis, the outbox.

Each check returns None when all is well, or a short reason. They run side by side in
threads, under one deadline (`READYZ_TIMEOUT_SECONDS`): a database that does not answer makes
its check fail "timed out" instead of holding the load balancer's probe until it gives up.
Reasons name the kind of failure, never connection strings or server messages: the endpoint
is public.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import timedelta
from functools import cache
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import func, text

from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox import OutboxMessage, OutboxStatus
from baerekraft_hub.extensions import db
from baerekraft_hub.search.changes import search_engine

Check = Callable[[], str | None]
# Threads outlive a timed-out check (a hung connect cannot be interrupted); a small shared
# pool keeps a flood of probes against a dead database from piling up threads.
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="readyz")


@cache
def migration_heads(directory: str) -> frozenset[str]:
    """The revisions at the head of the migration scripts (read once per process)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def check_database() -> str | None:
    with db.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return None


def check_migrations() -> str | None:
    directory = current_app.extensions["migrate"].directory
    with db.engine.connect() as connection:
        current = set(connection.scalars(text("SELECT version_num FROM alembic_version")))
    if current != migration_heads(str(Path(directory))):
        return "database is not at the newest migration: run `flask db upgrade`"
    return None


def check_search() -> str | None:
    """The configured backend can be searched (an index folder, or the documents table)."""
    health = search_engine().health()
    if health["available"] is not True:  # the cause is in the log, not in this public answer
        backend = current_app.config.get("SEARCH_BACKEND", "whoosh")
        return f"search index unavailable ({backend}): run `flask search reindex`"
    return None


def check_redis() -> str | None:
    import redis

    client = redis.Redis.from_url(
        current_app.config["REDIS_URL"], socket_connect_timeout=1, socket_timeout=1
    )
    try:
        client.ping()
    finally:
        client.close()
    return None


def oldest_pending_email_age() -> float | None:
    """Seconds since the oldest email still waiting to go out was queued (None: none)."""
    unsent = (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)
    oldest = db.session.scalar(
        db.select(func.min(OutboxMessage.created_at)).where(OutboxMessage.status.in_(unsent))
    )
    if oldest is None:
        return None
    if oldest.tzinfo is None:  # SQLite hands back naive datetimes
        oldest = oldest.replace(tzinfo=utcnow().tzinfo)
    return max(0.0, (utcnow() - oldest).total_seconds())


def check_outbox() -> str | None:
    limit = current_app.config["READYZ_OUTBOX_MAX_AGE_SECONDS"]
    age = oldest_pending_email_age()
    if limit and age is not None and age > limit:
        waited = timedelta(seconds=int(age))
        return f"the oldest pending email has waited {waited}: is the worker running?"
    return None


def readiness_checks(app: Flask) -> dict[str, Check]:
    """The checks that apply to this deployment, by name."""
    checks: dict[str, Check] = {
        "database": check_database,
        "migrations": check_migrations,
        "search": check_search,
        "outbox": check_outbox,
    }
    if app.config.get("REDIS_URL"):
        checks["redis"] = check_redis
    return checks


def _run_in_context(app: Flask, check: Check) -> tuple[str | None, float]:
    started = time.monotonic()
    with app.app_context():
        try:
            reason = check()
        except Exception as error:  # any failure is an answer, never a 500
            reason = f"failed: {type(error).__name__}"
        finally:
            db.session.remove()
    return reason, round((time.monotonic() - started) * 1000, 1)


def run_checks(app: Flask) -> dict[str, dict[str, object]]:
    """Every check's outcome: {"ok": bool, "ms": float, "error": reason (when not ok)}."""
    timeout = float(app.config["READYZ_TIMEOUT_SECONDS"])
    deadline = time.monotonic() + timeout
    futures = {
        name: _pool.submit(_run_in_context, app, check)
        for name, check in readiness_checks(app).items()
    }
    results: dict[str, dict[str, object]] = {}
    for name, future in futures.items():
        try:
            reason, ms = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            reason, ms = "timed out", timeout * 1000
        outcome: dict[str, object] = {"ok": reason is None, "ms": ms}
        if reason is not None:
            outcome["error"] = reason
        results[name] = outcome
    return results
