"""Totals, facet counts and the candidates for the page in one statement: each facet counted
under the query and the *other* facets' filters, so choosing goal 11 still shows how many
match goal 13.

The matching rows are read once (a materialised CTE of their facet columns, with one boolean
per facet filter): reading 10,000 wide rows is most of a broad search's cost, so nothing else
reads them. Each facet is a GROUP BY over that small set, and the same set gives the keys of
the documents the page is chosen from (engine.py ranks those alone).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from baerekraft_hub.search.engine.documents import Filters
from baerekraft_hub.search.engine.postgresql.schema import TABLE

# Facet name -> (SQL of a document's values, SQL of "has one of the chosen values").
FACETS = {
    "kind": ("kind", "kind = ANY(CAST(:kinds AS TEXT[]))"),
    "goal": ("unnest(goals)", "goals && CAST(:goals AS INTEGER[])"),
    "county": ("unnest(counties)", "counties && CAST(:counties AS TEXT[])"),
    "status": ("status", "status = ANY(CAST(:statuses AS TEXT[]))"),
    "start_year": ("start_year", "start_year = ANY(CAST(:start_years AS INTEGER[]))"),
}
_NUMERIC = {"goal", "start_year"}


@dataclass
class Counted:
    matched: int  # documents matching the query, before the facet filters
    total: int  # ... and every facet filter
    facets: dict[str, dict[str | int, int]]
    candidates: list[tuple[str, int]]  # keys of the documents the page is chosen from


# How candidates are chosen: newest first, or (to be ranked) those with a query word in the
# title first, then the rest, each newest first (as the Whoosh backend's tiers, less the middle
# one: each tier tested costs a vector match on every matching row).
NEWEST = "updated_at DESC, doc_id DESC"  # (no text compared: collation is slow)
TIERS = "in_title DESC, " + NEWEST
_TIER_COLUMNS = ", title_terms @@ CAST(:title AS tsquery) AS in_title"


def _params(filters: Filters) -> dict[str, list]:
    return {
        "kinds": list(filters.kinds),
        "goals": [int(g) for g in filters.goals],
        "counties": list(filters.counties),
        "statuses": list(filters.statuses),
        "start_years": [int(y) for y in filters.start_years],
    }


def _chosen(filters: Filters) -> dict[str, str]:
    """The filter SQL of each facet with a choice."""
    selected = filters.by_facet()
    return {name: sql for name, (_, sql) in FACETS.items() if selected[name]}


def match_sql(match: str | None) -> str:
    """The WHERE clause of a tsquery from tsquery.build ("" every document, None none)."""
    if match is None:
        return "FALSE"
    return "terms @@ CAST(:match AS tsquery)" if match else "TRUE"


def where(match: str | None, filters: Filters) -> tuple[str, dict[str, object]]:
    """The WHERE clause for the query and every facet filter, and its parameters."""
    clauses = [match_sql(match), *_chosen(filters).values()]
    return " AND ".join(clauses), {"match": match or "", **_params(filters)}


def count(
    connection: Connection,
    match: str | None,
    filters: Filters,
    *,
    order: str = NEWEST,
    limit: int = 0,
    ranks: Mapping[str, str] | None = None,
) -> Counted:
    """How many match, how many of them pass the filters, every facet's counts, and the keys
    of the first `limit` documents that pass, in `order` (NEWEST or TIERS with `ranks`)."""
    chosen = _chosen(filters)
    flags = ", ".join(f"({chosen.get(name, 'TRUE')}) AS f_{name}" for name in FACETS)

    def others(name: str) -> str:
        return " AND ".join(f"f_{other}" for other in FACETS if other != name)

    every = " AND ".join(f"f_{name}" for name in FACETS)
    # One pass for the facets of one value a document (and the totals), one per array facet.
    scalar = [name for name, (values, _) in FACETS.items() if not values.startswith("unnest")]
    passes = ", ".join(f"{others(name)} AS p_{name}" for name in scalar)
    which = " ".join(f"WHEN GROUPING({name}) = 0 THEN '{name}'" for name in scalar)
    value = " ".join(f"WHEN GROUPING({name}) = 0 THEN {name}::text" for name in scalar)
    flag = ", ".join(f"p_{name}" for name in scalar)
    sets = ", ".join(f"({name}, p_{name})" for name in scalar)
    parts = [
        f"SELECT CASE {which} ELSE 'all' END, CASE {value} END, coalesce({flag}, p_all), count(*)"
        f" FROM (SELECT {', '.join(scalar)}, {passes}, {every} AS p_all FROM m) AS s"
        f" GROUP BY GROUPING SETS ({sets}, (p_all))"
    ]
    for name, (values, _) in FACETS.items():
        if name not in scalar:
            parts.append(
                f"SELECT '{name}', value::text, TRUE, count(*) FROM"
                f" (SELECT {values} AS value FROM m WHERE {others(name)}) AS v GROUP BY value"
            )
    tiers = _TIER_COLUMNS if order == TIERS else ""
    if limit:
        parts.append(
            f"(SELECT 'candidate', kind, TRUE, doc_id FROM m WHERE {every}"
            f" ORDER BY {order} LIMIT :limit)"
        )
    sql = (
        f"WITH m AS MATERIALIZED (SELECT kind, doc_id, updated_at, goals, counties, status,"
        f" start_year, {flags}{tiers} FROM {TABLE} WHERE {match_sql(match)}) "
        + " UNION ALL ".join(parts)
    )
    params = {"match": match or "", "limit": limit, **(ranks or {}), **_params(filters)}
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    matched = total = 0
    candidates: list[tuple[str, int]] = []
    for facet, value, passing, n in connection.execute(sa.text(sql), params):
        if facet == "candidate":
            candidates.append((value, n))
        elif facet == "all":
            matched += n
            total += n if passing else 0
        elif passing and value is not None:
            counts[facet][value] = n
    selected = filters.by_facet()
    result: dict[str, dict[str | int, int]] = {}
    for name, per_value in counts.items():
        for value in selected[name]:
            per_value.setdefault(value, 0)
        ordered = sorted(per_value.items(), key=lambda item: (-item[1], item[0]))
        numeric = name in _NUMERIC
        result[name] = {(int(v) if numeric else v): c for v, c in ordered}
    return Counted(matched, total, result, candidates)
