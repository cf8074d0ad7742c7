"""Finding activity: the events that reach a user through their follows, and why."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from baerekraft_hub.activity.models import ActivityEvent, EventKind, EventSubject
from baerekraft_hub.content.visibility import visible_to
from baerekraft_hub.core.pagination import paginate
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.kinds import Reason, followable, followable_of
from baerekraft_hub.follows.models import Follow
from baerekraft_hub.practices.models import Practice
from baerekraft_hub.practices.queries import PRACTICES
from baerekraft_hub.projects.models import Project
from baerekraft_hub.projects.queries import PROJECTS


@dataclass
class FeedEntry:
    event: ActivityEvent
    reasons: list[Reason]


def reaching(user) -> list:
    """Conditions for events that reach `user`: followed, visible to them, not their own."""
    followed = sa.exists().where(
        EventSubject.event_id == ActivityEvent.id,
        Follow.user_id == user.id,
        Follow.kind == EventSubject.kind,
        Follow.key == EventSubject.key,
    )
    visible = sa.or_(
        ActivityEvent.project_id.in_(db.select(Project.id).where(visible_to(PROJECTS, user))),
        ActivityEvent.practice_id.in_(db.select(Practice.id).where(visible_to(PRACTICES, user))),
        ActivityEvent.kind == EventKind.KPI_VALUES.value,  # about an organisation: public
    )
    not_mine = sa.or_(ActivityEvent.actor_id.is_(None), ActivityEvent.actor_id != user.id)
    return [followed, visible, not_mine]


def feed(user, page: int = 1, per_page: int = 20):
    """One page of the events reaching the user, newest first, each with its reasons.

    A fixed number of queries, however many events and follows there are.
    """
    query = (
        db.select(ActivityEvent)
        .where(*reaching(user))
        .options(  # each event's item, its owner and the organisation: joined, one row each
            joinedload(ActivityEvent.project).joinedload(Project.owner),
            joinedload(ActivityEvent.practice).joinedload(Practice.owner),
            joinedload(ActivityEvent.organisation),
        )
        .order_by(ActivityEvent.created_at.desc(), ActivityEvent.id.desc())
    )
    pagination = paginate(query, page, per_page)
    events = list(pagination.items)
    matched = matched_follows(user, [e.id for e in events])
    names = ReasonNames.load({pair for pairs in matched.values() for pair in pairs}, events)
    entries = [
        FeedEntry(event, sorted((names.reason(p) for p in matched[event.id]), key=_order))
        for event in events
    ]
    return pagination, entries


def _order(reason: Reason):
    return (reason.rank, reason.name)


def matched_follows(user, event_ids: list[int]) -> dict[int, set[tuple[str, str]]]:
    """Per event, the (kind, key) of the user's follows it matched."""
    rows = db.session.execute(
        db.select(EventSubject.event_id, EventSubject.kind, EventSubject.key)
        .join(Follow, sa.and_(Follow.kind == EventSubject.kind, Follow.key == EventSubject.key))
        .where(Follow.user_id == user.id, EventSubject.event_id.in_(event_ids))
    )
    matched: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for event_id, kind, key in rows:
        matched[event_id].add((kind, key))
    return matched


class ReasonNames:
    """The followed things that reasons name, loaded in bulk (a query per kind)."""

    def __init__(self, things: dict[tuple[str, str], object]) -> None:
        self.things = things

    @classmethod
    def load(cls, pairs: set[tuple[str, str]], events=()) -> ReasonNames:
        """The things (kind, key) names; the events' projects and practices are at hand."""
        things: dict[tuple[str, str], object] = {}
        for event in events:
            if event.item is None:  # about an organisation, named with the follows
                continue
            entry = followable_of(event.item)
            things[(entry.kind.value, entry.key_of(event.item))] = event.item
        by_kind: dict[str, set[str]] = defaultdict(set)
        for kind, key in pairs - things.keys():
            by_kind[kind].add(key)
        for kind, keys in by_kind.items():
            entry = followable(kind)
            things.update(((kind, entry.key_of(obj)), obj) for obj in entry.load(keys))
        return cls(things)

    def reason(self, pair: tuple[str, str]) -> Reason:
        return followable(pair[0]).reason(self.things[pair])


def events_between(start: datetime, end: datetime) -> list[ActivityEvent]:
    """Every event in [start, end), with its subjects and what a digest shows of its item."""
    return list(
        db.session.scalars(
            db.select(ActivityEvent)
            .where(ActivityEvent.created_at >= start, ActivityEvent.created_at < end)
            .options(
                selectinload(ActivityEvent.subjects),
                selectinload(ActivityEvent.project).selectinload(Project.owner),
                selectinload(ActivityEvent.project).selectinload(Project.participants),
                selectinload(ActivityEvent.practice).selectinload(Practice.owner),
                selectinload(ActivityEvent.organisation),
            )
            .order_by(ActivityEvent.created_at, ActivityEvent.id)
        )
    )
