"""What the search index still has to learn: one row per change, written with the change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import db


class SearchIndexChange(db.Model):
    """An item whose search document must be refreshed (indexed, or removed if not public).

    Written in the same transaction as the content change, so a rollback takes it away too;
    deleted by the applier only after the index has committed the change, so a crash in
    between leaves it to be applied again (applying twice is harmless: it writes the item's
    state as it is then).
    """

    __tablename__ = "search_index_change"
    # Ids are never reused (SQLite would hand out a deleted maximum id again): the applier
    # deletes the rows it applied by id after the index commit, and a reused id would delete a
    # newer change that nobody applied.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "project" | "practice"
    item_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<SearchIndexChange {self.kind}:{self.item_id}>"


class SimilarProject(db.Model):
    """One of a project's similar projects, computed from the index by the worker.

    A page reads its list with one query instead of asking the index, whose "more like this"
    scores every document sharing a word. A list that found nothing keeps one row with no
    `similar_id`, so the worker knows it was computed.
    """

    __tablename__ = "similar_project"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    similar_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
