"""Practices: structured write-ups others can reuse (after the UN DESA good-practice record)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baerekraft_hub.content.models import PublishableMixin, Tag, link_table
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.sdg.models import Goal, Target

practice_target = link_table("practice", "practice_target", "target_id", "sdg_target.id", String(8))
practice_goal = link_table("practice", "practice_goal", "goal_number", "sdg_goal.number")
practice_tag = link_table("practice", "practice_tag", "tag_id", "tag.id")
practice_project = link_table("practice", "practice_project", "project_id", "project.id")

# The sections of a practice, in the order of the UN DESA good-practice record.
SECTIONS = (
    "challenge",
    "activities",
    "stakeholders",
    "results",
    "enabling_factors",
    "constraints",
    "sustainability",
    "lessons",
    "resources",
)


class Practice(PublishableMixin, db.Model):
    __tablename__ = "practice"

    challenge: Mapped[str | None] = mapped_column(Text)  # challenge and objectives
    activities: Mapped[str | None] = mapped_column(Text)  # what was done
    stakeholders: Mapped[str | None] = mapped_column(Text)  # stakeholders and partnerships
    results: Mapped[str | None] = mapped_column(Text)  # results and impact
    enabling_factors: Mapped[str | None] = mapped_column(Text)
    constraints: Mapped[str | None] = mapped_column(Text)
    sustainability: Mapped[str | None] = mapped_column(Text)  # and how others can reuse it
    lessons: Mapped[str | None] = mapped_column(Text)
    resources: Mapped[str | None] = mapped_column(Text)

    targets: Mapped[list[Target]] = relationship(
        secondary=practice_target, order_by=(Target.goal_number, Target.position)
    )
    goals: Mapped[list[Goal]] = relationship(secondary=practice_goal, order_by=Goal.number)
    tags: Mapped[list[Tag]] = relationship(secondary=practice_tag, order_by=Tag.name)
    projects = relationship("Project", secondary=practice_project, order_by="Project.title")
    adoptions: Mapped[list[PracticeAdoption]] = relationship(
        cascade="all, delete-orphan", order_by="PracticeAdoption.created_at"
    )

    def __repr__(self) -> str:
        return f"<Practice {self.id}>"


class PracticeAdoption(db.Model):
    """ "We are reusing this": another organisation adopts the practice."""

    __tablename__ = "practice_adoption"
    __table_args__ = (UniqueConstraint("practice_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    marked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
