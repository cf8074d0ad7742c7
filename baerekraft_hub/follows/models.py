"""A follow: one user, one followed thing (by kind and key)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation


class FollowKind(StrEnum):
    """What can be followed, from the most specific to the broadest.

    The order is the digest's: an item reached through several follows is listed under the
    first of them. A municipality comes before a goal because it has far less work than a
    goal has across the whole country.
    """

    PROJECT = "project"
    PRACTICE = "practice"
    TARGET = "target"
    ORGANISATION = "organisation"
    GOAL = "goal"

    @property
    def rank(self) -> int:
        return list(FollowKind).index(self)

    @property
    def slug(self) -> str:
        """The kind as it appears in URLs (Norwegian, as the site's other paths)."""
        return _SLUGS[self]

    @classmethod
    def from_slug(cls, slug: str) -> FollowKind | None:
        return next((kind for kind, s in _SLUGS.items() if s == slug), None)


_SLUGS = {
    FollowKind.PROJECT: "prosjekt",
    FollowKind.PRACTICE: "praksis",
    FollowKind.TARGET: "delmal",
    FollowKind.ORGANISATION: "organisasjon",
    FollowKind.GOAL: "mal",
}


class Follow(db.Model):
    """`key` is the followed thing's id as text: '12' (organisation, project, practice),
    '13' (goal), '13.1' (target). One column for every kind lets activity events be matched
    to follows with one join; follows of deleted content are removed by a signal receiver.
    """

    __tablename__ = "follow"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "key"),
        Index("ix_follow_kind_key", "kind", "key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Follow {self.user_id} {self.kind}:{self.key}>"


class OrganisationPeer(db.Model):
    """One of the municipalities with published work on the most of a municipality's SDG
    targets, as the worker last computed them (follows/peers.py)."""

    __tablename__ = "organisation_peer"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    shared_targets: Mapped[str] = mapped_column(Text)  # "11.5 13.1", in target order
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    peer: Mapped[Organisation] = relationship(foreign_keys=[peer_id])

    @property
    def shared_target_ids(self) -> list[str]:
        return self.shared_targets.split()


class OrganisationWork(db.Model):
    """The SDG targets of an organisation's published projects, as the worker last computed
    its suggestions (follows/suggestion_store.py): the page uses those only for a person whose
    followed targets are among these."""

    __tablename__ = "organisation_work"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    target_ids: Mapped[str] = mapped_column(Text)  # "11.5 13.1"
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OrganisationSuggestion(db.Model):
    """A municipality or project on the most of an organisation's targets (not its own), in
    the order "Your follows" suggests them to its members, as the worker last computed them."""

    __tablename__ = "organisation_suggestion"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # organisation | project
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(Integer)  # no foreign key: the kind says which table
