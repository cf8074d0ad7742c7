"""Finding projects: who may see what, the filtered list, and the counts pages show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from baerekraft_hub.accounts.models import MembershipStatus
from baerekraft_hub.content.models import PublicationState, Tag
from baerekraft_hub.core import policy
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.projects.models import (
    Project,
    project_goal,
    project_participant,
    project_tag,
    project_target,
)
from baerekraft_hub.sdg.models import Target


def readable_organisation_ids(user) -> list[int]:
    """Organisations whose drafts the user may read (approved memberships)."""
    if not policy.is_signed_in(user):
        return []
    return [m.organisation_id for m in user.memberships if m.status == MembershipStatus.APPROVED]


def visible_to(user):
    """A WHERE clause: published projects, plus drafts of the user's organisations."""
    published = Project.state == PublicationState.PUBLISHED.value
    if policy.is_coordinator(user):
        return sa.true()
    org_ids = readable_organisation_ids(user)
    if not org_ids:
        return published
    participates = sa.exists().where(
        project_participant.c.project_id == Project.id,
        project_participant.c.organisation_id.in_(org_ids),
    )
    return sa.or_(published, Project.owner_id.in_(org_ids), participates)


def can_see(user, project: Project) -> bool:
    """The same rule as `visible_to`, for one loaded project."""
    if project.is_published or policy.is_coordinator(user):
        return True
    org_ids = set(readable_organisation_ids(user))
    return bool(org_ids & {o.id for o in project.organisations})


@dataclass
class ProjectFilters:
    """The list page's filters, as they come from the query string."""

    goal: int | None = None
    target: str | None = None
    county: str | None = None  # county number, "15"
    municipality: str | None = None  # municipality number, "1506"
    status: str | None = None
    tag: str | None = None
    start_year: int | None = None
    page: int = 1
    extra: dict = field(default_factory=dict)

    def active(self) -> dict:
        values = {
            "goal": self.goal,
            "target": self.target,
            "county": self.county,
            "municipality": self.municipality,
            "status": self.status,
            "tag": self.tag,
            "start_year": self.start_year,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}


def _involves(org_ids_subquery):
    """Owner or a participant is among the given organisations."""
    return sa.or_(
        Project.owner_id.in_(org_ids_subquery),
        sa.exists().where(
            project_participant.c.project_id == Project.id,
            project_participant.c.organisation_id.in_(org_ids_subquery),
        ),
    )


def filtered(filters: ProjectFilters, user) -> sa.Select:
    """SELECT of the projects the user may see that match the filters, newest first."""
    query = db.select(Project).where(visible_to(user))
    if filters.goal:
        via_target = sa.exists().where(
            project_target.c.project_id == Project.id,
            project_target.c.target_id == Target.id,
            Target.goal_number == filters.goal,
        )
        direct = sa.exists().where(
            project_goal.c.project_id == Project.id, project_goal.c.goal_number == filters.goal
        )
        query = query.where(sa.or_(via_target, direct))
    if filters.target:
        query = query.where(
            sa.exists().where(
                project_target.c.project_id == Project.id,
                project_target.c.target_id == filters.target,
            )
        )
    if filters.county:
        county_ids = db.select(Organisation.id).where(Organisation.number == filters.county)
        in_county = db.select(Organisation.id).where(
            sa.or_(Organisation.county_id.in_(county_ids), Organisation.id.in_(county_ids))
        )
        query = query.where(_involves(in_county))
    if filters.municipality:
        municipality = db.select(Organisation.id).where(Organisation.number == filters.municipality)
        query = query.where(_involves(municipality))
    if filters.status:
        query = query.where(Project.status == filters.status)
    if filters.tag:
        query = query.where(
            sa.exists().where(
                project_tag.c.project_id == Project.id,
                project_tag.c.tag_id == Tag.id,
                Tag.name == filters.tag,
            )
        )
    if filters.start_year:
        query = query.where(
            Project.start_date >= date(filters.start_year, 1, 1),
            Project.start_date <= date(filters.start_year, 12, 31),
        )
    return query.order_by(Project.published_at.desc().nulls_last(), Project.id.desc())


LIST_OPTIONS = (
    selectinload(Project.owner).selectinload(Organisation.county),
    selectinload(Project.targets),
    selectinload(Project.goals),
    selectinload(Project.tags),
)


def project_list(filters: ProjectFilters, user, per_page: int = 20):
    """One page of matching projects, with what the list shows loaded up front."""
    return db.paginate(
        filtered(filters, user).options(*LIST_OPTIONS),
        page=filters.page,
        per_page=per_page,
        error_out=False,
    )


def get_project(project_id: int) -> Project | None:
    """A project with everything its page shows."""
    return db.session.scalars(
        db.select(Project)
        .where(Project.id == project_id)
        .options(
            selectinload(Project.owner).selectinload(Organisation.county),
            selectinload(Project.participants),
            selectinload(Project.targets).selectinload(Target.goal),
            selectinload(Project.goals),
            selectinload(Project.kpis),
            selectinload(Project.tags),
            selectinload(Project.partners),
            selectinload(Project.updates),
            selectinload(Project.indicators),
            selectinload(Project.status_history),
        )
    ).one_or_none()


def published_for_target(target_id: str) -> list[Project]:
    """Published projects linked to a target."""
    query = filtered(ProjectFilters(target=target_id), None).options(*LIST_OPTIONS)
    return list(db.session.scalars(query))


def published_for_goal(number: int, limit: int = 50) -> list[Project]:
    """Published projects linked to a goal, directly or through one of its targets."""
    query = filtered(ProjectFilters(goal=number), None).options(*LIST_OPTIONS).limit(limit)
    return list(db.session.scalars(query))


def published_for_organisation(organisation: Organisation) -> list[Project]:
    """Published projects the organisation owns or takes part in."""
    query = (
        db.select(Project)
        .where(Project.state == PublicationState.PUBLISHED.value)
        .where(_involves(db.select(Organisation.id).where(Organisation.id == organisation.id)))
        .options(*LIST_OPTIONS)
        .order_by(Project.published_at.desc())
    )
    return list(db.session.scalars(query))


def goal_counts(project_ids_query) -> dict[int, int]:
    """How many of the given projects work on each goal (directly or via a target)."""
    via_target = (
        db.select(project_target.c.project_id, Target.goal_number.label("goal"))
        .join(Target, Target.id == project_target.c.target_id)
        .where(project_target.c.project_id.in_(project_ids_query))
    )
    direct = db.select(project_goal.c.project_id, project_goal.c.goal_number.label("goal")).where(
        project_goal.c.project_id.in_(project_ids_query)
    )
    pairs = sa.union(via_target, direct).subquery()
    rows = db.session.execute(
        db.select(pairs.c.goal, sa.func.count(sa.distinct(pairs.c.project_id))).group_by(
            pairs.c.goal
        )
    )
    return {goal: count for goal, count in rows}


def filter_choices() -> dict:
    """What the filter form offers besides the fixed lists: counties, tags, start years."""
    counties = db.session.scalars(
        db.select(Organisation).where(Organisation.kind == "county").order_by(Organisation.number)
    ).all()
    tags = db.session.scalars(
        db.select(Tag.name)
        .join(project_tag, project_tag.c.tag_id == Tag.id)
        .join(Project, Project.id == project_tag.c.project_id)
        .where(Project.state == PublicationState.PUBLISHED.value)
        .distinct()
        .order_by(Tag.name)
    ).all()
    dates = db.session.scalars(
        db.select(Project.start_date).where(Project.start_date.is_not(None)).distinct()
    ).all()
    return {
        "counties": counties,
        "tags": tags,
        "years": sorted({d.year for d in dates}, reverse=True),
    }
