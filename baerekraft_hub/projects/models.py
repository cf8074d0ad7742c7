"""Projects, their SDG links, partners, progress updates and result indicators."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baerekraft_hub.content.models import PublishableMixin, Tag, link_table
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.sdg.models import Goal, Kpi, Target


class ProjectStatus(StrEnum):
    IDEA = "idea"
    PLANNED = "planned"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    STOPPED = "stopped"


class PartnerType(StrEnum):
    BUSINESS = "business"
    ACADEMIA = "academia"
    NGO = "ngo"
    CITIZENS = "citizens"
    STATE = "state"


class Involvement(StrEnum):
    """Who took part: the Stavanger declaration's third commitment."""

    CITIZENS = "citizens"
    BUSINESS = "business"
    ORGANISATIONS = "organisations"
    ACADEMIA = "academia"


project_participant = link_table(
    "project", "project_participant", "organisation_id", "organisation.id"
)
project_target = link_table("project", "project_target", "target_id", "sdg_target.id", String(8))
project_goal = link_table("project", "project_goal", "goal_number", "sdg_goal.number")
project_kpi = link_table("project", "project_kpi", "kpi_id", "u4ssc_kpi.id")
project_tag = link_table("project", "project_tag", "tag_id", "tag.id")


class Project(PublishableMixin, db.Model):
    __tablename__ = "project"

    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ProjectStatus.ONGOING.value)
    start_date: Mapped[date | None] = mapped_column(Date, index=True)  # the list's year span
    end_date: Mapped[date | None] = mapped_column(Date)
    budget_nok: Mapped[int | None] = mapped_column(BigInteger)
    funding_sources: Mapped[str | None] = mapped_column(String(300))
    involved: Mapped[list[str]] = mapped_column(JSON, default=list)
    main_target_id: Mapped[str | None] = mapped_column(
        ForeignKey("sdg_target.id", ondelete="SET NULL")
    )

    participants: Mapped[list[Organisation]] = relationship(secondary=project_participant)
    targets: Mapped[list[Target]] = relationship(
        secondary=project_target, order_by=(Target.goal_number, Target.position)
    )
    goals: Mapped[list[Goal]] = relationship(secondary=project_goal, order_by=Goal.number)
    main_target: Mapped[Target | None] = relationship(foreign_keys=[main_target_id])
    kpis: Mapped[list[Kpi]] = relationship(secondary=project_kpi, order_by=Kpi.code)
    tags: Mapped[list[Tag]] = relationship(secondary=project_tag, order_by=Tag.name)
    partners: Mapped[list[ProjectPartner]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectPartner.name"
    )
    updates: Mapped[list[ProjectUpdate]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectUpdate.posted_at.desc()"
    )
    indicators: Mapped[list[ResultIndicator]] = relationship(
        cascade="all, delete-orphan", order_by="ResultIndicator.id"
    )
    status_history: Mapped[list[StatusChange]] = relationship(
        cascade="all, delete-orphan", order_by="StatusChange.changed_at"
    )

    @property
    def organisations(self) -> list[Organisation]:
        """The owner first, then the participants."""
        return [self.owner, *[p for p in self.participants if p.id != self.owner_id]]

    def __repr__(self) -> str:
        return f"<Project {self.id}>"


class ProjectPartner(db.Model):
    """A partner outside the network (a business, a university ...), by free name."""

    __tablename__ = "project_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))


class ProjectUpdate(db.Model):
    """A dated progress post."""

    __tablename__ = "project_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    author = relationship("User")


class ResultIndicator(db.Model):
    """A measurable result: from a baseline towards a target value."""

    __tablename__ = "result_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40))
    baseline_value: Mapped[Decimal] = mapped_column(Numeric(16, 3))
    baseline_year: Mapped[int]
    target_value: Mapped[Decimal] = mapped_column(Numeric(16, 3))
    target_year: Mapped[int]
    latest_value: Mapped[Decimal | None] = mapped_column(Numeric(16, 3))
    latest_date: Mapped[date | None] = mapped_column(Date)

    @property
    def progress(self) -> float | None:
        """Share of the way from baseline to target reached, 0..1 (None before a measurement)."""
        if self.latest_value is None or self.target_value == self.baseline_value:
            return None
        share = (self.latest_value - self.baseline_value) / (
            self.target_value - self.baseline_value
        )
        return float(min(max(share, 0), 1))


class StatusChange(db.Model):
    """The status history: every change of a project's status, kept."""

    __tablename__ = "project_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True
    )
    old_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
