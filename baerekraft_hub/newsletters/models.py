"""Newsletters: what the coordinator writes and to whom, and one delivery row per recipient."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baerekraft_hub.accounts.models import User
from baerekraft_hub.core.models import TimestampMixin
from baerekraft_hub.extensions import db


class NewsletterStatus(StrEnum):
    DRAFT = "draft"  # being written: the only state in which it can change
    SCHEDULED = "scheduled"  # waits for scheduled_at; the list is frozen when it comes
    SENDING = "sending"  # recipients frozen; the worker releases them into the outbox
    PAUSED = "paused"  # as sending, but nothing more is released
    SENT = "sent"  # every delivery has its outcome
    CANCELLED = "cancelled"  # stopped for good; what went out stays out


class DeliveryStatus(StrEnum):
    WAITING = "waiting"  # not yet in the outbox (throttling, or paused)
    QUEUED = "queued"  # in the outbox: its row there says how it went
    SKIPPED = "skipped"  # unsubscribed or bounced after the list was frozen
    CANCELLED = "cancelled"  # the newsletter was cancelled before it went out


class Newsletter(TimestampMixin, db.Model):
    __tablename__ = "newsletter"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    preheader: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)  # Markdown
    news: Mapped[str] = mapped_column(Text, default="")  # "Nytt i nettverket", Markdown
    # utm_campaign added to every link, when set (utm_source and utm_medium are fixed).
    utm_campaign: Mapped[str] = mapped_column(String(100), default="")
    # Who gets it (see audience.Audience): a JSON object of the chosen criteria.
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(
        String(20), default=NewsletterStatus.DRAFT.value, index=True
    )
    scheduled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the worker last released a slice of deliveries into the outbox (throttling).
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recipient_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_by: Mapped[User | None] = relationship()

    @property
    def is_draft(self) -> bool:
        return self.status == NewsletterStatus.DRAFT

    @property
    def is_under_way(self) -> bool:
        return self.status in (NewsletterStatus.SENDING, NewsletterStatus.PAUSED)

    def __repr__(self) -> str:
        return f"<Newsletter {self.id} {self.status}>"


class NewsletterDelivery(db.Model):
    """One recipient of one newsletter, frozen when sending starts: never a second."""

    __tablename__ = "newsletter_delivery"
    __table_args__ = (
        UniqueConstraint("newsletter_id", "user_id"),
        Index("ix_newsletter_delivery_newsletter_id_status", "newsletter_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsletter_id: Mapped[int] = mapped_column(ForeignKey("newsletter.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=DeliveryStatus.WAITING.value)
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="SET NULL")
    )
