"""What the SDG domain does: load its reference data and answer questions about it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from baerekraft_hub.core.pagecache import per_generation
from baerekraft_hub.core.reference import Upserter, blank_to_none, read_csv
from baerekraft_hub.core.text import norwegian_sort_key
from baerekraft_hub.extensions import db
from baerekraft_hub.sdg.models import (
    Goal,
    GoalTexts,
    Indicator,
    Kpi,
    KpiGroup,
    LocalisedText,
    Target,
)


def target_position(target_id: str) -> int:
    """Order targets as the UN does: 11.1 … 11.7, then 11.a, 11.b, 11.c."""
    suffix = target_id.split(".", 1)[1]
    return int(suffix) if suffix.isdigit() else 100 + ord(suffix) - ord("a")


def load_reference(upsert: Upserter) -> dict[str, int]:
    """Load goals, targets, indicators and KPIs from the shipped CSV files."""
    for row in read_csv("sdg_goals.csv"):
        upsert.apply(
            Goal,
            {"number": int(row["number"])},
            {
                "short_title_en": row["short_title_en"],
                "title_en": row["title_en"],
                "short_title_nb": blank_to_none(row["short_title_nb"]),
                "title_nb": blank_to_none(row["title_nb"]),
                "short_title_nn": blank_to_none(row["short_title_nn"]),
                "title_nn": blank_to_none(row["title_nn"]),
                "colour": row["colour"],
            },
        )
    db.session.flush()
    for row in read_csv("sdg_targets.csv"):
        # text_nb_unreviewed_opensdg is not an official translation: never loaded.
        upsert.apply(
            Target,
            {"id": row["id"]},
            {
                "goal_number": int(row["goal"]),
                "position": target_position(row["id"]),
                "text_en": row["text_en"],
                "text_nb": blank_to_none(row["text_nb"]),
                "text_nb_source": blank_to_none(row["text_nb_source"]),
                "text_nn": blank_to_none(row["text_nn"]),
                "text_nn_source": blank_to_none(row["text_nn_source"]),
                "goal17_theme": blank_to_none(row["goal17_theme"]),
            },
        )
    db.session.flush()
    for position, row in enumerate(read_csv("sdg_indicators.csv")):
        upsert.apply(
            Indicator,
            {"id": row["id"]},
            {
                "target_id": row["target"],
                "position": position,
                "text_en": row["text_en"],
                "unsd_code": blank_to_none(row["unsd_code"]),
                "repeated_as": blank_to_none(row["repeated_as"]),
            },
        )
    for row in read_csv("u4ssc_kpis.csv"):
        upsert.apply(
            Kpi,
            {"code": row["code"]},
            {
                "name_en": row["name_en"],
                "dimension": row["dimension"],
                "sub_dimension": row["sub_dimension"],
                "category": row["category"],
                "core": row["core_or_advanced"] == "Core",
                "unit": blank_to_none(row["unit"]),
                "sub_measures": blank_to_none(row["sub_measures"]),
                "sdg_goals": blank_to_none(row["sdg_goals"]),
                "sdg_targets": blank_to_none(row["sdg_targets"]),
                **_kpi_definition(row),
            },
        )
    db.session.flush()
    _load_kpi_structure(upsert)
    return {
        "goals": db.session.scalar(db.select(db.func.count()).select_from(Goal)),
        "targets": db.session.scalar(db.select(db.func.count()).select_from(Target)),
        "indicators": db.session.scalar(db.select(db.func.count()).select_from(Indicator)),
        "KPIs": db.session.scalar(db.select(db.func.count()).select_from(Kpi)),
    }


KPI_TEXT_COLUMNS = (
    "name_nb",
    "name_nn",
    "description_en",
    "description_nb",
    "description_nn",
    "text_source",
    "unit_code",
    "numerator",
    "denominator",
    "direction",
    "target_source",
)


def _kpi_definition(row: dict[str, str]) -> dict[str, object]:
    """The definition columns of a KPI row (absent columns stay empty)."""
    values: dict[str, object] = {name: blank_to_none(row.get(name)) for name in KPI_TEXT_COLUMNS}
    target = blank_to_none(row.get("target_value"))
    values["target_value"] = float(target) if target is not None else None
    return values


def _load_kpi_structure(upsert: Upserter) -> None:
    """Dimensions, sub-dimensions and categories, parents first, each keyed by its path as
    KPI codes begin with it ("EC", "EC: ICT", "EC: ICT: ICT"): the file's short codes repeat
    across levels (the dimension and the sub-dimension "EN")."""
    try:
        rows = list(read_csv("u4ssc_structure.csv"))
    except FileNotFoundError:
        return
    paths: dict[tuple[str, str], str] = {}  # (level, short code) -> path
    parent_level = {"sub_dimension": "dimension", "category": "sub_dimension"}
    for position, row in enumerate(rows):
        level = row["level"]
        parent = paths.get((parent_level.get(level, ""), row.get("parent") or ""))
        path = f"{parent}: {row['code']}" if parent else row["code"]
        paths[(level, row["code"])] = path
        upsert.apply(
            KpiGroup,
            {"code": path},
            {
                "level": level,
                "parent_code": parent,
                "position": position,
                "name_en": row["name_en"],
                "name_nb": blank_to_none(row.get("name_nb")),
                "name_nn": blank_to_none(row.get("name_nn")),
            },
        )
        db.session.flush()


def all_goals() -> list[Goal]:
    """The 17 goals in order."""
    return list(db.session.scalars(db.select(Goal).order_by(Goal.number)))


@dataclass(frozen=True, slots=True)
class IndicatorInfo(LocalisedText):
    """An indicator as the goal and target pages show it (plain values, kept per process)."""

    id: str
    text_en: str


@dataclass(frozen=True, slots=True)
class TargetInfo(LocalisedText):
    """A target with its indicators, as the goal and target pages show it."""

    id: str
    goal_number: int
    text_en: str
    text_nb: str | None
    text_nn: str | None
    indicators: tuple[IndicatorInfo, ...]


@dataclass(frozen=True, slots=True)
class GoalInfo(GoalTexts):
    """A goal with its targets in order, as the goal and target pages show it."""

    number: int
    short_title_en: str
    short_title_nb: str | None
    short_title_nn: str | None
    title_en: str
    title_nb: str | None
    title_nn: str | None
    targets: tuple[TargetInfo, ...]


@per_generation
def _goal_tree() -> dict[int, GoalInfo]:
    """Every goal with its targets and their indicators (17, 169 and about 250 rows): reference
    data that changes only with `flask seed reference`, read in one query per content
    generation rather than on every goal or target page."""
    goals = db.session.scalars(
        db.select(Goal)
        .order_by(Goal.number)
        .options(selectinload(Goal.targets).selectinload(Target.indicators))
    )
    return {
        goal.number: GoalInfo(
            goal.number,
            goal.short_title_en,
            goal.short_title_nb,
            goal.short_title_nn,
            goal.title_en,
            goal.title_nb,
            goal.title_nn,
            tuple(
                TargetInfo(
                    target.id,
                    goal.number,
                    target.text_en,
                    target.text_nb,
                    target.text_nn,
                    tuple(IndicatorInfo(i.id, i.text_en) for i in target.indicators),
                )
                for target in goal.targets
            ),
        )
        for goal in goals
    }


def all_goal_texts() -> list[GoalInfo]:
    """The 17 goals in order, with their targets (no query while the content is unchanged)."""
    return list(_goal_tree().values())


def get_goal(number: int) -> GoalInfo | None:
    """A goal with its targets and their indicators (no query while the content is unchanged)."""
    return _goal_tree().get(number)


def get_target(target_id: str) -> tuple[TargetInfo, GoalInfo] | None:
    """A target with its indicators, and its goal (no query while the content is unchanged)."""
    goal_number, _, _rest = target_id.partition(".")
    goal = _goal_tree().get(int(goal_number)) if goal_number.isdigit() else None
    for target in goal.targets if goal else ():
        if target.id == target_id:
            return target, goal
    return None


def links_goal(kpi: Kpi, number: int) -> bool:
    """Whether KS links the U4SSC KPI to the goal ("11; 13")."""
    return str(number) in (kpi.sdg_goals or "").replace(" ", "").split(";")


def _relative_luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def text_colour_on(hex_colour: str) -> str:
    """Black or white, whichever reads better on the official goal colour (WCAG contrast)."""
    luminance = _relative_luminance(hex_colour)
    on_white = 1.05 / (luminance + 0.05)
    on_black = (luminance + 0.05) / 0.05
    return "#ffffff" if on_white >= on_black else "#000000"


def search_targets(query: str, limit: int = 12) -> list[Target]:
    """Targets whose id starts with the query or whose text (in the reader's language) has it."""
    query = query.strip()[:100]
    if not query:
        return []
    targets = db.session.scalars(
        db.select(Target)
        .options(selectinload(Target.goal))
        .order_by(Target.goal_number, Target.position)
    ).all()
    if query[0].isdigit():
        return [t for t in targets if t.id.startswith(query)][:limit]
    words = norwegian_sort_key(query).split()
    matches = []
    for target in targets:
        haystack = norwegian_sort_key(f"{target.text} {target.goal.short_title}")
        if all(word in haystack for word in words):
            matches.append(target)
    return matches[:limit]
