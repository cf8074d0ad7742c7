"""What goes into one person's digest: the items their follows reached, grouped by reason.

A `Composer` is built once per period (one read of the period's events, the goals, targets
and organisations, and the suggestion index) and then composes each recipient's digest in
memory: thousands of digests cost a fixed number of queries, not a few per person.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from flask import current_app
from markupsafe import Markup

from baerekraft_hub.activity.models import ActivityEvent
from baerekraft_hub.activity.queries import events_between
from baerekraft_hub.core.i18n import localized, rendering_in
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


# What the digest templates read for every group and entry: attributes of slotted objects
# (Jinja reads an attribute directly, where a dict key costs it a failed attribute lookup
# first: a third of a digest's rendering).


@dataclass(slots=True)
class Reason:
    """Why an item reached someone: a followed organisation, goal, target, project or
    practice."""

    kind: str
    url: str
    name: str = ""
    number: int = 0
    title: str = ""
    id: str = ""
    because: str = ""  # the group heading, rendered


@dataclass(frozen=True, slots=True)
class Entry:
    """An item as rendered, and the other reasons it reached this person."""

    text: str
    html: Markup
    url: str
    also: tuple[Reason, ...] = ()
    also_text: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    reason: Reason
    entries: list[Entry]
    more: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    name: str
    url: str


@dataclass
class _Reach:
    """The events of one item that reached one followed thing."""

    event_ids: set[int] = field(default_factory=set)
    newest: datetime | None = None

    def add(self, event_id: int, created_at: datetime) -> None:
        self.event_ids.add(event_id)
        if self.newest is None or created_at > self.newest:
            self.newest = created_at


class _LazyEvents(dict):
    """An item's events through all the reasons that reached it, less the person's own,
    found when asked for (a digest shows a few of the items it counts)."""

    def __init__(self, composer: Composer, group_of: dict, also: dict, own: set[int]) -> None:
        super().__init__()
        self.composer, self.group_of, self.also, self.own = composer, group_of, also, own

    def __missing__(self, item_key: Pair) -> set[int]:
        by_subject = self.composer.by_subject
        found: set[int] = set()
        for pair in (self.group_of[item_key], *self.also.get(item_key, ())):
            found |= by_subject[pair][item_key].event_ids
        self[item_key] = found - self.own
        return self[item_key]


class _LazyNewest(dict):
    """The time of an item's newest event among `events` (the reaches' own newest, unless
    some of the events were the person's)."""

    def __init__(self, events: _LazyEvents) -> None:
        super().__init__()
        self.events = events
        self.by_subject = events.composer.by_subject

    def __missing__(self, item_key: Pair) -> datetime:
        events = self.events
        if events.own:
            event_time = events.composer.event_time
            newest = max(event_time[e] for e in events[item_key])
        else:  # called for every item counted: kept to plain lookups
            newest = self.by_subject[events.group_of[item_key]][item_key].newest
            for pair in events.also.get(item_key, ()):
                newest = max(newest, self.by_subject[pair][item_key].newest)
        self[item_key] = newest
        return newest


class Composer:
    """Composes the digests of one period."""

    def __init__(self, period: Period, events: list[ActivityEvent]) -> None:
        self.period = period
        self.events = events
        # Plain values read once from the ORM objects: composing touches them per recipient.
        self.events_by_id = {e.id: e for e in events}
        self.event_time = {e.id: e.created_at for e in events}
        self.items: dict[Pair, _Item] = {}
        self.public: set[Pair] = set()
        self.involved: dict[Pair, set[int]] = {}
        # What each followed thing reached: per item, its events (a person's follows then
        # cost a step per item, not per event).
        self.by_subject: dict[Pair, dict[Pair, _Reach]] = defaultdict(dict)
        self.events_by_actor: dict[int, set[int]] = defaultdict(set)
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
            for subject in event.subjects:
                reached = self.by_subject[(subject.kind, subject.key)]
                reach = reached.get(item_key)
                if reach is None:
                    reach = reached[item_key] = _Reach()
                reach.add(event.id, event.created_at)
            if event.actor_id is not None:
                self.events_by_actor[event.actor_id].add(event.id)
        self._order: dict[Pair, tuple] = {}
        self._urls: dict[tuple, str] = {}
        # The same item and reason reach thousands of people: each is built (and each item's
        # text and HTML rendered) once per language, then reused.
        self._items_rendered: dict[tuple, Entry] = {}
        self._reasons: dict[tuple, Reason] = {}
        self._period_texts: dict[str, str] = {}
        self._also_lines: dict[tuple, tuple[tuple[Reason, ...], str]] = {}
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
        # Follows from the most specific reason to the least: the first that reaches an
        # item is the group it is shown under, the others are named with it.
        reasons = sorted(followed, key=self._reason_order)
        group_of, also, events, newest = self._reached(user, reasons)
        if not group_of:
            return None
        groups: dict[Pair, list[Pair]] = defaultdict(list)
        for item_key, reason in group_of.items():
            groups[reason].append(item_key)
        language = user.language
        context_groups = []
        for reason, keys in groups.items():  # in the order of the reasons
            # Newest first (items as new as each other stay in the order they came).
            shown = heapq.nlargest(self.per_group, keys, key=newest.__getitem__)
            context_groups.append(
                Group(
                    reason=self._reason(reason, language),
                    entries=[self._item(k, events[k], also[k], language) for k in shown],
                    more=len(keys) - len(shown),
                )
            )
        return {
            "name": user.name,
            "frequency": self.period.frequency.value,
            "start": self.period.start,
            "last_day": self.period.last_day,
            "period": self._period_text(language),
            "count": len(group_of),
            "groups": context_groups,
            "suggestions": self._suggest(user, followed),
            "feed_url": self._url("activity.feed"),
            "settings_url": self._url("digests.preferences"),
        }

    def _reached(self, user, reasons: list[Pair]) -> tuple:
        """What the reasons reach: set operations on the items each followed thing reached (a
        digest reaches a hundred items or more), leaving out what was only the person's own
        doing (one's own doings are not news)."""
        own = self.events_by_actor.get(user.id, set())
        group_of: dict[Pair, Pair] = {}
        also: dict[Pair, list[Pair]] = defaultdict(list)
        hidden: set[Pair] = set()
        for pair in reasons:
            reached = self.by_subject.get(pair)
            if not reached:
                continue
            items = reached.keys()
            if own:
                items = {k for k, reach in reached.items() if not reach.event_ids <= own}
            for item_key in items & group_of.keys():
                also[item_key].append(pair)
            fresh = items - group_of.keys() - hidden
            if not (user.is_coordinator or fresh <= self.public):
                seen = {k for k in fresh if self._can_see(user, k)}
                hidden |= fresh - seen
                fresh = seen
            group_of.update(dict.fromkeys(sorted(fresh), pair))
        events = _LazyEvents(self, group_of, also, own)
        return group_of, also, events, _LazyNewest(events)

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

    def _reason(self, pair: Pair, language: str) -> Reason:
        cache_key = (pair, language)
        if cache_key not in self._reasons:
            reason = self._build_reason(pair, language)
            reason.because = _digest_macro("because", language, reason)
            self._reasons[cache_key] = reason
        return self._reasons[cache_key]

    def _period_text(self, language: str) -> str:
        if language not in self._period_texts:
            period = self.period
            self._period_texts[language] = _digest_macro(
                "period_text", language, period.frequency.value, period.start, period.last_day
            )
        return self._period_texts[language]

    def _build_reason(self, pair: Pair, language: str) -> Reason:
        kind, key = pair
        if kind == FollowKind.ORGANISATION.value:
            org = self._organisations[int(key)]
            url = self._url("organisations.profile", slug=org.slug)
            return Reason(kind, url, name=org.name)
        if kind == FollowKind.GOAL.value:
            goal = self._goals[int(key)]
            title = str(localized(goal, "short_title", language))
            url = self._url("sdg.goal", number=goal.number)
            return Reason(kind, url, number=goal.number, title=title)
        if kind == FollowKind.TARGET.value:
            return Reason(kind, self._url("sdg.target", target_id=key), id=key)
        item = self.items[pair].obj
        return Reason(kind, self._item_url(kind, item.id), name=item.title)

    def _item(self, item_key: Pair, event_ids: set[int], also: list[Pair], language: str) -> Entry:
        """One entry: the item as rendered for everyone it reached through these events, with
        the other reasons it reached this person."""
        ordered = tuple(sorted(event_ids, key=lambda i: (self.event_time[i], i)))
        cache_key = (item_key, ordered, language)
        rendered = self._items_rendered.get(cache_key)
        if rendered is None:
            events = [self.events_by_id[i] for i in ordered]
            item = self._build_item(self.items[item_key], events)
            text, html = _render_item(item, language)
            rendered = self._items_rendered[cache_key] = Entry(text, html, item["url"])
        if not also:
            return rendered
        reasons, text = self._also(tuple(also), language)
        return replace(rendered, also=reasons, also_text=text)

    def _also(self, also: tuple[Pair, ...], language: str) -> tuple[tuple[Reason, ...], str]:
        """The other reasons, and the "also because you follow" line naming them."""
        cache_key = (also, language)
        if cache_key not in self._also_lines:
            reasons = tuple(self._reason(pair, language) for pair in also)
            text = _digest_macro("also", language, {"also": reasons})
            self._also_lines[cache_key] = (reasons, text)
        return self._also_lines[cache_key]

    def _build_item(self, item: _Item, events: list[ActivityEvent]) -> dict[str, Any]:
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

    def _suggest(self, user, followed: set[Pair]) -> list[Suggestion]:
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
            Suggestion(
                self._organisations[i].name,
                self._url("organisations.profile", slug=self._organisations[i].slug),
            )
            for i in organisation_ids
            if i in self._organisations
        ]
        for project_id in project_ids:
            title = self._suggestions.titles.get(project_id)
            if title:
                suggestions.append(
                    Suggestion(title, self._url("projects.show", project_id=project_id))
                )
        return suggestions[: self.suggestion_count]


def _render_item(item: dict[str, Any], language: str) -> tuple[str, Markup]:
    """One item's text and HTML, as the digest templates would render them."""
    env = current_app.jinja_env
    with rendering_in(language):
        values = {"item": item, "language": language}
        text = env.get_template("email/_digest_item.txt").render(values)
        html = env.get_template("email/_digest_item.html").render(values)
    return text, Markup(html)  # noqa: S704 - an autoescaped template's output


def _digest_macro(name: str, language: str, *args: Any) -> str:
    """A macro of the digest's text pieces (`email/_digest.txt`), called in `language`."""
    with rendering_in(language):
        module = current_app.jinja_env.get_template("email/_digest.txt").module
        return str(getattr(module, name)(*args))
