"""Finding activity: the events that reach a user through their follows, and why."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from baerekraft_hub.activity.models import ActivityEvent, EventSubject
from baerekraft_hub.content.visibility import visible_to
from baerekraft_hub.core.pagination import paginate
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.models import Follow, FollowKind
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.sdg.models import Goal, Target


@dataclass(frozen=True)
class Reason:
    """A follow that made something reach the user: "because you follow <name>"."""

    kind: FollowKind
    key: str
    name: str
    url: str

    @property
    def rank(self) -> int:
        return self.kind.rank


@dataclass
class FeedEntry:
    event: ActivityEvent
    reasons: list[Reason]


def reaching(user) -> list:
    """Conditions for events that reach `user`: followed, visible to them, not their own."""
    from baerekraft_hub.practices.models import Practice
    from baerekraft_hub.practices.queries import PRACTICES
    from baerekraft_hub.projects.models import Project
    from baerekraft_hub.projects.queries import PROJECTS

    followed = sa.exists().where(
        EventSubject.event_id == ActivityEvent.id,
        Follow.user_id == user.id,
        Follow.kind == EventSubject.kind,
        Follow.key == EventSubject.key,
    )
    visible = sa.or_(
        ActivityEvent.project_id.in_(db.select(Project.id).where(visible_to(PROJECTS, user))),
        ActivityEvent.practice_id.in_(db.select(Practice.id).where(visible_to(PRACTICES, user))),
    )
    not_mine = sa.or_(ActivityEvent.actor_id.is_(None), ActivityEvent.actor_id != user.id)
    return [followed, visible, not_mine]


def feed(user, page: int = 1, per_page: int = 20):
    """One page of the events reaching the user, newest first, each with its reasons.

    A fixed number of queries, however many events and follows there are.
    """
    from baerekraft_hub.practices.models import Practice
    from baerekraft_hub.projects.models import Project

    query = (
        db.select(ActivityEvent)
        .where(*reaching(user))
        .options(
            selectinload(ActivityEvent.project).selectinload(Project.owner),
            selectinload(ActivityEvent.practice).selectinload(Practice.owner),
            selectinload(ActivityEvent.organisation),
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
    """Names and links of followed things, loaded in bulk (three queries)."""

    def __init__(self, organisations, goals, targets, items) -> None:
        self.organisations = organisations
        self.goals = goals
        self.targets = targets
        self.items = items

    @classmethod
    def load(cls, pairs: set[tuple[str, str]], events=()) -> ReasonNames:
        by_kind: dict[str, set[str]] = defaultdict(set)
        for kind, key in pairs:
            by_kind[kind].add(key)
        org_ids = [int(k) for k in by_kind[FollowKind.ORGANISATION.value] if k.isdigit()]
        goal_numbers = [int(k) for k in by_kind[FollowKind.GOAL.value] if k.isdigit()]
        organisations = {
            o.id: o
            for o in db.session.scalars(db.select(Organisation).where(Organisation.id.in_(org_ids)))
        }
        goals = {
            g.number: g
            for g in db.session.scalars(db.select(Goal).where(Goal.number.in_(goal_numbers)))
        }
        targets = {
            t.id: t
            for t in db.session.scalars(
                db.select(Target).where(Target.id.in_(sorted(by_kind[FollowKind.TARGET.value])))
            )
        }
        items = {}
        for event in events:
            kind = FollowKind.PROJECT if event.project_id is not None else FollowKind.PRACTICE
            items[(kind.value, str(event.item.id))] = event.item
        return cls(organisations, goals, targets, items)

    def reason(self, pair: tuple[str, str]) -> Reason:
        kind, key = FollowKind(pair[0]), pair[1]
        if kind == FollowKind.ORGANISATION:
            org = self.organisations[int(key)]
            return Reason(kind, key, org.name, url_for("pages.organisation", slug=org.slug))
        if kind == FollowKind.GOAL:
            goal = self.goals[int(key)]
            name = _("Goal %(number)s: %(title)s", number=goal.number, title=goal.short_title)
            return Reason(kind, key, name, url_for("pages.goal", number=goal.number))
        if kind == FollowKind.TARGET:
            return Reason(
                kind, key, _("Target %(id)s", id=key), url_for("pages.target", target_id=key)
            )
        item = self.items[pair]
        endpoint, arg = (
            ("projects.show", "project_id")
            if kind == FollowKind.PROJECT
            else ("practices.show", "practice_id")
        )
        return Reason(kind, key, item.title, url_for(endpoint, **{arg: item.id}))


def events_between(start: datetime, end: datetime) -> list[ActivityEvent]:
    """Every event in [start, end), with its subjects and what a digest shows of its item."""
    from baerekraft_hub.practices.models import Practice
    from baerekraft_hub.projects.models import Project

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
