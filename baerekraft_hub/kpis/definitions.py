"""The 91 KPI definitions as pages show them: slugs, groups and localized group names.

They are reference data: read once per process and kept until the content generation moves
on (`per_generation`: the next commit anywhere), as plain frozen values rather than ORM
objects, which belong to one request's session. A status page, a KPI page and the API each
need the whole list; loading 91 ORM objects and the structure's 27 groups cost more than
the rest of their queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from baerekraft_hub.core.i18n import LocalText, current_language, localized
from baerekraft_hub.core.pagecache import per_generation
from baerekraft_hub.extensions import db
from baerekraft_hub.kpis.scoring import LOWER
from baerekraft_hub.sdg.models import Kpi, KpiGroup, KpiTexts

LANGUAGES = ("nb", "nn", "en")


def kpi_slug(code: str) -> str:
    """'EC: ICT: ICT: 1C' -> 'ec-ict-ict-1c' (the KPI page's address)."""
    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class KpiDefinition(KpiTexts):
    """A KPI's columns (`sdg.models.Kpi`) as a plain value, with its slug."""

    id: int
    code: str
    name_en: str
    name_nb: str | None
    name_nn: str | None
    description_en: str | None
    description_nb: str | None
    description_nn: str | None
    dimension: str
    sub_dimension: str
    category: str
    core: bool
    unit: str | None
    unit_code: str | None
    numerator: str | None
    denominator: str | None
    direction: str | None
    target_value: float | None
    target_source: str | None
    sdg_goals: str | None
    sdg_targets: str | None
    text_source: str | None
    slug: str

    @classmethod
    def of(cls, kpi: Kpi) -> KpiDefinition:
        columns = {f.name: getattr(kpi, f.name) for f in fields(cls) if f.name != "slug"}
        return cls(**columns, slug=kpi_slug(kpi.code))


@dataclass(frozen=True)
class Section:
    """A dimension or category of the structure: its code, its name in each language, and
    (a category) its KPIs' ids or (a dimension) its categories, in the order of the KPI list."""

    code: str
    names: dict[str, LocalText]
    kpi_ids: tuple[int, ...] = ()
    children: tuple[Section, ...] = ()
    slug: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "slug", kpi_slug(self.code))


@dataclass(frozen=True)
class Definitions:
    kpis: tuple[KpiDefinition, ...]
    by_id: dict[int, KpiDefinition]
    by_slug: dict[str, KpiDefinition]
    by_code: dict[str, KpiDefinition]
    structure: tuple[Section, ...]


@per_generation
def definitions() -> Definitions:
    """Every KPI in id order and the structure they sit in (two queries, once per generation)."""
    kpis = tuple(KpiDefinition.of(k) for k in db.session.scalars(db.select(Kpi).order_by(Kpi.id)))
    return Definitions(
        kpis=kpis,
        by_id={k.id: k for k in kpis},
        by_slug={k.slug: k for k in kpis},
        by_code={k.code: k for k in kpis},
        structure=structure_of(kpis, group_names()),
    )


def all_kpis() -> tuple[KpiDefinition, ...]:
    """Every KPI in id (U4SSC) order."""
    return definitions().kpis


def find_kpi(slug: str) -> KpiDefinition | None:
    return definitions().by_slug.get(slug)


def direction_of(kpi) -> str:
    """'lower' when lower is better; 'higher' otherwise (also when the data does not say)."""
    return LOWER if kpi.direction == LOWER else "higher"


def group_names() -> dict[str, KpiGroup]:
    """The U4SSC structure's groups by English name (one query), for their localized names.

    By name, not code: the structure's short codes repeat across levels ("EN" is a dimension and
    a sub-dimension), while a name means the same group wherever it stands ("Water and
    Sanitation" under ICT or under Infrastructure)."""
    return {g.name_en: g for g in db.session.scalars(db.select(KpiGroup))}


def group_code(kpi, level: int) -> str:
    """The code of a KPI's dimension (level 1), sub-dimension (2) or category (3)."""
    return ": ".join(kpi.code.split(": ")[:level])


def _names(english: str, groups: dict[str, KpiGroup]) -> dict[str, LocalText]:
    """A group's name for readers of each language (the KPI list's English name when the
    structure does not have the group)."""
    group = groups.get(english)
    if group is None:
        return {language: LocalText(english, "en") for language in LANGUAGES}
    return {language: localized(group, "name", language) for language in LANGUAGES}


def structure_of(kpis, groups: dict[str, KpiGroup]) -> tuple[Section, ...]:
    """Dimensions holding categories holding KPI ids, in the order of the KPI list."""
    dimensions: dict[str, tuple[dict[str, LocalText], list[tuple]]] = {}
    for kpi in kpis:
        dim_code, cat_code = group_code(kpi, 1), group_code(kpi, 3)
        if dim_code not in dimensions:
            dimensions[dim_code] = (_names(kpi.dimension, groups), [])
        categories = dimensions[dim_code][1]
        if not categories or categories[-1][0] != cat_code:
            categories.append((cat_code, _names(kpi.category, groups), []))
        categories[-1][2].append(kpi.id)
    return tuple(
        Section(
            code,
            names,
            children=tuple(Section(c, n, kpi_ids=tuple(ids)) for c, n, ids in categories),
        )
        for code, (names, categories) in dimensions.items()
    )


@dataclass
class Group:
    """A dimension or category of KPIs, in U4SSC order, with whatever rows a page attaches."""

    code: str
    name: LocalText
    rows: list = field(default_factory=list)
    children: list[Group] = field(default_factory=list)
    slug: str = ""  # in addresses: ?kategori=ec-ict-ict, #cat-ec-ict-ict


def grouped(rows: dict[int, object], structure: tuple[Section, ...] | None = None) -> list[Group]:
    """Dimensions holding categories holding each KPI's row, named in the reader's language."""
    language = current_language()
    if structure is None:
        structure = definitions().structure
    return [
        Group(
            dimension.code,
            _in(dimension.names, language),
            children=[
                Group(c.code, _in(c.names, language), [rows[i] for i in c.kpi_ids], slug=c.slug)
                for c in dimension.children
            ],
            slug=dimension.slug,
        )
        for dimension in structure
    ]


def _in(names: dict[str, LocalText], language: str) -> LocalText:
    return names.get(language) or names["nb"]
