"""Emails about content: the owner is told when someone else unpublishes their content."""

from __future__ import annotations

from baerekraft_hub.accounts.models import User
from baerekraft_hub.content.signals import content_unpublished
from baerekraft_hub.core.outbox import queue_email
from baerekraft_hub.core.urls import public_url
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships.models import MembershipStatus, Role


def _owner_editors(organisation) -> list[User]:
    """Active editors and admins of the organisation: the people responsible for its content."""
    from baerekraft_hub.memberships.models import Membership

    return list(
        db.session.scalars(
            db.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organisation_id == organisation.id,
                Membership.status == MembershipStatus.APPROVED.value,
                Membership.role.in_([Role.EDITOR.value, Role.ADMIN.value]),
            )
            .order_by(User.id)
        )
    )


@content_unpublished.connect
def tell_owner_about_unpublishing(item, user=None, reason=None, **_extra) -> None:
    """Queue one email per owner editor, in their language, with the reason (same transaction)."""
    kind = item.__tablename__  # "project" or "practice"
    endpoint = "projects.show" if kind == "project" else "practices.show"
    url = public_url(endpoint, **{f"{kind}_id": item.id})
    for recipient in _owner_editors(item.owner):
        if not recipient.is_active or (user is not None and recipient.id == user.id):
            continue  # people are not told about what they did themselves
        queue_email(
            to=recipient.email,
            template="content_unpublished",
            context={
                "name": recipient.name,
                "title": item.title,
                "organisation": item.owner.name,
                "reason": reason or "",
                "by_coordinator": bool(user is not None and user.is_coordinator),
                "url": url,
            },
            language=recipient.language,
            # version changes with every save, so each unpublishing is its own message
            dedup_key=f"unpublished:{kind}:{item.id}:v{item.version}:{recipient.id}",
            user=recipient,
        )
