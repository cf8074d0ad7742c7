"""CSV exports of organisations, projects and users for the coordinator.

The same Excel-friendly form as the public project export (transfer/export.py): a byte order
mark, semicolons, and cells that could run as formulas defused. Users are exported without
password hashes, session versions or any token.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from baerekraft_hub.accounts.models import User
from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships.models import Membership, MembershipStatus
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.projects.models import Project
from baerekraft_hub.transfer.export import (
    COLUMNS,
    EXPORT_OPTIONS,
    csv_text,
    local_time,
    project_row,
    project_url,
)

ORGANISATION_COLUMNS = (
    "id",
    "kind",
    "number",
    "name",
    "official_name",
    "county",
    "population",
    "network_member_since",
    "network_contact",
    "network_contact_email",
    "published_projects",
)
USER_COLUMNS = (
    "id",
    "name",
    "email",
    "title",
    "language",
    "coordinator",
    "created_at",
    "confirmed_at",
    "deactivated_at",
    "digest_frequency",
    "organisations",
)


def organisations_csv() -> str:
    published = (
        sa.select(Project.owner_id, sa.func.count(Project.id).label("n"))
        .where(Project.state == PublicationState.PUBLISHED.value)
        .group_by(Project.owner_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Organisation, sa.func.coalesce(published.c.n, 0))
        .outerjoin(published, published.c.owner_id == Organisation.id)
        .options(selectinload(Organisation.county))
        .order_by(Organisation.kind, Organisation.number, Organisation.name)
    )
    return csv_text(
        ORGANISATION_COLUMNS,
        (
            [
                str(o.id),
                o.kind,
                o.number or "",
                o.name,
                o.official_name,
                o.county.name if o.county else "",
                "" if o.population is None else str(o.population),
                o.network_member_since.isoformat() if o.network_member_since else "",
                o.network_contact_name or "",
                o.network_contact_email or "",
                str(count),
            ]
            for o, count in rows
        ),
    )


def projects_csv() -> str:
    """Every project in any state (the public export's columns, then state and featured)."""
    query = (
        db.select(Project)
        .options(*EXPORT_OPTIONS)
        .order_by(Project.published_at.desc().nulls_last(), Project.id.desc())
    )
    return csv_text(
        (*COLUMNS, "state", "featured"),
        (
            [*project_row(p, project_url(p)), p.state, "yes" if p.featured_at else ""]
            for p in db.session.scalars(query)
        ),
    )


def _organisations_of(user: User) -> str:
    return ", ".join(
        f"{m.organisation.name} ({m.role})"
        for m in user.memberships
        if m.status == MembershipStatus.APPROVED.value
    )


def users_csv() -> str:
    """Every account: who, how to reach them, their state and organisations. No secrets."""
    query = (
        db.select(User)
        .options(selectinload(User.memberships).selectinload(Membership.organisation))
        .order_by(User.id)
    )
    return csv_text(
        USER_COLUMNS,
        (
            [
                str(u.id),
                u.name,
                u.email,
                u.title or "",
                u.language,
                "yes" if u.is_coordinator else "",
                local_time(u.created_at),
                local_time(u.confirmed_at),
                local_time(u.deactivated_at),
                u.digest_frequency,
                _organisations_of(u),
            ]
            for u in db.session.scalars(query)
        ),
    )
