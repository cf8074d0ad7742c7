"""The dashboard's figures: what the network works on, in nine queries (grouped counts).

Every figure is about published projects (what the network shows), except the pending
membership requests and the audit log. Each chart is a list of bars; the template draws it
as SVG and repeats its numbers in a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased, joinedload

from baerekraft_hub.activity.models import ActivityEvent
from baerekraft_hub.audit import services as audit
from baerekraft_hub.content.labels import status_label
from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships.models import Membership, MembershipStatus
from baerekraft_hub.organisations.models import Organisation, OrgKind
from baerekraft_hub.practices.models import Practice
from baerekraft_hub.projects.models import Project, ProjectStatus, project_goal, project_target
from baerekraft_hub.sdg.models import Target
from baerekraft_hub.sdg.services import all_goals

PUBLISHED = PublicationState.PUBLISHED.value


@dataclass
class Bar:
    label: str
    value: int
    css: str = ""  # a class for the bar's colour (the goal's, for goals)
    href: str = ""


@dataclass
class Chart:
    key: str
    bars: list[Bar] = field(default_factory=list)

    @property
    def largest(self) -> int:
        return max((b.value for b in self.bars), default=0) or 1


@dataclass
class Figures:
    municipalities: tuple[int, int]  # (with published projects, all)
    counties: tuple[int, int]
    by_status: Chart
    by_goal: Chart
    by_county: Chart
    new_this_month: int
    new_this_year: int
    pending_requests: int
    recent: list  # the coordinators' latest actions (audit log)
    activity: list  # the network's latest events (what the activity feed is made of)


def _organisations_with_projects() -> dict[str, tuple[int, int]]:
    has_project = (
        sa.select(Project.id)
        .where(Project.owner_id == Organisation.id, Project.state == PUBLISHED)
        .exists()
    )
    rows = db.session.execute(
        sa.select(
            Organisation.kind,
            sa.func.sum(sa.case((has_project, 1), else_=0)),
            sa.func.count(Organisation.id),
        )
        .where(Organisation.kind.in_([OrgKind.MUNICIPALITY.value, OrgKind.COUNTY.value]))
        .group_by(Organisation.kind)
    )
    return {kind: (int(active or 0), int(total)) for kind, active, total in rows}


def _by_status() -> Chart:
    counts = dict(
        db.session.execute(
            sa.select(Project.status, sa.func.count(Project.id))
            .where(Project.state == PUBLISHED)
            .group_by(Project.status)
        ).all()
    )
    return Chart(
        "status", [Bar(status_label(s.value), counts.get(s.value, 0)) for s in ProjectStatus]
    )


def _by_goal() -> Chart:
    """Projects per goal, chosen directly or through one of its targets (each project once)."""
    links = sa.union(
        sa.select(project_goal.c.project_id, project_goal.c.goal_number),
        sa.select(project_target.c.project_id, Target.goal_number).join(
            Target, Target.id == project_target.c.target_id
        ),
    ).subquery()
    counts = dict(
        db.session.execute(
            sa.select(links.c.goal_number, sa.func.count(sa.distinct(links.c.project_id)))
            .join(Project, Project.id == links.c.project_id)
            .where(Project.state == PUBLISHED)
            .group_by(links.c.goal_number)
        ).all()
    )
    return Chart(
        "goal",
        [
            Bar(f"{g.number}. {g.short_title}", counts.get(g.number, 0), f"sdg-{g.number}")
            for g in all_goals()
        ],
    )


def _by_county() -> Chart:
    """Projects per county: a municipality's county, or the county itself (partners: none)."""
    owner = aliased(Organisation)
    county = aliased(Organisation)
    county_id = sa.case((owner.kind == OrgKind.COUNTY.value, owner.id), else_=owner.county_id)
    rows = db.session.execute(
        sa.select(county.name, sa.func.count(Project.id))
        .join(owner, owner.id == Project.owner_id)
        .outerjoin(county, county.id == county_id)
        .where(Project.state == PUBLISHED)
        .group_by(county.id, county.name)
        .order_by(sa.func.count(Project.id).desc(), county.name)
    ).all()
    return Chart("county", [Bar(name or _("No county (partners)"), n) for name, n in rows])


def _new_since(month_start: datetime, year_start: datetime) -> tuple[int, int]:
    """Projects and practices first published this month, and this year."""
    published = sa.union_all(
        sa.select(Project.published_at.label("at")).where(Project.state == PUBLISHED),
        sa.select(Practice.published_at.label("at")).where(Practice.state == PUBLISHED),
    ).subquery()
    month, year = db.session.execute(
        sa.select(
            sa.func.sum(sa.case((published.c.at >= month_start, 1), else_=0)),
            sa.func.sum(sa.case((published.c.at >= year_start, 1), else_=0)),
        )
    ).one()
    return int(month or 0), int(year or 0)


def _latest_events(limit: int = 8) -> list[ActivityEvent]:
    """The network's latest events with their item, its owner and any organisation: one query."""
    return list(
        db.session.scalars(
            db.select(ActivityEvent)
            .options(
                joinedload(ActivityEvent.project).joinedload(Project.owner),
                joinedload(ActivityEvent.practice).joinedload(Practice.owner),
                joinedload(ActivityEvent.organisation),
            )
            .order_by(ActivityEvent.created_at.desc(), ActivityEvent.id.desc())
            .limit(limit)
        ).unique()
    )


def figures(now: datetime | None = None) -> Figures:
    now = now or datetime.now(UTC)
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    organisations = _organisations_with_projects()
    month, year = _new_since(month_start, month_start.replace(month=1))
    pending = db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.status == MembershipStatus.PENDING.value
        )
    )
    return Figures(
        municipalities=organisations.get(OrgKind.MUNICIPALITY.value, (0, 0)),
        counties=organisations.get(OrgKind.COUNTY.value, (0, 0)),
        by_status=_by_status(),
        by_goal=_by_goal(),
        by_county=_by_county(),
        new_this_month=month,
        new_this_year=year,
        pending_requests=int(pending or 0),
        recent=audit.recent(8),
        activity=_latest_events(),
    )
