"""SDG reference data: goals, targets, indicators and U4SSC KPIs."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baerekraft_hub.core.i18n import LocalText, localized
from baerekraft_hub.extensions import db


class GoalTexts:
    """A goal's titles in the reader's language: for the model and its kept copy."""

    __slots__ = ()

    @property
    def short_title(self) -> LocalText:
        return localized(self, "short_title")

    @property
    def title(self) -> LocalText:
        return localized(self, "title")


class LocalisedText:
    """`text` in the reader's language: for targets, indicators and their kept copies."""

    __slots__ = ()

    @property
    def text(self) -> LocalText:
        return localized(self, "text")


class Goal(GoalTexts, db.Model):
    __tablename__ = "sdg_goal"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    short_title_en: Mapped[str] = mapped_column(String(120))
    title_en: Mapped[str] = mapped_column(Text)
    short_title_nb: Mapped[str | None] = mapped_column(String(120))
    title_nb: Mapped[str | None] = mapped_column(Text)
    short_title_nn: Mapped[str | None] = mapped_column(String(120))
    title_nn: Mapped[str | None] = mapped_column(Text)
    colour: Mapped[str] = mapped_column(String(7))

    targets: Mapped[list[Target]] = relationship(back_populates="goal", order_by="Target.position")

    def __repr__(self) -> str:
        return f"<Goal {self.number}>"


class Target(LocalisedText, db.Model):
    __tablename__ = "sdg_target"

    id: Mapped[str] = mapped_column(String(8), primary_key=True)  # "11.6", "13.a"
    goal_number: Mapped[int] = mapped_column(ForeignKey("sdg_goal.number"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order within the goal: 1..9 before a..c
    text_en: Mapped[str] = mapped_column(Text)
    text_nb: Mapped[str | None] = mapped_column(Text)
    text_nb_source: Mapped[str | None] = mapped_column(String(300))
    text_nn: Mapped[str | None] = mapped_column(Text)
    text_nn_source: Mapped[str | None] = mapped_column(String(300))
    goal17_theme: Mapped[str | None] = mapped_column(String(120))

    goal: Mapped[Goal] = relationship(back_populates="targets")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="target", order_by="Indicator.position"
    )

    def __repr__(self) -> str:
        return f"<Target {self.id}>"


class Indicator(LocalisedText, db.Model):
    __tablename__ = "sdg_indicator"

    id: Mapped[str] = mapped_column(String(12), primary_key=True)  # "11.6.1"
    target_id: Mapped[str] = mapped_column(ForeignKey("sdg_target.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text_en: Mapped[str] = mapped_column(Text)
    unsd_code: Mapped[str | None] = mapped_column(String(20))
    repeated_as: Mapped[str | None] = mapped_column(String(120))

    target: Mapped[Target] = relationship(back_populates="indicators")
    # `text`: no official Norwegian indicator texts exist in the shipped data (see SOURCES.md).


class KpiTexts:
    """A KPI's name and description in the reader's language: for the model and for the plain
    copies pages keep (`kpis.definitions.KpiDefinition`)."""

    __slots__ = ()

    @property
    def name(self) -> LocalText:
        return localized(self, "name")

    @property
    def description(self) -> LocalText:
        return localized(self, "description")


class Kpi(KpiTexts, db.Model):
    """A U4SSC key performance indicator for smart sustainable cities (ITU-T Y.4903)."""

    __tablename__ = "u4ssc_kpi"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    dimension: Mapped[str] = mapped_column(String(60))
    sub_dimension: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(80))
    core: Mapped[bool]
    unit: Mapped[str | None] = mapped_column(String(80))
    sub_measures: Mapped[str | None] = mapped_column(String(300))
    sdg_goals: Mapped[str | None] = mapped_column(String(80))  # "11; 13"
    sdg_targets: Mapped[str | None] = mapped_column(String(200))
    name_nb: Mapped[str | None] = mapped_column(String(200))
    name_nn: Mapped[str | None] = mapped_column(String(200))
    description_en: Mapped[str | None] = mapped_column(Text)
    description_nb: Mapped[str | None] = mapped_column(Text)
    description_nn: Mapped[str | None] = mapped_column(Text)
    # Where the Norwegian texts come from ("project translation" when no official text exists).
    text_source: Mapped[str | None] = mapped_column(String(300))
    # A short machine code for the unit ("percent", "count", "per_100000" …): imports check it.
    unit_code: Mapped[str | None] = mapped_column(String(40))
    numerator: Mapped[str | None] = mapped_column(Text)
    denominator: Mapped[str | None] = mapped_column(Text)
    direction: Mapped[str | None] = mapped_column(String(10))  # "higher" or "lower" is better
    target_value: Mapped[float | None] = mapped_column(Float)
    target_source: Mapped[str | None] = mapped_column(String(300))

    def __repr__(self) -> str:
        return f"<Kpi {self.code}>"


class KpiGroup(db.Model):
    """A node of the U4SSC structure: a dimension, a sub-dimension or a category."""

    __tablename__ = "u4ssc_kpi_group"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    level: Mapped[str] = mapped_column(String(20))  # "dimension", "sub_dimension", "category"
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("u4ssc_kpi_group.code"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_en: Mapped[str] = mapped_column(String(120))
    name_nb: Mapped[str | None] = mapped_column(String(120))
    name_nn: Mapped[str | None] = mapped_column(String(120))

    @property
    def name(self) -> LocalText:
        return localized(self, "name")

    def __repr__(self) -> str:
        return f"<KpiGroup {self.code}>"
