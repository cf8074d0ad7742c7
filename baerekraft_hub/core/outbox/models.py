"""The outbox's tables: one row per email with its delivery state, its text and HTML apart."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baerekraft_hub.core.models import TimestampMixin, utcnow
from baerekraft_hub.extensions import db


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a deliverer
    SENT = "sent"
    FAILED = "failed"  # refused for good, or out of attempts
    DROPPED = "dropped"  # its user was deleted before it went out


class OutboxMessage(TimestampMixin, db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What makes two messages "the same email": queueing a key that exists is a no-op.
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(254))
    # Who the message is for, when it is for an account; deleting the account drops it.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str] = mapped_column(String(2))
    template: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[OutboxBody] = relationship(
        back_populates="message", cascade="all, delete-orphan", passive_deletes=True
    )
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Fixed when queued, so a retry carries the same Message-ID and receivers can de-duplicate.
    message_id: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The request that queued it (core/request_id.py): a user's quoted reference finds it.
    request_id: Mapped[str | None] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.template} {self.status}>"

    # A delivered message's body is deleted after RETENTION_EMAIL_BODIES_DAYS; its row stays.
    @property
    def body_text(self) -> str:
        return self.body.text if self.body is not None else ""

    @property
    def body_html(self) -> str:
        return self.body.html if self.body is not None else ""


class OutboxBody(db.Model):
    """A message's text and HTML, apart from its delivery state: a state change (claimed,
    sent, put back) then rewrites a small row, where SQLite would rewrite all of a ~10 KB
    digest with it."""

    __tablename__ = "outbox_body"

    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    message: Mapped[OutboxMessage] = relationship(back_populates="body")


class MailBounce(db.Model):
    """A bounce the mail system sent back: for which address, hard (permanent) or soft."""

    __tablename__ = "mail_bounce"
    __table_args__ = (Index("ix_mail_bounce_address_received_at", "address", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254))
    permanent: Mapped[bool] = mapped_column(Boolean)
    # The email that bounced, when its envelope sender said which (VERP).
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="SET NULL")
    )
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MailSuppression(db.Model):
    """An address bulk email (digests, newsletters) no longer goes to: it bounced for good, or
    too often for a while. Lifting the suppression deletes the row; the bounces stay."""

    __tablename__ = "mail_suppression"

    address: Mapped[str] = mapped_column(String(254), primary_key=True)  # lower case
    reason: Mapped[str] = mapped_column(String(20))  # "hard" or "soft"
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
