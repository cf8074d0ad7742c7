"""Digest frequencies and the record of each period's sending run."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import db


class Frequency(StrEnum):
    NONE = "none"
    DAILY = "daily"
    WEEKLY = "weekly"


class DigestRun(db.Model):
    """One frequency's sending for one period. `completed_at` is set when every recipient's
    digest is in the outbox: the worker then leaves the period alone. A run that crashed has
    no completion time, and the next run queues only the digests still missing.
    """

    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("frequency", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    frequency: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    queued: Mapped[int] = mapped_column(Integer, default=0)
