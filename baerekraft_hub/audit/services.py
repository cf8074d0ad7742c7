"""Write to the audit log, and read it back with filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from baerekraft_hub.audit.models import AuditEvent
from baerekraft_hub.extensions import db


def record(
    actor,
    action: str,
    target_kind: str,
    target_id: int | str,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Log that `actor` (a user, or None for a command) did `action` to the target; flushes.

    Part of the caller's transaction: the entry commits, or vanishes, with the change itself.
    """
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor_name=(getattr(actor, "name", None) or "")[:120],
        action=action,
        target_kind=target_kind,
        target_id=str(target_id)[:254],
        reason=(reason or "").strip() or None,
        details=details or None,
    )
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # part of the actor's name, any case
    action: str = ""
    since: date | None = None  # inclusive, in UTC days
    until: date | None = None  # inclusive


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def filtered(filters: AuditFilters):
    """The log, newest first, narrowed by the filters (a SELECT to paginate)."""
    query = db.select(AuditEvent)
    if filters.actor:
        query = query.where(AuditEvent.actor_name.icontains(filters.actor, autoescape=True))
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.since:
        query = query.where(AuditEvent.created_at >= _start_of(filters.since))
    if filters.until and filters.until < date.max:  # the last day there is: no end at all
        query = query.where(AuditEvent.created_at < _start_of(filters.until + timedelta(days=1)))
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


def recent(limit: int = 8) -> list[AuditEvent]:
    return list(db.session.scalars(filtered(AuditFilters()).limit(limit)))


def actions_in_log() -> list[str]:
    return list(db.session.scalars(db.select(AuditEvent.action).distinct().order_by("action")))
