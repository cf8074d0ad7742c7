"""Activity events, recorded by listening to the content signals.

Each receiver runs inside the service's transaction (the signals are sent after flush), so an
event is committed with the change that caused it, or not at all.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from baerekraft_hub.activity.models import ActivityEvent, EventKind, EventSubject
from baerekraft_hub.content import signals
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.kinds import followable_of
from baerekraft_hub.follows.models import FollowKind


def subjects_of(item) -> set[tuple[str, str]]:
    """What a project or practice is about: itself, its organisations, targets and goals."""
    entry = followable_of(item)
    subjects = {
        (entry.kind.value, entry.key_of(item)),
        (FollowKind.ORGANISATION.value, str(item.owner_id)),
    }
    for organisation in getattr(item, "participants", []):
        subjects.add((FollowKind.ORGANISATION.value, str(organisation.id)))
    for target in item.targets:
        subjects.add((FollowKind.TARGET.value, target.id))
        subjects.add((FollowKind.GOAL.value, str(target.goal_number)))
    for goal in item.goals:
        subjects.add((FollowKind.GOAL.value, str(goal.number)))
    return subjects


def record_event(
    item,
    kind: EventKind,
    user,
    *,
    organisation=None,
    details: dict[str, Any] | None = None,
) -> ActivityEvent:
    """Add an event about `item` (a project or practice), with what it is about; it is
    inserted with the next flush (an import's thousands of events go in together)."""
    is_project = item.__tablename__ == "project"
    event = ActivityEvent(
        kind=kind.value,
        project_id=item.id if is_project else None,
        practice_id=None if is_project else item.id,
        actor_id=getattr(user, "id", None),
        organisation_id=organisation.id if organisation is not None else None,
        details=details or {},
    )
    subjects = subjects_of(item)
    if organisation is not None:
        subjects.add((FollowKind.ORGANISATION.value, str(organisation.id)))
    event.subjects = [EventSubject(kind=k, key=key) for k, key in sorted(subjects)]
    db.session.add(event)
    return event


def record_organisation_event(
    organisation, kind: str, user, *, details: dict[str, Any] | None = None
) -> ActivityEvent:
    """Add an event about an organisation itself (its KPI values), reaching its followers."""
    event = ActivityEvent(
        kind=EventKind(kind).value,
        actor_id=getattr(user, "id", None),
        organisation_id=organisation.id,
        details=details or {},
    )
    event.subjects = [EventSubject(kind=FollowKind.ORGANISATION.value, key=str(organisation.id))]
    if organisation.county_id is not None:
        event.subjects.append(
            EventSubject(kind=FollowKind.ORGANISATION.value, key=str(organisation.county_id))
        )
    db.session.add(event)
    return event


def plain_number(value) -> str:
    """12.500 -> '12.5', 100 -> '100' (never '1E+2'); None -> ''."""
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _published(item, user=None, **extra: Any) -> None:
    record_event(item, EventKind.PUBLISHED, user)


def _status_changed(project, old: str, new: str, user=None, **extra: Any) -> None:
    record_event(project, EventKind.STATUS_CHANGED, user, details={"old": old, "new": new})


def _update_posted(project, update, user=None, **extra: Any) -> None:
    record_event(project, EventKind.UPDATE_POSTED, user, details={"title": update.title})


def _indicator_value(project, indicator, user=None, **extra: Any) -> None:
    details = {
        "name": indicator.name,
        "value": plain_number(indicator.latest_value),
        "unit": indicator.unit,
        "date": indicator.latest_date.isoformat() if indicator.latest_date else None,
    }
    record_event(project, EventKind.INDICATOR_VALUE, user, details=details)


def _practice_reused(practice, organisation, user=None, **extra: Any) -> None:
    record_event(practice, EventKind.PRACTICE_REUSED, user, organisation=organisation)


def init_app(app: Flask) -> None:
    """Listen to the content signals (connecting again replaces, so a second app is fine)."""
    signals.content_published.connect(_published, weak=False)
    signals.project_status_changed.connect(_status_changed, weak=False)
    signals.project_update_posted.connect(_update_posted, weak=False)
    signals.indicator_value_recorded.connect(_indicator_value, weak=False)
    signals.practice_reused.connect(_practice_reused, weak=False)
