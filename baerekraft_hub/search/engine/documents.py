"""The plain data that goes into and comes out of the search engine, and its errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

KINDS = ("project", "practice", "organisation")
STATUSES = ("idea", "planned", "ongoing", "completed", "stopped")


class SearchUnavailable(Exception):
    """The index is missing or unreadable: fall back to a database search and rebuild it."""


class SearchBusy(Exception):
    """The index stayed locked by other writers (or a rebuild): keep the change and retry later."""


@dataclass(kw_only=True)
class SearchDocument:
    """One searchable thing, as the app describes it (no database objects in here)."""

    kind: str  # "project" | "practice" | "organisation"
    id: int
    title: str
    summary: str = ""
    body: str = ""  # Markdown source
    language: str = "nb"  # nb | nn | en: the language of the content
    organisation: str = ""  # the owner organisation's display name
    organisation_slug: str = ""
    places: Sequence[str] = ()  # municipality and county names of the owner and participants
    counties: Sequence[str] = ()  # county names, for the county facet
    sdg_goals: Sequence[int] = ()  # linked goals, including the goals of linked targets
    sdg_targets: Sequence[str] = ()  # "11.5", "13.1"
    status: str | None = None  # idea | planned | ongoing | completed | stopped
    start_year: int | None = None
    tags: Sequence[str] = ()
    url: str = ""
    updated_at: datetime  # timezone-aware; "newest" sort and drift checks

    @property
    def key(self) -> tuple[str, int]:
        """The (kind, id) pair that identifies this document in the index."""
        return (self.kind, self.id)


@dataclass(frozen=True)
class Filters:
    """Facet filters: a result has one of the chosen values of every facet with a choice."""

    kinds: Sequence[str] = ()
    goals: Sequence[int] = ()
    counties: Sequence[str] = ()  # county names
    statuses: Sequence[str] = ()
    start_years: Sequence[int] = ()

    def by_facet(self) -> dict[str, set[str]]:
        """The chosen values of each facet, as strings (as the facet counts name them)."""
        return {
            "kind": {str(v) for v in self.kinds},
            "goal": {str(v) for v in self.goals},
            "county": {str(v) for v in self.counties},
            "status": {str(v) for v in self.statuses},
            "start_year": {str(v) for v in self.start_years},
        }


NO_FILTERS = Filters()


@dataclass(frozen=True)
class SearchHit:
    """One result: what a result list or the JSON API shows."""

    kind: str
    id: int
    title: str
    url: str
    snippet: str  # HTML-safe: text escaped, matched words in <mark>
    organisation: str
    score: float


@dataclass(frozen=True)
class SearchResults:
    """A page of results with facet counts; `fuzzy` says near spellings were used."""

    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str | int, int]]
    suggestion: str | None = None
    fuzzy: bool = False
    partial: bool = False  # no document had every word; these have some of them
    page: int = 1
    per_page: int = 20


class Drift(NamedTuple):
    """What `check` found: keys missing from the index, stale in it, and extra in it."""

    missing: list[tuple[str, int]]
    stale: list[tuple[str, int]]
    extra: list[tuple[str, int]]
