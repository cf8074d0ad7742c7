"""Retention: what the platform stops keeping, run by the worker every hour.

- accounts never confirmed, `RETENTION_UNCONFIRMED_ACCOUNTS_DAYS` (14) after registration,
  deleted as their owner would delete them (memberships asked for, unsent emails);
- the bodies of delivered emails, `RETENTION_EMAIL_BODIES_DAYS` (30) after sending; the
  message's row (recipient, subject, status, times) stays as the record of what was sent;
- activity events, `RETENTION_ACTIVITY_EVENTS_DAYS` (730) after they happened.

A setting of 0 keeps everything of its kind. Rate-limit counters need no step: they expire
by themselves where they live (Redis keys with a TTL, the in-memory store's own timer). Each
run logs what it deleted, and each kind commits on its own (a failure keeps what was done).
The privacy page states the same periods, read from the same settings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask, current_app

from baerekraft_hub.accounts.models import User
from baerekraft_hub.accounts.services import remove_account
from baerekraft_hub.activity.models import ActivityEvent, EventSubject
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox import OutboxBody, OutboxMessage, OutboxStatus
from baerekraft_hub.extensions import db

log = logging.getLogger(__name__)
BATCH = 500  # rows deleted per statement, so a first run on a large database stays short


def delete_unconfirmed_accounts(before: datetime) -> int:
    """Delete accounts registered before `before` and never confirmed."""
    users = db.session.scalars(
        db.select(User).where(User.confirmed_at.is_(None), User.created_at < before)
    ).all()
    for user in users:
        remove_account(user)
    return len(users)


def delete_delivered_email_bodies(before: datetime) -> int:
    """Delete the text and HTML of emails sent before `before`; their rows stay."""
    sent = db.select(OutboxMessage.id).where(
        OutboxMessage.status == OutboxStatus.SENT.value, OutboxMessage.sent_at < before
    )
    deleted = 0
    while ids := db.session.scalars(
        db.select(OutboxBody.message_id).where(OutboxBody.message_id.in_(sent)).limit(BATCH)
    ).all():
        db.session.execute(db.delete(OutboxBody).where(OutboxBody.message_id.in_(ids)))
        deleted += len(ids)
    return deleted


def delete_old_activity_events(before: datetime) -> int:
    """Delete activity events that happened before `before` (and what each was about)."""
    deleted = 0
    while ids := db.session.scalars(
        db.select(ActivityEvent.id).where(ActivityEvent.created_at < before).limit(BATCH)
    ).all():
        db.session.execute(db.delete(EventSubject).where(EventSubject.event_id.in_(ids)))
        db.session.execute(db.delete(ActivityEvent).where(ActivityEvent.id.in_(ids)))
        deleted += len(ids)
    return deleted


STEPS: dict[str, tuple[str, Callable[[datetime], int]]] = {
    "unconfirmed_accounts": ("RETENTION_UNCONFIRMED_ACCOUNTS_DAYS", delete_unconfirmed_accounts),
    "email_bodies": ("RETENTION_EMAIL_BODIES_DAYS", delete_delivered_email_bodies),
    "activity_events": ("RETENTION_ACTIVITY_EVENTS_DAYS", delete_old_activity_events),
}


def run_retention(now: datetime | None = None) -> dict[str, int]:
    """Delete what is past its period, one kind at a time (each committed); log the counts."""
    now = now or utcnow()
    counts = {}
    for name, (setting, step) in STEPS.items():
        days = int(current_app.config[setting])
        if days <= 0:
            continue
        counts[name] = step(now - timedelta(days=days))
        db.session.commit()
    log.info("retention: deleted %s", counts, extra={"retention": counts})
    return counts


def retention_task() -> str:
    """The worker's task: the counts, as one line."""
    counts = run_retention()
    return ", ".join(f"{name} {count}" for name, count in counts.items() if count)


def init_app(app: Flask) -> None:
    """Register the worker's retention task."""
    from baerekraft_hub.core.worker import register_task

    register_task("retention", retention_task, every_seconds=app.config["RETENTION_EVERY_SECONDS"])
