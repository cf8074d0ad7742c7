"""KPI values per organisation and year, and the versions they replaced."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baerekraft_hub.accounts.models import User
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.sdg.models import Kpi


class Quality(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


# The fields a value has and a version keeps: what "changed" compares.
VALUE_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "quality",
    "source",
    "verified",
    "comment",
)


class KpiValue(db.Model):
    """One organisation's value of one KPI for one year."""

    __tablename__ = "kpi_value"
    __table_args__ = (
        UniqueConstraint("organisation_id", "kpi_id", "year"),
        Index("ix_kpi_value_kpi_id_year", "kpi_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    kpi_id: Mapped[int] = mapped_column(ForeignKey("u4ssc_kpi.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    # Medium unless said otherwise: an official statistic is "high", an estimate "low".
    quality: Mapped[str] = mapped_column(String(10), default=Quality.MEDIUM)
    source: Mapped[str | None] = mapped_column(String(300))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str | None] = mapped_column(Text)
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)

    organisation: Mapped[Organisation] = relationship()
    kpi: Mapped[Kpi] = relationship()
    entered_by: Mapped[User | None] = relationship()
    versions: Mapped[list[KpiValueVersion]] = relationship(
        back_populates="kpi_value",
        order_by="KpiValueVersion.replaced_at.desc()",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<KpiValue {self.organisation_id} {self.kpi_id} {self.year}>"


class KpiValueVersion(db.Model):
    """A value as it was before it was changed: earlier versions are kept."""

    __tablename__ = "kpi_value_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    value_id: Mapped[int] = mapped_column(
        ForeignKey("kpi_value.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[float] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    quality: Mapped[str] = mapped_column(String(10))
    source: Mapped[str | None] = mapped_column(String(300))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str | None] = mapped_column(Text)
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    replaced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    kpi_value: Mapped[KpiValue] = relationship(back_populates="versions")
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    replaced_by: Mapped[User | None] = relationship(foreign_keys=[replaced_by_id])
