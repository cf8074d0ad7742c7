"""Who may do what: the one place that answers authorisation questions.

Every rule takes the user (possibly anonymous) and the thing acted on, and returns a bool.
Views turn a False into 403 (or 404 where even existence must not leak).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from baerekraft_hub.memberships.models import MembershipStatus, Role

if TYPE_CHECKING:
    from baerekraft_hub.accounts.models import User
    from baerekraft_hub.organisations.models import Organisation


class PermissionDenied(Exception):
    """The user may not do this."""


def is_signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_coordinator(user) -> bool:
    """The network coordinator may do what an organisation admin may, everywhere."""
    return is_signed_in(user) and bool(user.is_coordinator)


def role_in(user: User | None, organisation: Organisation) -> Role | None:
    """The user's approved role in the organisation, or None."""
    if not is_signed_in(user):
        return None
    for membership in user.memberships:
        if (
            membership.organisation_id == organisation.id
            and membership.status == MembershipStatus.APPROVED
        ):
            return Role(membership.role)
    return None


def has_role(user: User | None, organisation: Organisation, role: Role) -> bool:
    """True for the coordinator, or a member with `role` or a higher one."""
    if is_coordinator(user):
        return True
    actual = role_in(user, organisation)
    return actual is not None and actual.rank >= role.rank


def can_edit_content(user: User | None, organisation: Organisation) -> bool:
    return has_role(user, organisation, Role.EDITOR)


def can_manage_members(user: User | None, organisation: Organisation) -> bool:
    return has_role(user, organisation, Role.ADMIN)


def editable_organisations(user: User | None) -> list[Organisation]:
    """Organisations the user may create content for (not all, for the coordinator: their own)."""
    if not is_signed_in(user):
        return []
    return [
        m.organisation
        for m in user.memberships
        if m.status == MembershipStatus.APPROVED and Role(m.role).rank >= Role.EDITOR.rank
    ]


def can_edit_item(user: User | None, item) -> bool:
    """Editors and admins of the owner organisation, and the coordinator, edit everything."""
    return can_edit_content(user, item.owner)


def can_post_update(user: User | None, project) -> bool:
    """Editors of participating organisations may also post progress updates."""
    return can_edit_item(user, project) or any(
        can_edit_content(user, org) for org in project.participants
    )


def can_mark_reuse(user: User | None, practice, organisation: Organisation) -> bool:
    """An editor of another organisation may say that their organisation reuses a practice."""
    return organisation.id != practice.owner_id and can_edit_content(user, organisation)
