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


# How candidates are chosen: newest first, or (to be ranked) a query word in the title first,
# then in the head (summary, tags, names), each tier newest first, as the Whoosh backend does.
NEWEST = "updated_at DESC, kind, doc_id"
TIERS = "in_title DESC, in_head DESC, " + NEWEST
_TIER_COLUMNS = (
    ", head @@ CAST(:title AS tsquery) AS in_title, head @@ CAST(:rank AS tsquery) AS in_head"
)


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
    parts = []
    for name, (values, _) in FACETS.items():
        others = " AND ".join(f"f_{other}" for other in FACETS if other != name)
        parts.append(
            f"SELECT '{name}' AS facet, value::text AS value, count(*) AS n FROM"
            f" (SELECT {values} AS value, {others} AS passes FROM m) AS v"
            " WHERE passes AND value IS NOT NULL GROUP BY value"
        )
    every = " AND ".join(f"f_{name}" for name in FACETS)
    parts.append(f"SELECT 'total', '', count(*) FILTER (WHERE {every}) FROM m")
    parts.append("SELECT 'matched', '', count(*) FROM m")
    tiers = _TIER_COLUMNS if order == TIERS else ""
    if limit:
        parts.append(
            f"(SELECT 'candidate', kind, doc_id FROM m WHERE {every} ORDER BY {order} LIMIT :limit)"
        )
    sql = (
        f"WITH m AS MATERIALIZED (SELECT kind, doc_id, updated_at, goals, counties, status,"
        f" start_year, {flags}{tiers} FROM {TABLE} WHERE {match_sql(match)}) "
        + " UNION ALL ".join(parts)
    )
    params = {"match": match or "", "limit": limit, **(ranks or {}), **_params(filters)}
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    totals = {"total": 0, "matched": 0}
    candidates: list[tuple[str, int]] = []
    for facet, value, n in connection.execute(sa.text(sql), params):
        if facet == "candidate":
            candidates.append((value, n))
        elif facet in totals:
            totals[facet] = n
        else:
            counts[facet][value] = n
    selected = filters.by_facet()
    result: dict[str, dict[str | int, int]] = {}
    for name, per_value in counts.items():
        for value in selected[name]:
            per_value.setdefault(value, 0)
        ordered = sorted(per_value.items(), key=lambda item: (-item[1], item[0]))
        numeric = name in _NUMERIC
        result[name] = {(int(v) if numeric else v): c for v, c in ordered}
    return Counted(totals["matched"], totals["total"], result, candidates)
