"""What the goal and organisation pages show that changes only with a commit: the KPIs'
network medians per goal, and each organisation's published work per goal. Kept per content
generation (`per_generation`), so a page reads them once per commit per process."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from baerekraft_hub.content.queries import goals_with_counts
from baerekraft_hub.core.i18n import LocalText, localized
from baerekraft_hub.core.pagecache import per_generation
from baerekraft_hub.extensions import db
from baerekraft_hub.kpis.comparison import latest_network_median
from baerekraft_hub.kpis.definitions import kpi_slug
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices import queries as practice_queries
from baerekraft_hub.projects import queries as project_queries
from baerekraft_hub.sdg import services as sdg_services

T = TypeVar("T")


def remembered(kept: dict, key: Hashable, compute: Callable[[], T]) -> T:
    """`kept[key]`, computed the first time it is asked for (`kept`: a per-generation dict)."""
    if key not in kept:
        kept[key] = compute()
    return kept[key]


@dataclass(frozen=True, slots=True)
class GoalKpi:
    """A U4SSC KPI in the goal page's table, with the network's latest median (if any)."""

    code: str
    slug: str
    name_en: str
    name_nb: str | None
    name_nn: str | None
    dimension: str
    core: bool
    unit: str | None
    median: float | None
    year: int | None
    reporting: int
    demo: bool

    @property
    def name(self) -> LocalText:
        return localized(self, "name")


@per_generation
def _kpis_by_goal() -> dict[int, list[GoalKpi]]:
    """Each goal's KPIs with their latest network median: the medians change only when KPI
    values are imported, so they are read once per content generation, for every goal."""
    by_goal: dict[int, list[GoalKpi]] = {}
    for kpi, m in db.session.execute(latest_network_median()):
        row = GoalKpi(
            kpi.code,
            kpi_slug(kpi.code),
            kpi.name_en,
            kpi.name_nb,
            kpi.name_nn,
            kpi.dimension,
            kpi.core,
            kpi.unit,
            m.median if m else None,
            m.year if m else None,
            m.reporting if m else 0,
            bool(m and m.demo),
        )
        for number in range(1, 18):
            if sdg_services.links_goal(kpi, number):
                by_goal.setdefault(number, []).append(row)
    return by_goal


def kpis_of_goal(number: int) -> list[GoalKpi]:
    """The goal's KPIs with the network's latest median and how many report (no query while
    the content is unchanged)."""
    return _kpis_by_goal().get(number, [])


@per_generation
def _coverage() -> dict[int, dict[int, int]]:
    """Organisation id -> {goal number: published items}, filled as profiles are seen."""
    return {}


def goal_coverage(organisation: Organisation) -> dict[int, int]:
    """How many published projects and practices the organisation owns or takes part in, per
    goal (only goals with some): one query the first time after a commit (7 ms for Molde on
    the bench data: it reads the items' links to targets and goals), then none."""

    def count() -> dict[int, int]:
        goals = goals_with_counts(
            project_queries.coverage_of(organisation), practice_queries.coverage_of(organisation)
        )
        return {goal.number: n for goal, n in goals if n}

    return remembered(_coverage(), organisation.id, count)
