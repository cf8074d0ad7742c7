"""One KPI across municipalities: the ranking for a year, the distribution, chosen series."""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.extensions import db
from baerekraft_hub.kpis import scoring
from baerekraft_hub.kpis.definitions import KpiDefinition, direction_of
from baerekraft_hub.kpis.medians import NETWORK, KpiMedian
from baerekraft_hub.kpis.models import KpiValue
from baerekraft_hub.kpis.places import places
from baerekraft_hub.projects.models import Project, project_kpi
from baerekraft_hub.sdg.models import Kpi
from baerekraft_hub.sdg.services import links_goal

LINKED_PROJECTS = 20
CHOSEN_AT_MOST = 5
PUBLISHED = PublicationState.PUBLISHED.value


class Ranked(NamedTuple):
    """A municipality's place in a KPI's ranking (a tuple: a ranking has hundreds)."""

    rank: int
    slug: str
    name: str
    population: int | None
    value: float
    points: int | None
    demo: bool


RANKING_EDGE = 20  # the page shows the top and the bottom 20, and the chosen municipalities


def ranking_excerpt(ranked: list[Ranked], chosen: list[str]) -> list[Ranked | None]:
    """The rows the KPI page shows of a ranking: the first and last RANKING_EDGE and the
    chosen municipalities, in rank order, with None where rows are left out."""
    keep = set(chosen)
    shown: list[Ranked | None] = []
    for position, row in enumerate(ranked):
        if position < RANKING_EDGE or position >= len(ranked) - RANKING_EDGE or row.slug in keep:
            shown.append(row)
        elif shown and shown[-1] is not None:
            shown.append(None)
    return shown


def years_of(kpi: KpiDefinition) -> list[int]:
    """The years some municipality reported the KPI, newest first (one query)."""
    return list(
        db.session.scalars(
            sa.select(KpiMedian.year)
            .where(KpiMedian.kpi_id == kpi.id, KpiMedian.scope == NETWORK)
            .order_by(KpiMedian.year.desc())
        )
    )


_VALUES = KpiValue.__table__
# Built once, with the KPI and year bound per call: table columns, not the mapped class, so
# that the rows skip the ORM's loading (a ranking is up to 357 rows).
_RANKING = sa.select(_VALUES.c.organisation_id, _VALUES.c.value, _VALUES.c.demo).where(
    _VALUES.c.kpi_id == sa.bindparam("kpi_id"), _VALUES.c.year == sa.bindparam("year")
)


def ranking(kpi: KpiDefinition, year: int) -> list[Ranked]:
    """Every municipality's value for the year, best first in the KPI's direction, ties by
    name (one query; names from the kept organisation list)."""
    direction, target = direction_of(kpi), kpi.target_value
    lower = direction == scoring.LOWER
    by_id = places().by_id
    found = [
        (place, value, demo)
        for organisation_id, value, demo in db.session.execute(
            _RANKING, {"kpi_id": kpi.id, "year": year}
        ).all()  # one fetch, not one per row
        if (place := by_id.get(organisation_id)) is not None and place.municipality
    ]
    found.sort(key=lambda r: (r[1] if lower else -r[1], r[0].name))
    points = scoring.points
    return [
        Ranked(
            i,
            place.slug,
            place.name,
            place.population,
            value,
            None if target is None else points(value, target, direction),
            demo,
        )
        for i, (place, value, demo) in enumerate(found, start=1)
    ]


_MEDIANS = KpiMedian.__table__
_NETWORK_MEDIANS = (
    sa.select(_MEDIANS.c.year, _MEDIANS.c.median, _MEDIANS.c.reporting, _MEDIANS.c.demo)
    .where(_MEDIANS.c.kpi_id == sa.bindparam("kpi_id"), _MEDIANS.c.scope == NETWORK)
    .order_by(_MEDIANS.c.year)
)


def network_medians(kpi: KpiDefinition) -> list[sa.Row]:
    """The network's median of every year (rows with year, median, reporting, demo), oldest
    first (one query): also the years some municipality reported."""
    return list(db.session.execute(_NETWORK_MEDIANS, {"kpi_id": kpi.id}))


# No ORDER BY year: SQLite would then read the KPI's every value (by its kpi_id, year index)
# instead of the chosen few's by the unique index; series_of sorts them.
_SERIES = sa.select(
    _VALUES.c.organisation_id, _VALUES.c.year, _VALUES.c.value, _VALUES.c.demo
).where(
    _VALUES.c.kpi_id == sa.bindparam("kpi_id"),
    _VALUES.c.organisation_id.in_(sa.bindparam("ids", expanding=True)),
)


def series_of(
    kpi: KpiDefinition, slugs: list[str]
) -> list[tuple[str, str, dict[int, float], bool]]:
    """(slug, name, {year: value}, demo) for chosen organisations, in the order asked (one
    query)."""
    by_slug = places().by_slug
    chosen = [by_slug[s] for s in slugs[:CHOSEN_AT_MOST] if s in by_slug]
    if not chosen:
        return []
    series: dict[int, dict[int, float]] = {p.id: {} for p in chosen}
    demos: set[int] = set()
    rows = db.session.execute(_SERIES, {"kpi_id": kpi.id, "ids": list(series)})
    for organisation_id, year, value, demo in sorted(rows, key=lambda r: r.year):
        series[organisation_id][year] = value
        if demo:
            demos.add(organisation_id)
    return [(p.slug, p.name, series[p.id], p.id in demos) for p in chosen]


_LINKED_PROJECTS = (
    sa.select(Project.id, Project.title)
    .join(project_kpi, project_kpi.c.project_id == Project.id)
    # `state || ''`: without statistics SQLite would rather walk every published project in
    # date order (the state index gives that order) than look up the few linked to the KPI;
    # the concatenation keeps it off that index (1.3 ms -> 0.2 ms).
    .where(project_kpi.c.kpi_id == sa.bindparam("kpi_id"), Project.state.concat("") == PUBLISHED)
    .order_by(Project.published_at.desc().nulls_last(), Project.id.desc())
    .limit(LINKED_PROJECTS)
)


def linked_projects(kpi: KpiDefinition) -> list[tuple[int, str]]:
    """(id, title) of published projects linked to the KPI, newest first (one query)."""
    return list(db.session.execute(_LINKED_PROJECTS, {"kpi_id": kpi.id}))


def latest_network_median() -> sa.Select:
    """(Kpi, its latest network KpiMedian or None) for every KPI, in code order."""
    latest_year = (
        sa.select(sa.func.max(KpiMedian.year))
        .where(KpiMedian.kpi_id == Kpi.id, KpiMedian.scope == NETWORK)
        .correlate(Kpi)
        .scalar_subquery()
    )
    return (
        sa.select(Kpi, KpiMedian)
        .outerjoin(
            KpiMedian,
            sa.and_(
                KpiMedian.kpi_id == Kpi.id,
                KpiMedian.scope == NETWORK,
                KpiMedian.year == latest_year,
            ),
        )
        .order_by(Kpi.code)
    )


def kpis_of_goal(number: int) -> list[tuple[Kpi, KpiMedian | None]]:
    """The goal's KPIs with the network's latest median and how many report (one query)."""
    return [
        (kpi, median)
        for kpi, median in db.session.execute(latest_network_median())
        if links_goal(kpi, number)
    ]


# Each KPI's network median of its latest year, built once (an alias costs more to build per
# request than the query costs to run). The latest years come from one grouped subquery: a
# correlated max() per row took 8 ms on PostgreSQL, the grouped form 2 ms (728 network rows).
_NETWORK = (KpiMedian.scope == NETWORK, KpiMedian.scope_key == 0)
_LATER = aliased(KpiMedian)
_LATEST_YEARS = (
    sa.select(_LATER.kpi_id, sa.func.max(_LATER.year).label("year"))
    .where(_LATER.scope == NETWORK, _LATER.scope_key == 0)
    .group_by(_LATER.kpi_id)
    .subquery("latest")
)
_LATEST_NETWORK = (
    sa.select(
        KpiMedian.kpi_id, KpiMedian.year, KpiMedian.median, KpiMedian.reporting, KpiMedian.demo
    )
    .join(
        _LATEST_YEARS,
        sa.and_(_LATEST_YEARS.c.kpi_id == KpiMedian.kpi_id, _LATEST_YEARS.c.year == KpiMedian.year),
    )
    .where(*_NETWORK)
)


def reporting_by_kpi() -> dict[int, sa.Row]:
    """Each KPI's latest network median (rows with year, median, reporting, demo), by KPI id
    (one query, plain rows: the index lists all 91)."""
    return {row.kpi_id: row for row in db.session.execute(_LATEST_NETWORK)}
