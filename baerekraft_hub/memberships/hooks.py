"""How memberships plug into accounts, which sits below and never imports them."""

from __future__ import annotations

from typing import Any

from baerekraft_hub.accounts.signals import user_data_requested
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships.models import Membership


def _user_data(sender: Any, user, **extra: Any) -> dict[str, list]:
    """The memberships section of the data a user downloads about themselves."""
    memberships = db.session.scalars(
        db.select(Membership).where(Membership.user_id == user.id).order_by(Membership.id)
    )
    return {
        "memberships": [
            {
                "organisation": m.organisation.name,
                "organisation_number": m.organisation.number,
                "role": m.role,
                "status": m.status,
                "requested_at": m.created_at.isoformat(),
                "decided_at": m.decided_at.isoformat() if m.decided_at else None,
            }
            for m in memberships
        ]
    }


def init_app(app) -> None:
    """Connect the receivers (again is fine: it replaces)."""
    user_data_requested.connect(_user_data, weak=False)
