"""Who gets which item in a period's digests: what each followed thing reached, and whom.

A `Reach` is built once per period from its events (and the organisations and suggestion
index, read once) and then answers for each recipient in memory: thousands of digests cost a
fixed number of queries, not a few per person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from baerekraft_hub.activity.queries import PeriodEvent
from baerekraft_hub.content.visibility import involved_organisation_ids, sees
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.kinds import FOLLOWABLE, followable, followable_of
from baerekraft_hub.follows.models import FollowKind
from baerekraft_hub.follows.suggestions import SuggestionIndex
from baerekraft_hub.organisations.models import Organisation

Pair = tuple[str, str]  # (kind, key) of a followed thing


@dataclass
class Item:
    """A project or practice that something happened to in the period."""

    kind: FollowKind
    obj: Any


class _LazyEvents(dict):
    """An item's events through all the reasons that reached it, less the person's own,
    found when asked for (a digest shows a few of the items it counts)."""

    def __init__(self, reach: Reach, group_of: dict, also: dict, own: set[int]) -> None:
        super().__init__()
        self.reach, self.group_of, self.also, self.own = reach, group_of, also, own

    def __missing__(self, item_key: Pair) -> set[int]:
        by_subject = self.reach.by_subject
        found: set[int] = set()
        for pair in (self.group_of[item_key], *self.also.get(item_key, ())):
            found.update(by_subject[pair][item_key])
        self[item_key] = found - self.own
        return self[item_key]


class _LazyNewest(dict):
    """The time of an item's newest event among `events` (the reaches' own newest, unless
    some of the events were the person's)."""

    def __init__(self, events: _LazyEvents) -> None:
        super().__init__()
        self.events = events
        self.by_subject = events.reach.by_subject

    def __missing__(self, item_key: Pair) -> datetime:
        events = self.events
        event_time = events.reach.event_time
        if events.own:
            newest = max(event_time[e] for e in events[item_key])
        else:  # called for every item counted: kept to plain lookups (a reach's last is newest)
            newest = event_time[self.by_subject[events.group_of[item_key]][item_key][-1]]
            for pair in events.also.get(item_key, ()):
                newest = max(newest, event_time[self.by_subject[pair][item_key][-1]])
        self[item_key] = newest
        return newest


class Reach:
    """What the events of one period reached, and what reaches each recipient of it."""

    def __init__(self, events: list[PeriodEvent], subjects: dict[int, list[Pair]]) -> None:
        """`events` oldest first (as `events_between` reads them); `subjects`: each event's
        followed things (kind, key), by event id."""
        self.events = events
        # By id, and their times: composing looks them up per recipient.
        self.events_by_id = {e.id: e for e in events}
        self.event_time = {e.id: e.created_at for e in events}
        self.items: dict[Pair, Item] = {}
        self.public: set[Pair] = set()
        self.involved: dict[Pair, set[int]] = {}
        # What each followed thing reached: per item, the ids of its events, oldest first (a
        # person's follows then cost a step per item, not per event). A tuple: a busy week has
        # 80,000 of them, most holding one event.
        self.by_subject: dict[Pair, dict[Pair, tuple[int, ...]]] = defaultdict(dict)
        self.events_by_actor: dict[int, set[int]] = defaultdict(set)
        for event in events:
            obj = event.item
            if obj is None:  # about the organisation itself (KPI values): public
                obj = event.organisation
                if obj is None:  # nothing left to tell of
                    continue
                item_key = (FollowKind.ORGANISATION.value, str(obj.id))
                if item_key not in self.items:
                    self.items[item_key] = Item(FollowKind.ORGANISATION, obj)
                    self.public.add(item_key)
                    self.involved[item_key] = {obj.id}
            else:
                entry = followable_of(obj)
                item_key = (entry.kind.value, entry.key_of(obj))
            if item_key not in self.items:
                self.items[item_key] = Item(entry.kind, obj)
                if obj.is_published:
                    self.public.add(item_key)
                else:  # who may see it: read for the few unpublished items only
                    self.involved[item_key] = involved_organisation_ids(obj)
            for pair in subjects.get(event.id, ()):
                reached = self.by_subject[pair]
                reached[item_key] = (*reached.get(item_key, ()), event.id)
            if event.actor_id is not None:
                self.events_by_actor[event.actor_id].add(event.id)
        self._order: dict[Pair, tuple] = {}
        # What reasons name: the items, then (`load_names`) every followed thing that is not
        # content: a run names many of those, and there are few of them.
        self.things: dict[Pair, Any] = {key: item.obj for key, item in self.items.items()}
        self.organisations: dict[int, Organisation] = {}
        self._suggestions: SuggestionIndex | None = None

    def load_names(self) -> None:
        """The organisations, goals and targets (reasons are named and ordered by them), and
        the suggestion index."""
        for entry in FOLLOWABLE.values():
            if entry.content is None:
                for obj in db.session.scalars(db.select(entry.model)):
                    self.things[(entry.kind.value, entry.key_of(obj))] = obj
        self.organisations = {
            int(key): obj
            for (kind, key), obj in self.things.items()
            if kind == FollowKind.ORGANISATION.value
        }
        self._suggestions = SuggestionIndex.load()

    def reached(self, user, followed: set[Pair]) -> tuple:
        """What the user's follows reach: each item under the first reason that reaches it
        (`group_of`, in the order of the reasons), the other reasons (`also`), and the
        item's events and the time of its newest, found when asked for."""
        # Follows from the most specific reason to the least: the first that reaches an
        # item is the group it is shown under, the others are named with it.
        return self._reached(user, sorted(followed, key=self._reason_order))

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
                items = {k for k, ids in reached.items() if not own.issuperset(ids)}
            for item_key in items & group_of.keys():
                also[item_key].append(pair)
            fresh = items - group_of.keys() - hidden
            if not (user.is_coordinator or fresh <= self.public):
                seen = {k for k in fresh if self._sees(user, k)}
                hidden |= fresh - seen
                fresh = seen
            group_of.update(dict.fromkeys(sorted(fresh), pair))
        events = _LazyEvents(self, group_of, also, own)
        return group_of, also, events, _LazyNewest(events)

    def _sees(self, user, item_key: Pair) -> bool:
        """`visibility.sees`, on the values read up front."""
        return sees(
            user, published=item_key in self.public, involved=self.involved.get(item_key, ())
        )

    def _reason_order(self, pair: Pair) -> tuple:
        order = self._order.get(pair)
        if order is None:
            entry, obj = followable(pair[0]), self.things.get(pair)
            sort_key = pair[1] if obj is None else entry.sort_key(obj)
            order = self._order[pair] = (entry.kind.rank, sort_key)
        return order

    def suggested(
        self, user, followed: set[Pair], count: int
    ) -> tuple[list[Organisation], list[tuple[int, str]]]:
        """Organisations, and projects (id, title), the user might follow: they work on the
        targets the user's organisations work on or the user follows."""
        if self._suggestions is None or not count:
            return [], []
        own = {m.organisation_id for m in user.memberships if m.is_approved}
        targets = self._suggestions.targets_of(own) | {
            key for kind, key in followed if kind == FollowKind.TARGET.value
        }
        if not targets:
            return [], []
        organisation_ids, project_ids = self._suggestions.suggest(targets, own, followed, count)
        organisations = [self.organisations[i] for i in organisation_ids if i in self.organisations]
        titles = self._suggestions.titles
        projects = [(i, titles[i]) for i in project_ids if titles.get(i)]
        return organisations, projects
