"""What the memberships domain does: requests, decisions, roles. Flushes, never commits."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC

from flask_babel import gettext as _
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import selectinload

from baerekraft_hub.accounts.models import User
from baerekraft_hub.core.dialects import lock_for_write
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox import queue_email
from baerekraft_hub.core.text import norwegian_sort_key
from baerekraft_hub.core.urls import public_url
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships.models import Membership, MembershipStatus, Role
from baerekraft_hub.organisations.models import Organisation, OrgKind


@dataclass(frozen=True)
class OrganisationChoice:
    label: str
    organisation: Organisation


def organisation_choices() -> list[OrganisationChoice]:
    """Every organisation one may ask to join, each with a unique label for the picker."""
    organisations = list(
        db.session.scalars(db.select(Organisation).options(selectinload(Organisation.county)))
    )
    name_count = Counter((o.kind, o.name) for o in organisations)
    choices = []
    for org in organisations:
        if org.kind == OrgKind.MUNICIPALITY:
            label = _("%(name)s municipality", name=org.name)
            if name_count[(org.kind, org.name)] > 1 and org.county is not None:
                label = f"{label} ({org.county.name})"
        elif org.kind == OrgKind.COUNTY:
            label = _("%(name)s county municipality", name=org.name)
        else:
            label = org.official_name
        choices.append(OrganisationChoice(label, org))
    return sorted(choices, key=lambda c: norwegian_sort_key(c.label))


def find_organisation(typed: str) -> Organisation | None:
    """The organisation the user picked or typed: a label, a unique name, a number or a slug."""
    needle = typed.strip().casefold()
    if not needle:
        return None
    choices = organisation_choices()
    for choice in choices:
        if choice.label.casefold() == needle:
            return choice.organisation
    by_name = [
        c.organisation
        for c in choices
        if needle in (c.organisation.name.casefold(), c.organisation.official_name.casefold())
        or needle in ((c.organisation.number or "").casefold(), c.organisation.slug)
    ]
    return by_name[0] if len(by_name) == 1 else None


def membership_of(user: User, organisation: Organisation) -> Membership | None:
    """The user's membership row for the organisation, whatever its status."""
    return db.session.scalars(
        db.select(Membership).where(
            Membership.user_id == user.id, Membership.organisation_id == organisation.id
        )
    ).one_or_none()


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships and requests, with their organisations, by organisation name."""
    rows = db.session.scalars(
        db.select(Membership)
        .where(Membership.user_id == user.id)
        .options(selectinload(Membership.organisation))
    )
    return sorted(rows, key=lambda m: norwegian_sort_key(m.organisation.name))


def request_membership(
    user: User, organisation: Organisation, role: Role = Role.MEMBER
) -> Membership:
    """Ask to join as `role`; the organisation's admins (or, without any, the coordinators)
    are emailed, and decide which role to give.

    Asking again after a decline is a new request; asking while a request waits, or as a
    member, is refused with a message that says so.
    """
    membership = membership_of(user, organisation)
    if membership is not None and membership.status == MembershipStatus.APPROVED:
        raise ValidationError(
            _("You are already a member of %(name)s.", name=organisation.name),
            field="organisation",
        )
    if membership is not None and membership.status == MembershipStatus.PENDING:
        raise ValidationError(
            _(
                "You have already asked to join %(name)s. You will get an email when an "
                "administrator has answered.",
                name=organisation.name,
            ),
            field="organisation",
        )
    if membership is None:
        membership = Membership(user=user, organisation=organisation)
        db.session.add(membership)
    membership.status = MembershipStatus.PENDING.value
    membership.role = Role.MEMBER.value
    membership.requested_role = Role(role).value
    membership.decided_by_id = None
    membership.decided_at = None
    membership.requested_at = utcnow()
    db.session.flush()
    _notify_deciders(membership)
    return membership


def _deciders(organisation: Organisation) -> list[User]:
    admins = list(
        db.session.scalars(
            db.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organisation_id == organisation.id,
                Membership.status == MembershipStatus.APPROVED.value,
                Membership.role == Role.ADMIN.value,
            )
        )
    )
    if admins:
        return admins
    return list(db.session.scalars(db.select(User).where(User.is_coordinator.is_(True))))


def _request_key(membership: Membership) -> str:
    """Tells one request of a membership from the next (after a decline)."""
    asked = membership.requested_at
    if asked.tzinfo is not None:  # SQLite hands back naive UTC, PostgreSQL aware times
        asked = asked.astimezone(UTC).replace(tzinfo=None)
    return f"{membership.id}:{asked:%Y%m%dT%H%M%S}"


def _notify_deciders(membership: Membership) -> None:
    organisation = membership.organisation
    for decider in _deciders(organisation):
        if not decider.is_active:
            continue
        queue_email(
            to=decider.email,
            template="membership_requested",
            context={
                "name": decider.name,
                "requester": membership.user.name,
                "requester_email": membership.user.email,
                "organisation": organisation.name,
                "url": public_url("memberships.members", slug=organisation.slug),
            },
            language=decider.language,
            dedup_key=f"membership-requested:{_request_key(membership)}:{decider.id}",
            user=decider,
        )


def _require_pending(membership: Membership) -> None:
    if membership.status != MembershipStatus.PENDING:
        raise ValidationError(_("This request has already been answered."))


def approve(membership: Membership, *, role: Role, decided_by: User) -> None:
    """Approve a pending request with `role`, and tell the user."""
    _require_pending(membership)
    membership.status = MembershipStatus.APPROVED.value
    membership.role = Role(role).value
    _decide(membership, decided_by, template="membership_approved")


def decline(membership: Membership, *, decided_by: User) -> None:
    """Decline a pending request, and tell the user."""
    _require_pending(membership)
    membership.status = MembershipStatus.DECLINED.value
    _decide(membership, decided_by, template="membership_declined")


def _decide(membership: Membership, decided_by: User, *, template: str) -> None:
    membership.decided_by_id = decided_by.id
    membership.decided_at = utcnow()
    db.session.flush()
    user = membership.user
    queue_email(
        to=user.email,
        template=template,
        context={
            "name": user.name,
            "organisation": membership.organisation.name,
            "role": membership.role,
            "url": public_url("memberships.mine"),
        },
        language=user.language,
        dedup_key=f"membership-decided:{_request_key(membership)}",
        user=user,
    )


def _is_last_admin(membership: Membership) -> bool:
    # Two admins demoting each other at once must not both see "another admin is left": lock
    # the organisation first, so the second waits for the first's commit, then count afresh.
    lock_for_write(Organisation, membership.organisation_id)
    try:
        db.session.refresh(membership)
    except InvalidRequestError:  # removed by someone else while we waited for the lock
        raise ValidationError(_("Someone else removed this membership a moment ago.")) from None
    if membership.role != Role.ADMIN or membership.status != MembershipStatus.APPROVED:
        return False
    admins = db.session.scalar(
        db.select(db.func.count())
        .select_from(Membership)
        .where(
            Membership.organisation_id == membership.organisation_id,
            Membership.status == MembershipStatus.APPROVED.value,
            Membership.role == Role.ADMIN.value,
        )
    )
    return admins <= 1


def change_role(membership: Membership, role: Role) -> None:
    """Give an approved member another role; an organisation keeps at least one admin."""
    if membership.status != MembershipStatus.APPROVED:
        raise ValidationError(_("Only approved members have a role to change."))
    if Role(role) != Role.ADMIN and _is_last_admin(membership):
        raise ValidationError(_("An organisation must keep at least one administrator."))
    membership.role = Role(role).value
    db.session.flush()


def remove_member(membership: Membership) -> None:
    """Remove a member (or forget a request); an organisation keeps at least one admin."""
    if _is_last_admin(membership):
        raise ValidationError(_("An organisation must keep at least one administrator."))
    db.session.delete(membership)
    db.session.flush()


def members_of(organisation: Organisation) -> list[Membership]:
    """Approved members with their users, by name."""
    rows = db.session.scalars(
        db.select(Membership)
        .where(
            Membership.organisation_id == organisation.id,
            Membership.status == MembershipStatus.APPROVED.value,
        )
        .options(selectinload(Membership.user))
    )
    return sorted(rows, key=lambda m: norwegian_sort_key(m.user.name))


def pending_requests(organisation: Organisation | None = None) -> list[Membership]:
    """Requests waiting for an answer, oldest first: one organisation's, or all of them."""
    query = (
        db.select(Membership)
        .where(Membership.status == MembershipStatus.PENDING.value)
        .options(selectinload(Membership.user), selectinload(Membership.organisation))
        .order_by(Membership.requested_at, Membership.id)
    )
    if organisation is not None:
        query = query.where(Membership.organisation_id == organisation.id)
    return list(db.session.scalars(query))
