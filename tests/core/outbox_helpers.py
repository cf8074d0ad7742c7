"""Helpers of the outbox tests: queue one email, read the rows."""

from __future__ import annotations

from baerekraft_hub.core.outbox import (
    OutboxMessage,
    queue_email,
)


def queue_one(key: str = "k1", to: str = "kari@example.no", **extra) -> OutboxMessage | None:
    values = {
        "to": to,
        "template": "confirm_email",
        "context": {"name": "Kari", "url": "http://localhost/bekreft/x/"},
        "language": "nb",
        "dedup_key": key,
    }
    values.update(extra)
    return queue_email(**values)


def rows_of(db) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))
