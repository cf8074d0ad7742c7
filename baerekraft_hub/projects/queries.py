"""Finding projects: the filtered list, one project's page, and what other pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, load_only, selectinload

from baerekraft_hub.content import cards, reference
from baerekraft_hub.content import queries as content
from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.content.visibility import newest_first, sees_only_published, visible_to
from baerekraft_hub.core.pagecache import per_generation
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations import services as organisation_services
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.projects.models import (
    Project,
    project_goal,
    project_participant,
    project_tag,
    project_target,
)
from baerekraft_hub.sdg.models import Target

PROJECTS = content.register_kind(
    content.Kind(Project, project_target, project_goal, project_tag, project_participant)
)


@dataclass
class ProjectFilters(content.ContentFilters):
    """The project list's filters: the shared ones, status and start year."""

    status: str | None = None
    start_year: int | None = None


def filtered(filters: ProjectFilters, user) -> sa.Select:
    """SELECT of the projects the user may see that match the filters, newest first."""
    visible = visible_to(PROJECTS, user, narrowed=filters.narrows_by_id())
    query = db.select(Project).where(visible)
    query = content.apply_filters(PROJECTS, query, filters)
    if filters.status:
        query = query.where(Project.status == filters.status)
    if filters.start_year:
        query = query.where(
            Project.start_date >= date(filters.start_year, 1, 1),
            Project.start_date <= date(filters.start_year, 12, 31),
        )
    return query.order_by(*newest_first(PROJECTS, user))


def project_list(filters: ProjectFilters, user, per_page: int = 20) -> cards.CardPagination:
    """One page of matching projects, as cards."""
    total = None
    if not filters.active() and sees_only_published(user):
        total = reference.published_count(PROJECTS)  # kept per generation: no count query
    return cards.card_page(PROJECTS, filtered(filters, user), filters.page, per_page, total)


def get_project(project_id: int) -> Project | None:
    """A project with everything its page shows, in seven queries (the page's limit is ten;
    signed in, the user and the follow state make it ten)."""
    project = content.get_item(
        Project,
        project_id,
        joinedload(Project.main_target),
        # Joined: a row per update, read through ix_project_update_project_id (a query less).
        joinedload(Project.updates),
        selectinload(Project.targets).joinedload(Target.goal),
        selectinload(Project.goals),
        selectinload(Project.participants),
        selectinload(Project.kpis),
        selectinload(Project.tags),
    )
    if project is not None:
        # Three short lists in one query: only their own columns, joined to the project's id.
        # (Many-to-many lists are not joined: SQLite would materialise the whole link table.)
        db.session.scalars(
            db.select(Project)
            .where(Project.id == project_id)
            .options(
                load_only(Project.id),
                joinedload(Project.partners),
                joinedload(Project.indicators),
                joinedload(Project.status_history),
            )
        ).unique().all()
    return project


def published(filters: ProjectFilters, limit: int = 100) -> cards.Shown:
    """The newest published projects matching the filters, for the goal and target pages,
    and how many match."""
    return cards.first_cards(PROJECTS, filtered(filters, None), limit)


def published_for_organisation(organisation: Organisation, limit: int = 100) -> cards.Shown:
    """The newest published projects the organisation owns or takes part in, and how many."""
    query = (
        db.select(Project)
        .where(Project.state == PublicationState.PUBLISHED.value)
        .where(content.involving(PROJECTS, [organisation.id]))
        .order_by(Project.published_at.desc())
    )
    return cards.first_cards(PROJECTS, query, limit)


def coverage_of(organisation: Organisation) -> tuple[content.Kind, sa.Select]:
    """The published projects the organisation owns or takes part in, for `goals_with_counts`."""
    ids = (
        db.select(Project.id)
        .where(Project.state == PublicationState.PUBLISHED.value)
        .where(content.involving(PROJECTS, [organisation.id]))
    )
    return PROJECTS, ids


@per_generation
def filter_choices() -> dict:
    """What the project list's filters offer besides the fixed lists: counties, the tags of
    published projects, start years (read once per content generation)."""
    # Two scalar subqueries: each reads one end of ix_project_start_date (min and max in one
    # SELECT make SQLite scan the table).
    first, last = db.session.execute(
        db.select(
            db.select(sa.func.min(Project.start_date)).scalar_subquery(),
            db.select(sa.func.max(Project.start_date)).scalar_subquery(),
        )
    ).one()
    span = range(last.year, first.year - 1, -1) if first and last else ()
    return {
        "counties": organisation_services.counties(),
        "tags": content.published_tags(PROJECTS),
        "years": tuple(span),
    }
