"""What the coordinator does to people: answer requests, change roles, appoint or remove
coordinators, deactivate and reactivate accounts. Each is audited; none commits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload

from baerekraft_hub.accounts.models import User
from baerekraft_hub.accounts.services import end_sessions
from baerekraft_hub.audit import record
from baerekraft_hub.core.dialects import lock_named
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships import services as memberships
from baerekraft_hub.memberships.models import Membership, Role


def people(query: str = ""):
    """Everyone, by name, matching `query` in name or email (a SELECT to paginate)."""
    select = db.select(User).options(
        selectinload(User.memberships).selectinload(Membership.organisation)
    )
    query = query.strip()
    if query:
        select = select.where(
            or_(
                User.name.icontains(query, autoescape=True),
                User.email.icontains(query, autoescape=True),
            )
        )
    return select.order_by(func.lower(User.name), User.id)


def _label(user: User) -> dict:
    return {"label": f"{user.name} <{user.email}>"}


def _other_active_coordinators(user: User) -> int:
    """Active coordinators besides `user`, counted under a lock: two coordinators removing
    each other at once must not both see "another one is left" (the second waits, then
    counts afresh)."""
    lock_named("coordinators")
    db.session.refresh(user)
    return db.session.scalar(
        db.select(func.count(User.id)).where(
            User.is_coordinator.is_(True), User.deactivated_at.is_(None), User.id != user.id
        )
    )


def _refuse_losing_the_last_coordinator(user: User) -> None:
    if user.is_coordinator and _other_active_coordinators(user) == 0:
        raise ValidationError(
            _l(
                "%(name)s is the last network coordinator: appoint another one first.",
                name=user.name,
            )
        )


def set_coordinator(actor: User, user: User, make: bool, reason: str | None = None) -> bool:
    """Make `user` a coordinator, or no longer one; whether anything changed."""
    if bool(user.is_coordinator) == make:
        return False
    if make and not user.is_active:
        raise ValidationError(_l("Only an active, confirmed account can be a coordinator."))
    if not make:
        _refuse_losing_the_last_coordinator(user)
    user.is_coordinator = make
    action = "user.make_coordinator" if make else "user.remove_coordinator"
    record(actor, action, "user", user.id, reason, _label(user))
    return True


def deactivate(actor: User, user: User, reason: str) -> bool:
    """The account can no longer sign in, and its sessions end; what it wrote stays."""
    if user.deactivated_at is not None:
        return False
    if user.id == actor.id:
        raise ValidationError(_l("You cannot deactivate your own account here."))
    _refuse_losing_the_last_coordinator(user)
    user.deactivated_at = utcnow()
    end_sessions(user)
    record(actor, "user.deactivate", "user", user.id, reason, _label(user))
    return True


def reactivate(actor: User, user: User, reason: str | None = None) -> bool:
    if user.deactivated_at is None:
        return False
    user.deactivated_at = None
    record(actor, "user.reactivate", "user", user.id, reason, _label(user))
    return True


def _membership_label(membership: Membership) -> dict:
    return {
        "label": f"{membership.user.name} <{membership.user.email}> – "
        f"{membership.organisation.name}",
    }


def approve(actor: User, membership: Membership, role: Role, reason: str | None = None) -> None:
    memberships.approve(membership, role=role, decided_by=actor)
    details = _membership_label(membership) | {"role": role.value}
    record(actor, "membership.approve", "membership", membership.id, reason, details)


def decline(actor: User, membership: Membership, reason: str | None = None) -> None:
    memberships.decline(membership, decided_by=actor)
    record(
        actor,
        "membership.decline",
        "membership",
        membership.id,
        reason,
        _membership_label(membership),
    )


def change_role(actor: User, membership: Membership, role: Role, reason: str | None = None) -> None:
    old = membership.role
    if old == role.value:
        return
    memberships.change_role(membership, role)
    details = _membership_label(membership) | {"from": old, "to": role.value}
    record(actor, "membership.change_role", "membership", membership.id, reason, details)
