"""What goes into one person's digest: the items their follows reached, grouped by reason.

A `Composer` is built once per period (one read of the period's events, the goals, targets
and organisations, and the suggestion index) and then composes each recipient's digest in
memory: thousands of digests cost a fixed number of queries, not a few per person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from baerekraft_hub.activity.models import ActivityEvent
from baerekraft_hub.activity.queries import events_between
from baerekraft_hub.content.queries import can_see
from baerekraft_hub.core.i18n import localized
from baerekraft_hub.core.urls import public_url
from baerekraft_hub.digests.periods import Period
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.models import FollowKind
from baerekraft_hub.follows.queries import SuggestionIndex
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.sdg.models import Goal

Pair = tuple[str, str]  # (kind, key) of a followed thing


@dataclass
class _Item:
    """A project or practice with what happened to it in the period."""

    kind: FollowKind
    obj: Any
    events: list[ActivityEvent] = field(default_factory=list)


class Composer:
    """Composes the digests of one period."""

    def __init__(self, period: Period, events: list[ActivityEvent]) -> None:
        self.period = period
        self.events = events
        self.by_subject: dict[Pair, list[ActivityEvent]] = defaultdict(list)
        for event in events:
            for subject in event.subjects:
                self.by_subject[(subject.kind, subject.key)].append(event)
        self.subjects_of = {e.id: {(s.kind, s.key) for s in e.subjects} for e in events}
        self._urls: dict[tuple, str] = {}
        self._goals: dict[int, Goal] = {}
        self._organisations: dict[int, Organisation] = {}
        self._suggestions: SuggestionIndex | None = None
        self.per_group = current_app.config["DIGEST_ITEMS_PER_GROUP"]
        self.suggestion_count = current_app.config["DIGEST_SUGGESTIONS"]

    @classmethod
    def for_period(cls, period: Period) -> Composer:
        start, end = period.utc_bounds()
        composer = cls(period, events_between(start, end))
        if composer.events:
            composer._load_names()
        return composer

    def _load_names(self) -> None:
        self._goals = {g.number: g for g in db.session.scalars(db.select(Goal))}
        self._organisations = {o.id: o for o in db.session.scalars(db.select(Organisation))}
        self._suggestions = SuggestionIndex.load()

    # --- one person's digest -------------------------------------------------------------

    def compose(self, user, followed: set[Pair]) -> dict[str, Any] | None:
        """The email context of the user's digest, or None when nothing new reached them."""
        items: dict[Pair, _Item] = {}
        reasons: dict[Pair, set[Pair]] = defaultdict(set)
        for pair in followed:
            for event in self.by_subject.get(pair, ()):
                if event.actor_id is not None and event.actor_id == user.id:
                    continue
                obj = event.item
                kind = FollowKind.PROJECT if event.project_id is not None else FollowKind.PRACTICE
                item_key = (kind.value, str(obj.id))
                if item_key not in items:
                    if not can_see(user, obj):
                        continue
                    items[item_key] = _Item(kind, obj)
                item = items[item_key]
                if event not in item.events:
                    item.events.append(event)
                reasons[item_key].add(pair)
        if not items:
            return None
        groups: dict[Pair, list[Pair]] = defaultdict(list)
        for item_key, item_reasons in reasons.items():
            ordered = sorted(item_reasons, key=self._reason_order)
            groups[ordered[0]].append(item_key)
        language = user.language
        context_groups = []
        for reason in sorted(groups, key=self._reason_order):
            keys = sorted(groups[reason], key=lambda k: self._newest(items[k]), reverse=True)
            shown = keys[: self.per_group]
            context_groups.append(
                {
                    "reason": self._reason(reason, language),
                    "entries": [
                        self._item(
                            items[k], sorted(reasons[k], key=self._reason_order)[1:], language
                        )
                        for k in shown
                    ],
                    "more": len(keys) - len(shown),
                }
            )
        return {
            "name": user.name,
            "frequency": self.period.frequency.value,
            "start": self.period.start,
            "last_day": self.period.last_day,
            "count": len(items),
            "groups": context_groups,
            "suggestions": self._suggest(user, followed),
            "feed_url": self._url("activity.feed"),
            "settings_url": self._url("digests.preferences"),
        }

    def _reason_order(self, pair: Pair):
        kind = FollowKind(pair[0])
        return (kind.rank, self._sort_name(pair))

    def _sort_name(self, pair: Pair) -> str:
        kind, key = pair
        if kind == FollowKind.ORGANISATION.value:
            org = self._organisations.get(int(key))
            return org.name if org else key
        if kind == FollowKind.GOAL.value:
            return key.zfill(2)
        return key

    @staticmethod
    def _newest(item: _Item):
        return max(e.created_at for e in item.events)

    def _reason(self, pair: Pair, language: str) -> dict[str, Any]:
        kind, key = pair
        if kind == FollowKind.ORGANISATION.value:
            org = self._organisations[int(key)]
            url = self._url("organisations.profile", slug=org.slug)
            return {"kind": kind, "name": org.name, "url": url}
        if kind == FollowKind.GOAL.value:
            goal = self._goals[int(key)]
            title = str(localized(goal, "short_title", language))
            url = self._url("sdg.goal", number=goal.number)
            return {"kind": kind, "number": goal.number, "title": title, "url": url}
        if kind == FollowKind.TARGET.value:
            return {"kind": kind, "id": key, "url": self._url("sdg.target", target_id=key)}
        item = next(e.item for e in self.by_subject[pair])
        return {"kind": kind, "name": item.title, "url": self._item_url(kind, item.id)}

    def _item(self, item: _Item, also: list[Pair], language: str) -> dict[str, Any]:
        obj = item.obj
        return {
            "kind": item.kind.value,
            "title": obj.title,
            "language": obj.language,
            "organisation": obj.owner.name,
            "url": self._item_url(item.kind.value, obj.id),
            "happened": [
                {
                    "kind": e.kind,
                    "details": dict(e.details or {}),
                    "organisation": e.organisation.name if e.organisation else None,
                }
                for e in item.events
            ],
            "also": [self._reason(pair, language) for pair in also],
        }

    def _item_url(self, kind: str, item_id: int) -> str:
        if kind == FollowKind.PROJECT.value:
            return self._url("projects.show", project_id=item_id)
        return self._url("practices.show", practice_id=item_id)

    def _url(self, endpoint: str, **values) -> str:
        """Absolute URLs, built once per run each (the same links go to many people)."""
        key = (endpoint, *sorted(values.items()))
        if key not in self._urls:
            self._urls[key] = public_url(endpoint, **values)
        return self._urls[key]

    def _suggest(self, user, followed: set[Pair]) -> list[dict[str, str]]:
        if self._suggestions is None or not self.suggestion_count:
            return []
        own = {m.organisation_id for m in user.memberships if m.is_approved}
        targets = self._suggestions.targets_of(own) | {
            key for kind, key in followed if kind == FollowKind.TARGET.value
        }
        if not targets:
            return []
        organisation_ids, project_ids = self._suggestions.suggest(
            targets, own, followed, self.suggestion_count
        )
        suggestions = [
            {
                "name": self._organisations[i].name,
                "url": self._url("organisations.profile", slug=self._organisations[i].slug),
            }
            for i in organisation_ids
            if i in self._organisations
        ]
        for project_id in project_ids:
            title = self._suggestions.titles.get(project_id)
            if title:
                suggestions.append(
                    {"name": title, "url": self._url("projects.show", project_id=project_id)}
                )
        return suggestions[: self.suggestion_count]
