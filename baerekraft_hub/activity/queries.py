"""Finding activity: the events that reach a user through their follows, and why."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, load_only, selectinload

from baerekraft_hub.activity.models import ActivityEvent, EventKind, EventSubject
from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.content.visibility import visible_to
from baerekraft_hub.core.pagination import paginate_ids
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.kinds import Reason, followable, followable_of
from baerekraft_hub.follows.models import Follow
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices.models import Practice
from baerekraft_hub.practices.queries import PRACTICES
from baerekraft_hub.projects.models import Project
from baerekraft_hub.projects.queries import PROJECTS


@dataclass
class FeedEntry:
    event: ActivityEvent
    reasons: list[Reason]


def reaching(user) -> list:
    """Conditions for events that reach `user`: followed, visible to them, not their own.

    The events are found from the user's few follows (through the subjects' (kind, key)
    index). Visibility is asked the other way round: an event is hidden when its item is among
    the few unpublished items the user may not see, read once through the (state, ...) index.
    Checked per event (EXISTS on the item's visibility), SQLite read each event's project row
    (4,211 events for a user following two goals at 13,857 events: the page's one statement
    13.2 -> 6.9 ms); as EXISTS with `item IN (visible items)` before that, every event of every
    visible item. Items always exist (events cascade with them), and owners are never NULL.
    """
    followed = ActivityEvent.id.in_(
        db.select(EventSubject.event_id)
        .join(Follow, sa.and_(Follow.kind == EventSubject.kind, Follow.key == EventSubject.key))
        .where(Follow.user_id == user.id)
    )
    visible = sa.or_(
        sa.and_(
            ActivityEvent.project_id.is_not(None),
            ActivityEvent.project_id.not_in(_hidden(PROJECTS, user)),
        ),
        sa.and_(
            ActivityEvent.practice_id.is_not(None),
            ActivityEvent.practice_id.not_in(_hidden(PRACTICES, user)),
        ),
        ActivityEvent.kind == EventKind.KPI_VALUES.value,  # about an organisation: public
    )
    not_mine = sa.or_(ActivityEvent.actor_id.is_(None), ActivityEvent.actor_id != user.id)
    return [followed, visible, not_mine]


_NOT_PUBLISHED = [s.value for s in PublicationState if s is not PublicationState.PUBLISHED]


def _hidden(kind, user) -> sa.Select:
    """The ids of the kind's items that `user` may not see: unpublished ones only."""
    model = kind.model
    return db.select(model.id).where(
        model.state.in_(_NOT_PUBLISHED), sa.not_(visible_to(kind, user))
    )


def feed(user, page: int = 1, per_page: int = 20):
    """One page of the events reaching the user, newest first, each with its reasons.

    A fixed number of queries, however many events and follows there are.
    """
    query = (
        db.select(ActivityEvent)
        .where(*reaching(user))
        .order_by(ActivityEvent.created_at.desc(), ActivityEvent.id.desc())
    )
    options = (  # each event's item, its owner and the organisation: joined, one row each
        joinedload(ActivityEvent.project).joinedload(Project.owner),
        joinedload(ActivityEvent.practice).joinedload(Practice.owner),
        joinedload(ActivityEvent.organisation),
    )
    pagination = paginate_ids(query, page, per_page, options)
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


def _shown(model) -> tuple:
    """What a digest reads of a project or practice."""
    return (model.id, model.title, model.language, model.state, model.owner_id)


class PeriodEvent(NamedTuple):
    """An event as a digest reads it: plain values and its item (a busy week's 13,500 events
    as ORM objects, each with its state and relationships, held tens of MB in the worker)."""

    id: int
    created_at: datetime
    kind: str
    details: dict | None
    actor_id: int | None
    organisation_name: str | None  # the organisation that reused a practice
    item: Project | Practice | None
    organisation: Organisation | None = None  # what an event about no item is about (KPI values)


def events_between(start: datetime, end: datetime) -> list[PeriodEvent]:
    """Every event in [start, end), oldest first, with what a digest shows of its item: of a
    week's thousands of items, only the columns a digest reads (the rest loads if asked for).
    Not the events' subjects: `subjects_between` reads those as plain pairs."""
    in_period = (ActivityEvent.created_at >= start, ActivityEvent.created_at < end)
    # Participants decide who sees an unpublished project; of a busy week's 10,000 published
    # ones they were 10 MB of collections in the worker that nothing read.
    published = Project.state == PublicationState.PUBLISHED.value
    projects = _items_of(
        Project, ActivityEvent.project_id, in_period, published, selectinload(Project.owner)
    )
    projects |= _items_of(
        Project,
        ActivityEvent.project_id,
        in_period,
        ~published,
        selectinload(Project.owner),
        selectinload(Project.participants),
    )
    practices = _items_of(
        Practice, ActivityEvent.practice_id, in_period, sa.true(), selectinload(Practice.owner)
    )
    rows = db.session.execute(
        db.select(
            ActivityEvent.id,
            ActivityEvent.created_at,
            ActivityEvent.kind,
            ActivityEvent.details,
            ActivityEvent.actor_id,
            Organisation.name,
            ActivityEvent.project_id,
            ActivityEvent.practice_id,
            ActivityEvent.organisation_id,
        )
        .outerjoin(Organisation, Organisation.id == ActivityEvent.organisation_id)
        .where(*in_period)
        .order_by(ActivityEvent.created_at, ActivityEvent.id)
    ).all()
    # Events about an organisation itself (its KPI values) have no item: the few organisations.
    about_none = {row[8] for row in rows if row[6] is None and row[7] is None and row[8]}
    organisations = (
        {
            o.id: o
            for o in db.session.scalars(
                db.select(Organisation).where(Organisation.id.in_(about_none))
            )
        }
        if about_none
        else {}
    )
    events = []
    for row in rows:
        item = projects.get(row[6]) if row[6] is not None else practices.get(row[7])
        about = organisations.get(row[8]) if item is None else None
        events.append(PeriodEvent(*row[:6], item, about))
    return events


def _items_of(model, column, in_period: tuple, which, *options) -> dict:
    """The projects or practices (`which` of them) the period's events are about, by id."""
    about = db.select(column).where(*in_period, column.is_not(None))
    query = (
        db.select(model)
        .where(model.id.in_(about), which)
        .options(load_only(*_shown(model)), *options)
    )
    return {item.id: item for item in db.session.scalars(query)}


def subjects_between(start: datetime, end: datetime) -> dict[int, list[tuple[str, str]]]:
    """The subjects (kind, key) of every event in [start, end), by event id. Plain tuples: an
    event has about eight, and a busy week's 100,000 as ORM objects held 150 MB. The same few
    thousand things recur: each (kind, key) is one shared tuple, not one per subject row."""
    rows = db.session.execute(
        db.select(EventSubject.event_id, EventSubject.kind, EventSubject.key)
        .join(ActivityEvent, ActivityEvent.id == EventSubject.event_id)
        .where(ActivityEvent.created_at >= start, ActivityEvent.created_at < end)
    )
    by_event: dict[int, list[tuple[str, str]]] = defaultdict(list)
    pairs: dict[tuple[str, str], tuple[str, str]] = {}  # one tuple per followed thing, shared
    for event_id, kind, key in rows:
        pair = (kind, key)
        by_event[event_id].append(pairs.setdefault(pair, pair))
    return by_event
