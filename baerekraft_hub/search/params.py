"""What a search asks for, read from a query string and checked (the page and the API)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from baerekraft_hub.search.engine import STATUSES, Filters

KINDS = ("project", "practice", "organisation")
# Browsing without words lists content; organisations are found by their names (or when chosen).
BROWSED_KINDS = ("project", "practice")
SORTS = ("relevance", "newest")
MAX_VALUES = 20  # per filter: more is not a person choosing
MAX_PAGE = 500
MAX_QUERY_CHARS = 400  # the engine cuts further; this only bounds what we echo back


class BadParameter(ValueError):
    """A query-string value we cannot use; `name` says which."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


@dataclass
class SearchParams:
    """A search: text, facet filters, sort and page."""

    q: str = ""
    kinds: list[str] = field(default_factory=list)
    goals: list[int] = field(default_factory=list)
    counties: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    start_years: list[int] = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    @property
    def filters(self) -> Filters:
        """The facet filters of this search, as a backend takes them."""
        kinds = self.kinds or ([] if self.q.strip() else list(BROWSED_KINDS))
        return Filters(kinds, self.goals, self.counties, self.statuses, self.start_years)

    def selected(self, facet: str) -> set[str]:
        """The chosen values of a facet, as strings (as the facet counts name them)."""
        chosen = Filters(self.kinds, self.goals, self.counties, self.statuses, self.start_years)
        return chosen.by_facet()[facet]

    def args(self, **changes: object) -> dict[str, object]:
        """Query-string arguments reproducing this search (for links), with changes."""
        args: dict[str, object] = {
            "q": self.q or None,
            "kind": self.kinds or None,
            "goal": self.goals or None,
            "county": self.counties or None,
            "status": self.statuses or None,
            "start_year": self.start_years or None,
            "sort": self.sort if self.sort != "relevance" else None,
            "page": self.page if self.page != 1 else None,
        }
        args.update(changes)
        return {k: v for k, v in args.items() if v not in (None, "", [])}

    @property
    def has_filters(self) -> bool:
        return bool(self.kinds or self.goals or self.counties or self.statuses or self.start_years)


def _ints(args: MultiDict, name: str, low: int, high: int) -> list[int]:
    values = []
    for raw in _strings(args, name):
        try:
            value = int(raw)
        except ValueError:
            raise BadParameter(name, "must be a whole number") from None
        if not low <= value <= high:
            raise BadParameter(name, f"must be between {low} and {high}")
        values.append(value)
    return sorted(set(values))


def _strings(args: MultiDict, name: str, choices: tuple[str, ...] | None = None) -> list[str]:
    values = [v.strip() for v in args.getlist(name) if v.strip()]
    if len(values) > MAX_VALUES:
        raise BadParameter(name, f"at most {MAX_VALUES} values")
    for value in values:
        if len(value) > 80 or any(ord(c) < 32 for c in value):
            raise BadParameter(name, "not a value we know")
        if choices is not None and value not in choices:
            raise BadParameter(name, f"must be one of {', '.join(choices)}")
    return list(dict.fromkeys(values))


def _one_int(args: Mapping, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(name, "must be a whole number") from None
    if not low <= value <= high:
        raise BadParameter(name, f"must be between {low} and {high}")
    return value


def _counties(args: MultiDict, known: Mapping[str, str] | None) -> list[str]:
    """The chosen counties as the index names them. A county is given by its number, as
    /prosjekter/ takes it ("15"), or by its name (the page's facet links)."""
    values = _strings(args, "county")
    if known is None:
        return values
    names = set(known.values())
    chosen = []
    for value in values:
        name = known.get(value) or (value if value in names else None)
        if name is None:
            raise BadParameter("county", "unknown county: give its number, e.g. 15")
        chosen.append(name)
    return list(dict.fromkeys(chosen))


def read_params(
    args: MultiDict, *, per_page: int = 20, counties: Mapping[str, str] | None = None
) -> SearchParams:
    """The search a query string asks for; raises BadParameter for values we cannot use.

    `counties` (name by number) lets a county be given by number and refuses unknown ones.
    """
    sort = args.get("sort", "").strip() or "relevance"
    if sort not in SORTS:
        raise BadParameter("sort", f"must be one of {', '.join(SORTS)}")
    return SearchParams(
        q=args.get("q", "")[:MAX_QUERY_CHARS],
        kinds=_strings(args, "kind", KINDS),
        goals=_ints(args, "goal", 1, 17),
        counties=_counties(args, counties),
        statuses=_strings(args, "status", STATUSES),
        start_years=_ints(args, "start_year", 1900, 2100),
        sort=sort,
        page=_one_int(args, "page", 1, 1, MAX_PAGE),
        per_page=_one_int(args, "per_page", per_page, 1, 100),
    )
