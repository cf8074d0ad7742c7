"""Memberships of organisations, and the roles they give."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baerekraft_hub.accounts.models import User
from baerekraft_hub.core.models import TimestampMixin, utcnow
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation


class Role(StrEnum):
    """What a member may do in an organisation; each role includes the ones before it."""

    MEMBER = "member"  # reads the organisation's drafts
    EDITOR = "editor"  # project leader: creates and edits the organisation's content
    ADMIN = "admin"  # also manages members and roles

    @property
    def rank(self) -> int:
        return [Role.MEMBER, Role.EDITOR, Role.ADMIN].index(self)


class MembershipStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class Membership(TimestampMixin, db.Model):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20), default=Role.MEMBER.value)
    # The role the user asked for: what the approval form offers first. Gives no rights.
    requested_role: Mapped[str] = mapped_column(
        String(20), default=Role.MEMBER.value, server_default=Role.MEMBER.value
    )
    status: Mapped[str] = mapped_column(String(20), default=MembershipStatus.PENDING.value)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the user last asked (again, after a decline): tells one request's emails from the next.
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships", foreign_keys=[user_id])
    organisation: Mapped[Organisation] = relationship()

    @property
    def is_approved(self) -> bool:
        return self.status == MembershipStatus.APPROVED

    @property
    def is_pending(self) -> bool:
        return self.status == MembershipStatus.PENDING
