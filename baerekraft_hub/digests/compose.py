"""What goes into one person's digest: the items their follows reached, grouped by reason.

A `Composer` is built once per period (one read of the period's events, the goals, targets
and organisations, and the suggestion index) and then composes each recipient's digest in
memory: thousands of digests cost a fixed number of queries, not a few per person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale
from markupsafe import Markup

from baerekraft_hub.activity.models import ActivityEvent
from baerekraft_hub.activity.queries import events_between
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
    """A project or practice that something happened to in the period."""

    kind: FollowKind
    obj: Any


class Composer:
    """Composes the digests of one period."""

    def __init__(self, period: Period, events: list[ActivityEvent]) -> None:
        self.period = period
        self.events = events
        # Plain values read once from the ORM objects: composing touches them per recipient.
        self.by_subject: dict[Pair, list[tuple[Pair, int, int | None]]] = defaultdict(list)
        self.events_by_id = {e.id: e for e in events}
        self.event_time = {e.id: e.created_at for e in events}
        self.items: dict[Pair, _Item] = {}
        self.public: set[Pair] = set()
        self.involved: dict[Pair, set[int]] = {}
        for event in events:
            obj = event.item
            kind = FollowKind.PROJECT if event.project_id is not None else FollowKind.PRACTICE
            item_key = (kind.value, str(obj.id))
            if item_key not in self.items:
                self.items[item_key] = _Item(kind, obj)
                if obj.is_published:
                    self.public.add(item_key)
                organisations = [obj.owner, *getattr(obj, "participants", [])]
                self.involved[item_key] = {o.id for o in organisations}
            hit = (item_key, event.id, event.actor_id)
            for subject in event.subjects:
                self.by_subject[(subject.kind, subject.key)].append(hit)
        self._order: dict[Pair, tuple] = {}
        self._urls: dict[tuple, str] = {}
        # The same item and reason reach thousands of people: each is built (and each item's
        # text and HTML rendered) once per language, then reused.
        self._items_rendered: dict[tuple, dict[str, Any]] = {}
        self._reasons: dict[tuple, dict[str, Any]] = {}
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
        user_id = user.id
        visible: dict[Pair, bool] = {}
        events: dict[Pair, set[int]] = defaultdict(set)
        reasons: dict[Pair, set[Pair]] = defaultdict(set)
        for pair in followed:
            for item_key, event_id, actor_id in self.by_subject.get(pair, ()):
                if actor_id == user_id:
                    continue  # one's own doings are not news
                seen = visible.get(item_key)
                if seen is None:
                    seen = visible[item_key] = self._can_see(user, item_key)
                if seen:
                    events[item_key].add(event_id)
                    reasons[item_key].add(pair)
        if not events:
            return None
        order = self._reason_order
        groups: dict[Pair, list[Pair]] = defaultdict(list)
        ordered_reasons = {}
        for item_key, item_reasons in reasons.items():
            ordered = ordered_reasons[item_key] = sorted(item_reasons, key=order)
            groups[ordered[0]].append(item_key)
        newest = {k: max(self.event_time[e] for e in ids) for k, ids in events.items()}
        language = user.language
        context_groups = []
        for reason in sorted(groups, key=order):
            keys = sorted(groups[reason], key=newest.__getitem__, reverse=True)
            shown = keys[: self.per_group]
            context_groups.append(
                {
                    "reason": self._reason(reason, language),
                    "entries": [
                        self._item(k, events[k], ordered_reasons[k][1:], language) for k in shown
                    ],
                    "more": len(keys) - len(shown),
                }
            )
        return {
            "name": user.name,
            "frequency": self.period.frequency.value,
            "start": self.period.start,
            "last_day": self.period.last_day,
            "count": len(events),
            "groups": context_groups,
            "suggestions": self._suggest(user, followed),
            "feed_url": self._url("activity.feed"),
            "settings_url": self._url("digests.preferences"),
        }

    def _can_see(self, user, item_key: Pair) -> bool:
        """`content.can_see`, on the values read up front."""
        if item_key in self.public or user.is_coordinator:
            return True
        readable = {m.organisation_id for m in user.memberships if m.is_approved}
        return bool(readable & self.involved[item_key])

    def _reason_order(self, pair: Pair) -> tuple:
        order = self._order.get(pair)
        if order is None:
            order = self._order[pair] = (FollowKind(pair[0]).rank, self._sort_name(pair))
        return order

    def _sort_name(self, pair: Pair) -> str:
        kind, key = pair
        if kind == FollowKind.ORGANISATION.value:
            org = self._organisations.get(int(key))
            return org.name if org else key
        if kind == FollowKind.GOAL.value:
            return key.zfill(2)
        return key

    def _reason(self, pair: Pair, language: str) -> dict[str, Any]:
        cache_key = (pair, language)
        if cache_key not in self._reasons:
            self._reasons[cache_key] = self._build_reason(pair, language)
        return self._reasons[cache_key]

    def _build_reason(self, pair: Pair, language: str) -> dict[str, Any]:
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
        item = self.items[pair].obj
        return {"kind": kind, "name": item.title, "url": self._item_url(kind, item.id)}

    def _item(
        self, item_key: Pair, event_ids: set[int], also: list[Pair], language: str
    ) -> dict[str, Any]:
        ordered = tuple(sorted(event_ids, key=lambda i: (self.event_time[i], i)))
        cache_key = (item_key, ordered, tuple(also), language)
        if cache_key not in self._items_rendered:
            events = [self.events_by_id[i] for i in ordered]
            data = self._build_item(self.items[item_key], events, also, language)
            data["text"], data["html"] = _render_item(data, language)
            self._items_rendered[cache_key] = data
        return self._items_rendered[cache_key]

    def _build_item(
        self, item: _Item, events: list[ActivityEvent], also: list[Pair], language: str
    ) -> dict[str, Any]:
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
                for e in events
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


def _render_item(item: dict[str, Any], language: str) -> tuple[str, Markup]:
    """One item's text and HTML, as the digest templates would render them."""
    env = current_app.jinja_env
    with force_locale(language):
        values = {"item": item, "language": language}
        text = env.get_template("email/_digest_item.txt").render(values)
        html = env.get_template("email/_digest_item.html").render(values)
    return text, Markup(html)  # noqa: S704 - an autoescaped template's output
