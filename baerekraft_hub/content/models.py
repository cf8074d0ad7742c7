"""Shared pieces of published content: the publication life cycle and tags."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Table, Text, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from baerekraft_hub.core.models import TimestampMixin
from baerekraft_hub.extensions import db


class PublicationState(StrEnum):
    DRAFT = "draft"  # visible to the owner's and participants' members
    PUBLISHED = "published"  # public
    UNPUBLISHED = "unpublished"  # taken down by its editors or the coordinator


class ContentLanguage(StrEnum):
    NB = "nb"
    NN = "nn"
    EN = "en"


class Tag(db.Model):
    """A normalised keyword ("klimatilpasning"), shared by projects and practices."""

    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)

    def __repr__(self) -> str:
        return f"<Tag {self.name}>"


class PublishableMixin(TimestampMixin):
    """Columns every piece of shared content has: owner, language, state, version."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(2), default=ContentLanguage.NB.value)
    state: Mapped[str] = mapped_column(String(20), default=PublicationState.DRAFT.value)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    unpublished_reason: Mapped[str | None] = mapped_column(Text)
    # Chosen by the coordinator for the home page (at most MAX_FEATURED at a time).
    featured_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    # Optimistic locking: a save based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Set by `flask projects import`: re-importing the same external id updates the row.
    external_id: Mapped[str | None] = mapped_column(String(120), unique=True)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:  # noqa: N805
        # The lists: published ones, newest first (content/visibility.py `newest_first`); the
        # home page's featured few (partial: only they have featured_at).
        featured = text("featured_at IS NOT NULL")
        return (
            Index(f"ix_{cls.__tablename__}_state_published_at", "state", "published_at", "id"),
            Index(
                f"ix_{cls.__tablename__}_featured_at",
                "featured_at",
                sqlite_where=featured,
                postgresql_where=featured,
            ),
        )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:  # noqa: N805
        # SQLAlchemy refuses an UPDATE whose row changed since it was read (StaleDataError).
        return {"version_id_col": cls.__table__.c.version}

    @declared_attr
    def owner_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy's declared_attr signature
        return mapped_column(ForeignKey("organisation.id"), index=True)

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    @declared_attr
    def owner(cls):  # noqa: N805
        return relationship("Organisation", foreign_keys=lambda: [cls.owner_id])

    @property
    def all_goals(self) -> list:
        """Goals chosen directly and the goals of the chosen targets, in order, once each."""
        seen = {g.number: g for g in self.goals}
        for target in self.targets:
            seen.setdefault(target.goal_number, target.goal)
        return [seen[n] for n in sorted(seen)]

    @property
    def is_published(self) -> bool:
        return self.state == PublicationState.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.state == PublicationState.DRAFT


def link_table(kind: str, name: str, column: str, target: str, target_type=Integer) -> Table:
    """A many-to-many table from a kind of content (`project`, `practice`) to `target`."""
    return Table(
        name,
        db.metadata,
        Column(f"{kind}_id", ForeignKey(f"{kind}.id", ondelete="CASCADE"), primary_key=True),
        # Indexed on its own too: pages ask which items link to a target, goal, tag, partner.
        Column(
            column,
            target_type,
            ForeignKey(target, ondelete="CASCADE"),
            primary_key=True,
            index=True,
        ),
    )
