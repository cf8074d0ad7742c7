"""Who gets a newsletter: the criteria the coordinator chose, and the one query that turns them
into users. The live count, the recipient list and the send all use `recipients_query`, so the
number the coordinator confirms is the number that gets the newsletter.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from baerekraft_hub.accounts.models import User
from baerekraft_hub.core.outbox.models import MailSuppression
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.models import Follow, FollowKind
from baerekraft_hub.memberships.models import Membership, MembershipStatus, Role
from baerekraft_hub.organisations.models import Organisation, OrgKind
from baerekraft_hub.sdg.models import Target

KINDS = tuple(kind.value for kind in OrgKind)
ROLES = (Role.EDITOR.value, Role.ADMIN.value)


@dataclass
class Audience:
    """Every list empty (and members_only off): all who opted in. Otherwise a user must match
    each chosen criterion: the organisation ones (kind, network member, county, role) through
    one approved membership, the SDG ones through a follow of a chosen goal, of a target of a
    chosen goal, or of a chosen target."""

    kinds: list[str] = field(default_factory=list)
    members_only: bool = False
    counties: list[int] = field(default_factory=list)
    goals: list[int] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Audience:
        """The criteria stored (or posted), with anything unknown left out."""
        data = data or {}

        def strings(name: str, allowed=None) -> list[str]:
            values = data.get(name) or []
            values = [str(v) for v in values if isinstance(v, (str, int))]
            return sorted({v for v in values if allowed is None or v in allowed})

        def numbers(name: str) -> list[int]:
            values = data.get(name) or []
            return sorted({int(v) for v in values if str(v).isdigit() and len(str(v)) < 9})

        return cls(
            kinds=strings("kinds", KINDS),
            members_only=bool(data.get("members_only")),
            counties=numbers("counties"),
            goals=[n for n in numbers("goals") if 1 <= n <= 17],
            targets=strings("targets"),
            roles=strings("roles", ROLES),
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def is_everyone(self) -> bool:
        return not (
            self.kinds
            or self.members_only
            or self.counties
            or self.goals
            or self.targets
            or self.roles
        )


def unknown_targets(ids: list[str]) -> list[str]:
    """The ids among `ids` that name no SDG target."""
    known = set(db.session.scalars(db.select(Target.id).where(Target.id.in_(ids))))
    return [i for i in ids if i not in known]


def reachable_users() -> sa.Select:
    """Users a newsletter may go to at all: confirmed, opted in, not suppressed (bounced), and
    not deactivated."""
    query = db.select(User.id).where(
        User.confirmed_at.is_not(None),
        User.newsletter_consent_at.is_not(None),
        ~sa.exists().where(MailSuppression.address == sa.func.lower(User.email)),
        User.deactivated_at.is_(None),
    )
    return query


def recipients_query(audience: Audience) -> sa.Select:
    """SELECT user_account.id of every recipient of `audience` (the count, list and send)."""
    query = reachable_users()
    if audience.kinds or audience.members_only or audience.counties or audience.roles:
        org = sa.orm.aliased(Organisation)
        membership = sa.exists().where(
            Membership.user_id == User.id,
            Membership.status == MembershipStatus.APPROVED.value,
            Membership.organisation_id == org.id,
        )
        if audience.kinds:
            membership = membership.where(org.kind.in_(audience.kinds))
        if audience.members_only:
            membership = membership.where(org.network_member_since.is_not(None))
        if audience.counties:
            membership = membership.where(
                sa.or_(org.id.in_(audience.counties), org.county_id.in_(audience.counties))
            )
        if audience.roles:
            membership = membership.where(Membership.role.in_(audience.roles))
        query = query.where(membership)
    if audience.goals or audience.targets:
        goal_keys = [str(n) for n in audience.goals]
        targets_of_goals = db.select(Target.id).where(Target.goal_number.in_(audience.goals))
        query = query.where(
            sa.exists().where(
                Follow.user_id == User.id,
                sa.or_(
                    sa.and_(Follow.kind == FollowKind.GOAL.value, Follow.key.in_(goal_keys)),
                    sa.and_(
                        Follow.kind == FollowKind.TARGET.value,
                        sa.or_(Follow.key.in_(audience.targets), Follow.key.in_(targets_of_goals)),
                    ),
                ),
            )
        )
    return query


def count_recipients(audience: Audience) -> int:
    return db.session.scalar(
        db.select(sa.func.count()).select_from(recipients_query(audience).subquery())
    )


def recipients(audience: Audience) -> list[User]:
    """The recipients themselves, by name (the list the coordinator may ask to see)."""
    return list(
        db.session.scalars(
            db.select(User)
            .where(User.id.in_(recipients_query(audience)))
            .order_by(User.name, User.id)
        )
    )
