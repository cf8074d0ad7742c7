"""Users: accounts, their sign-in state and preferences (memberships: memberships/models.py)."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baerekraft_hub.core.models import TimestampMixin
from baerekraft_hub.extensions import db


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased: addresses are unique whatever case people type them in.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(2), default="nb")
    # "none", "daily" or "weekly" (see digests.models.Frequency); existing accounts get weekly.
    digest_frequency: Mapped[str] = mapped_column(
        String(10), default="weekly", server_default="weekly"
    )
    # When the user asked for the network's newsletter; None: they did not (or unsubscribed).
    newsletter_consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_coordinator: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set by the coordinator: the account can no longer sign in; what it wrote stays.
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped when the password changes: every session made before then stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)

    # Named, not imported: memberships sit above accounts (memberships/models.py).
    memberships = relationship(
        "Membership",
        back_populates="user",
        cascade="all, delete-orphan",
        foreign_keys="Membership.user_id",
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        """Confirmed and not deactivated: Flask-Login and `load_user` refuse anyone else."""
        return self.confirmed_at is not None and self.deactivated_at is None

    @property
    def is_deactivated(self) -> bool:
        return self.deactivated_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id}>"
