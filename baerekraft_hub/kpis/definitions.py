"""The 91 KPI definitions as pages show them: slugs, groups and localized group names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from baerekraft_hub.extensions import db
from baerekraft_hub.kpis.scoring import LOWER
from baerekraft_hub.sdg.models import Kpi, KpiGroup


def kpi_slug(code: str) -> str:
    """'EC: ICT: ICT: 1C' -> 'ec-ict-ict-1c' (the KPI page's address)."""
    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


def all_kpis() -> list[Kpi]:
    """Every KPI in code order (one query)."""
    return list(db.session.scalars(db.select(Kpi).order_by(Kpi.id)))


def find_kpi(kpis: list[Kpi], slug: str) -> Kpi | None:
    return next((k for k in kpis if kpi_slug(k.code) == slug), None)


def direction_of(kpi: Kpi) -> str:
    """'lower' when lower is better; 'higher' otherwise (also when the data does not say)."""
    return LOWER if kpi.direction == LOWER else "higher"


def group_names() -> dict[str, KpiGroup]:
    """The U4SSC structure's groups by English name (one query), for their localized names.

    By name, not code: the structure's short codes repeat across levels ("EN" is a dimension and
    a sub-dimension), while a name means the same group wherever it stands ("Water and
    Sanitation" under ICT or under Infrastructure)."""
    return {g.name_en: g for g in db.session.scalars(db.select(KpiGroup))}


def group_code(kpi: Kpi, level: int) -> str:
    """The code of a KPI's dimension (level 1), sub-dimension (2) or category (3)."""
    return ": ".join(kpi.code.split(": ")[:level])


@dataclass
class Group:
    """A dimension or category of KPIs, in U4SSC order, with whatever rows a page attaches."""

    code: str
    name: object  # a KpiGroup's LocalText, or the English name from the KPI list
    rows: list = field(default_factory=list)
    children: list[Group] = field(default_factory=list)


def grouped(kpis: list[Kpi], rows: dict[int, object], groups: dict[str, KpiGroup]) -> list[Group]:
    """Dimensions holding categories holding each KPI's row, in the order of the KPI list."""
    dimensions: dict[str, Group] = {}
    for kpi in kpis:
        dim_code, cat_code = group_code(kpi, 1), group_code(kpi, 3)
        dimension = dimensions.get(dim_code)
        if dimension is None:
            name = groups[kpi.dimension].name if kpi.dimension in groups else kpi.dimension
            dimension = dimensions[dim_code] = Group(dim_code, name)
        if not dimension.children or dimension.children[-1].code != cat_code:
            name = groups[kpi.category].name if kpi.category in groups else kpi.category
            dimension.children.append(Group(cat_code, name))
        dimension.children[-1].rows.append(rows[kpi.id])
    return list(dimensions.values())
