"""What goes into one person's digest: the items their follows reached, grouped by reason,
as the email's groups, entries and texts.

A `Composer` is built once per period on the period's `Reach` and then composes each
recipient's digest in memory. The same item and reason reach thousands of people: each is
built (and each item's text and HTML rendered) once per language, then reused.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from flask import current_app
from markupsafe import Markup

from baerekraft_hub.activity.queries import PeriodEvent, events_between, subjects_between
from baerekraft_hub.core.i18n import rendering_in
from baerekraft_hub.core.urls import public_url
from baerekraft_hub.digests.periods import Period
from baerekraft_hub.digests.reach import Item, Pair, Reach
from baerekraft_hub.follows.kinds import Reason, followable
from baerekraft_hub.follows.models import FollowKind

# What the digest templates read for every group and entry: attributes of slotted objects
# (Jinja reads an attribute directly, where a dict key costs it a failed attribute lookup
# first: a third of a digest's rendering).


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


class Composer:
    """Composes the digests of one period."""

    def __init__(self, period: Period, reach: Reach) -> None:
        self.period = period
        self.reach = reach
        self.events = reach.events
        self._urls: dict[tuple, str] = {}
        self._items_rendered: dict[tuple, Entry] = {}
        self._reasons: dict[tuple, Reason] = {}
        self._period_texts: dict[str, str] = {}
        self._subjects: dict[tuple[str, int], str] = {}
        self._also_lines: dict[tuple, tuple[tuple[Reason, ...], str]] = {}
        self.per_group = current_app.config["DIGEST_ITEMS_PER_GROUP"]
        self.suggestion_count = current_app.config["DIGEST_SUGGESTIONS"]

    @classmethod
    def for_period(cls, period: Period) -> Composer:
        start, end = period.utc_bounds()
        reach = Reach(events_between(start, end), subjects_between(start, end))
        composer = cls(period, reach)
        if composer.events:
            composer.reach.load_names()
        return composer

    # --- one person's digest -------------------------------------------------------------

    def compose(self, user, followed: set[Pair]) -> dict[str, Any] | None:
        """The email context of the user's digest, or None when nothing new reached them."""
        group_of, also, events, newest = self.reach.reached(user, followed)
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
            "subject_line": self._subject(language, len(group_of)),
            "groups": context_groups,
            "suggestions": self._suggest(user, followed),
            "feed_url": self._url("activity.feed"),
            "settings_url": self._url("digests.preferences"),
        }

    def _reason(self, pair: Pair, language: str) -> Reason:
        cache_key = (pair, language)
        if cache_key not in self._reasons:
            with rendering_in(language):
                reason = followable(pair[0]).reason(self.reach.things[pair], build=self._url)
            because = _digest_macro("because", language, reason)
            self._reasons[cache_key] = replace(reason, because=because)
        return self._reasons[cache_key]

    def _period_text(self, language: str) -> str:
        if language not in self._period_texts:
            period = self.period
            self._period_texts[language] = _digest_macro(
                "period_text", language, period.frequency.value, period.start, period.last_day
            )
        return self._period_texts[language]

    def _subject(self, language: str, count: int) -> str:
        if (language, count) not in self._subjects:
            frequency = self.period.frequency.value
            self._subjects[language, count] = _digest_macro(
                "subject_text", language, frequency, count
            )
        return self._subjects[language, count]

    def _item(self, item_key: Pair, event_ids: set[int], also: list[Pair], language: str) -> Entry:
        """One entry: the item as rendered for everyone it reached through these events, with
        the other reasons it reached this person."""
        event_time = self.reach.event_time
        ordered = tuple(sorted(event_ids, key=lambda i: (event_time[i], i)))
        cache_key = (item_key, ordered, language)
        rendered = self._items_rendered.get(cache_key)
        if rendered is None:
            events = [self.reach.events_by_id[i] for i in ordered]
            item = self._build_item(self.reach.items[item_key], events)
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

    def _build_item(self, item: Item, events: list[PeriodEvent]) -> dict[str, Any]:
        obj = item.obj
        about_organisation = item.kind is FollowKind.ORGANISATION  # its KPI values
        return {
            "kind": item.kind.value,
            "title": obj.name if about_organisation else obj.title,
            "language": "nb" if about_organisation else obj.language,
            "organisation": obj.name if about_organisation else obj.owner.name,
            "url": (
                self._url("kpis.values", slug=obj.slug)
                if about_organisation
                else followable(item.kind).url(obj, build=self._url)
            ),
            "happened": [
                {
                    "kind": e.kind,
                    "details": dict(e.details or {}),
                    "organisation": e.organisation_name,
                }
                for e in events
            ],
        }

    def _url(self, endpoint: str, **values) -> str:
        """Absolute URLs, built once per run each (the same links go to many people)."""
        key = (endpoint, *sorted(values.items()))
        if key not in self._urls:
            self._urls[key] = public_url(endpoint, **values)
        return self._urls[key]

    def _suggest(self, user, followed: set[Pair]) -> list[Suggestion]:
        organisations, projects = self.reach.suggested(user, followed, self.suggestion_count)
        suggestions = [
            Suggestion(org.name, self._url("pages.organisation", slug=org.slug))
            for org in organisations
        ]
        suggestions += [
            Suggestion(title, self._url("projects.show", project_id=project_id))
            for project_id, title in projects
        ]
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
