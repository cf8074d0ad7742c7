"""Similar projects, computed ahead by the worker so a project's page reads them in one query.

The index's "more like this" scores every document that shares a word with the project: its
cost grows with the corpus (150 ms at 11,000 documents). The worker computes each published
project's list after the project's document is indexed (new, edited, or a week old, so the
lists follow what is published meanwhile) and keeps it in `similar_project`. A page joins the
list with the projects that are still published, so an unpublished one drops out at once.
"""

from __future__ import annotations

import time
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session, aliased, joinedload

from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.worker import register_task
from baerekraft_hub.extensions import db
from baerekraft_hub.projects.models import Project
from baerekraft_hub.search.changes import search_engine
from baerekraft_hub.search.engine import SearchUnavailable
from baerekraft_hub.search.models import SearchIndexChange, SimilarProject

SHOWN = 4  # similar projects on a page
MAX_AGE = timedelta(days=7)  # a list older than this is computed again
BATCH = 50  # projects considered per pass
TIME_BUDGET = 1.5  # seconds a worker pass computes before leaving the rest for the next


def similar_projects(project_id: int, limit: int = SHOWN) -> list[Project]:
    """The published projects computed as most like this one, best first (one query)."""
    query = (
        db.select(Project)
        .join(SimilarProject, SimilarProject.similar_id == Project.id)
        .where(
            SimilarProject.project_id == project_id,
            Project.state == PublicationState.PUBLISHED.value,
        )
        .order_by(SimilarProject.rank)
        .limit(limit)
        .options(joinedload(Project.owner))
    )
    return list(db.session.scalars(query))


def _due(session: Session, limit: int) -> list[int]:
    """Published projects whose list is missing, older than the project, or over a week old;
    not those whose document still waits to be indexed (their list would be of the old one)."""
    first = aliased(SimilarProject)
    pending = db.select(SearchIndexChange.item_id).where(SearchIndexChange.kind == "project")
    query = (
        db.select(Project.id)
        .outerjoin(first, (first.project_id == Project.id) & (first.rank == 0))
        .where(
            Project.state == PublicationState.PUBLISHED.value,
            Project.id.not_in(pending),
            sa.or_(
                first.computed_at.is_(None),
                first.computed_at < Project.updated_at,
                first.computed_at < utcnow() - MAX_AGE,
            ),
        )
        .order_by(first.computed_at.is_not(None), Project.updated_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def _store(session: Session, project_id: int, similar_ids: list[int]) -> None:
    session.execute(sa.delete(SimilarProject).where(SimilarProject.project_id == project_id))
    now = utcnow()
    rows = [
        {"project_id": project_id, "rank": rank, "similar_id": similar_id, "computed_at": now}
        for rank, similar_id in enumerate(similar_ids or [None])
    ]
    session.execute(sa.insert(SimilarProject), rows)


def refresh_similar(*, batch: int = BATCH, budget: float = TIME_BUDGET) -> int:
    """Compute the lists that are due, for up to `budget` seconds; returns how many."""
    engine = search_engine()
    started = time.monotonic()
    done = 0
    with Session(db.engine) as session:
        for project_id in _due(session, batch):
            try:
                hits = engine.similar("project", project_id, limit=SHOWN * 3)
            except SearchUnavailable:
                break
            _store(session, project_id, [h.id for h in hits if h.kind == "project"][: SHOWN * 2])
            session.commit()
            done += 1
            if time.monotonic() - started > budget:
                break
    return done


def _refresh_in_worker() -> str:
    done = refresh_similar()
    return f"computed similar projects of {done} projects" if done else ""


def init_app(app: Flask) -> None:
    """The worker computes due lists, right after it applies index changes (search-index)."""
    register_task("similar-projects", _refresh_in_worker, every_seconds=2)
