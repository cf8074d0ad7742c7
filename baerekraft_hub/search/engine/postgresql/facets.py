"""Totals and facet counts in one statement: each facet counted under the query and the
*other* facets' filters, so choosing goal 11 still shows how many match goal 13.

The matching documents are read once (a materialised CTE of their facet columns, with one
boolean per facet filter); each facet is then a GROUP BY over that small set.
"""

from __future__ import annotations

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


def count(connection: Connection, match: str | None, filters: Filters) -> Counted:
    """How many match, how many of them pass the filters, and every facet's counts."""
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
    sql = (
        f"WITH m AS MATERIALIZED (SELECT kind, goals, counties, status, start_year, {flags}"
        f" FROM {TABLE} WHERE {match_sql(match)}) " + " UNION ALL ".join(parts)
    )
    rows = connection.execute(sa.text(sql), {"match": match or "", **_params(filters)}).all()
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    totals = {"total": 0, "matched": 0}
    for facet, value, n in rows:
        if facet in totals:
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
    return Counted(matched=totals["matched"], total=totals["total"], facets=result)
