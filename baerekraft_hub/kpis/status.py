"""A municipality's sustainability status: every KPI's latest value, points, trend and peers.

Built from a bounded number of queries whatever the network's size: the KPI list, the
structure's names, the organisation's own values (all years), the stored peer medians of its
scopes, and its published projects and practices linked to each KPI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.extensions import db
from baerekraft_hub.kpis import scoring
from baerekraft_hub.kpis.definitions import (
    Group,
    KpiDefinition,
    all_kpis,
    direction_of,
    grouped,
)
from baerekraft_hub.kpis.medians import BAND, COUNTY, NETWORK, medians_for, scopes_of
from baerekraft_hub.kpis.models import KpiValue
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices.models import Practice, practice_target
from baerekraft_hub.projects.models import Project, project_kpi, project_participant

PUBLISHED = PublicationState.PUBLISHED.value


@dataclass
class Linked:
    kind: str  # "project" or "practice"
    id: int
    title: str


@dataclass(frozen=True)
class Latest:
    """An organisation's latest value of a KPI."""

    year: int
    value: float
    demo: bool


@dataclass
class KpiStatus:
    """One KPI for one organisation: its latest value and what is said about it."""

    kpi: KpiDefinition
    series: dict[int, float] = field(default_factory=dict)
    latest: Latest | None = None
    points: int | None = None
    trend: scoring.Trend = scoring.Trend.NOT_ENOUGH_DATA
    peers: dict[str, sa.Row | None] = field(default_factory=dict)  # median, reporting, demo
    linked: list[Linked] = field(default_factory=list)

    @property
    def reported(self) -> bool:
        return self.latest is not None


@dataclass
class Status:
    organisation: Organisation
    dimensions: list[Group]
    rows: list[KpiStatus]
    band: tuple[int, int | None] | None
    score: scoring.Score

    @property
    def demo(self) -> bool:
        return any(r.latest is not None and r.latest.demo for r in self.rows)


def group_score(rows: list[KpiStatus]) -> scoring.Score:
    return scoring.score([r.points for r in rows], [r.reported for r in rows])


_EARLIER = aliased(KpiValue)
# Each KPI's latest value of one organisation: built once (an alias costs more to build than
# the query costs to run).
_LATEST_VALUES = (
    sa.select(KpiValue.kpi_id, KpiValue.year, KpiValue.value, KpiValue.demo)
    .where(
        KpiValue.organisation_id == sa.bindparam("organisation_id"),
        KpiValue.year
        == sa.select(sa.func.max(_EARLIER.year))
        .where(
            _EARLIER.organisation_id == KpiValue.organisation_id,
            _EARLIER.kpi_id == KpiValue.kpi_id,
        )
        .scalar_subquery(),
    )
    .order_by(KpiValue.kpi_id)
)


def _values(organisation: Organisation, latest_only: bool = False) -> list[sa.Row]:
    """(kpi_id, year, value, demo) of every value of the organisation, oldest first; with
    `latest_only` each KPI's latest value alone (91 rows rather than all years' 728: the
    summary scores the latest values and draws no trends)."""
    if latest_only:
        return list(db.session.execute(_LATEST_VALUES, {"organisation_id": organisation.id}))
    return list(
        db.session.execute(
            sa.select(KpiValue.kpi_id, KpiValue.year, KpiValue.value, KpiValue.demo)
            .where(KpiValue.organisation_id == organisation.id)
            .order_by(KpiValue.kpi_id, KpiValue.year)
        )
    )


def _linked_projects(organisation: Organisation) -> list[tuple[int, Linked]]:
    """(kpi_id, project) for the organisation's published projects, as owner or participant."""
    takes_part = sa.exists().where(
        project_participant.c.project_id == Project.id,
        project_participant.c.organisation_id == organisation.id,
    )
    rows = db.session.execute(
        sa.select(project_kpi.c.kpi_id, Project.id, Project.title)
        .join(Project, Project.id == project_kpi.c.project_id)
        .where(Project.state == PUBLISHED, sa.or_(Project.owner_id == organisation.id, takes_part))
        .order_by(Project.title, Project.id)
    )
    return [(kpi_id, Linked("project", pid, title)) for kpi_id, pid, title in rows]


def _linked_practices(organisation: Organisation) -> dict[str, list[Linked]]:
    """The organisation's published practices by SDG target (practices link to targets)."""
    rows = db.session.execute(
        sa.select(practice_target.c.target_id, Practice.id, Practice.title)
        .join(Practice, Practice.id == practice_target.c.practice_id)
        .where(Practice.state == PUBLISHED, Practice.owner_id == organisation.id)
        .order_by(Practice.title, Practice.id)
    )
    found: dict[str, list[Linked]] = {}
    for target_id, pid, title in rows:
        found.setdefault(target_id, []).append(Linked("practice", pid, title))
    return found


def kpi_targets(kpi: KpiDefinition) -> list[str]:
    """The SDG targets KS links to a KPI ("11.6; 3.9" -> ["11.6", "3.9"])."""
    return [t.strip() for t in (kpi.sdg_targets or "").replace(",", ";").split(";") if t.strip()]


def status_of(organisation: Organisation, details: bool = True) -> Status:
    """The organisation's status over all KPIs (six queries). Without `details` only the
    values and points (three queries): no trends, peer medians or linked projects."""
    kpis = all_kpis()
    rows = {kpi.id: KpiStatus(kpi) for kpi in kpis}
    latest: dict[int, tuple[int, float, bool]] = {}
    for kpi_id, year, value, demo in _values(organisation, latest_only=not details):
        row = rows.get(kpi_id)
        if row is not None:
            row.series[year] = value
            latest[kpi_id] = (year, value, demo)  # ordered by year: the last one wins
    for kpi_id, (year, value, demo) in latest.items():
        rows[kpi_id].latest = Latest(year, value, demo)
    scopes = scopes_of(organisation)
    years = {r.latest.year for r in rows.values() if r.latest is not None}
    medians = medians_for(None, scopes, years) if years and details else {}
    for row in rows.values():
        direction = direction_of(row.kpi)
        if details:
            row.trend = scoring.trend(row.series, row.kpi.target_value, direction)
        if row.latest is None:
            continue
        row.points = scoring.points(row.latest.value, row.kpi.target_value, direction)
        for scope, key in scopes if details else ():
            row.peers[scope] = medians.get((row.kpi.id, row.latest.year, scope, key))
    if details:
        _link(organisation, rows)
    ordered = [rows[k.id] for k in kpis]
    return Status(
        organisation=organisation,
        dimensions=grouped(rows),
        rows=ordered,
        band=None if organisation.is_county else scoring.population_band(organisation.population),
        score=group_score(ordered),
    )


def _link(organisation: Organisation, rows: dict[int, KpiStatus]) -> None:
    """Attach the organisation's projects and practices to the KPIs they work on."""
    for kpi_id, linked in _linked_projects(organisation):
        if kpi_id in rows:
            rows[kpi_id].linked.append(linked)
    practices = _linked_practices(organisation)
    for row in rows.values():
        seen = set()
        for target in kpi_targets(row.kpi):
            for practice in practices.get(target, []):
                if practice.id not in seen:
                    seen.add(practice.id)
                    row.linked.append(practice)


SCOPES = (COUNTY, BAND, NETWORK)
