"""What the console hears from lower domains: a coordinator's answers and changes on an
organisation's members page go in the audit log, as the console's own actions do."""

from __future__ import annotations

from flask import Flask

from baerekraft_hub.accounts.models import User
from baerekraft_hub.audit import record
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships import policy
from baerekraft_hub.memberships.signals import membership_managed
from baerekraft_hub.organisations.models import Organisation


def _record_coordinator_action(
    organisation: Organisation, action: str, by, membership_id: int, user_id: int, **_extra
) -> None:
    if not policy.is_coordinator(by):
        return  # organisation admins manage their own members: not the network's log
    user = db.session.get(User, user_id)
    label = f"{user.name} <{user.email}> – {organisation.name}" if user else organisation.name
    record(by, f"membership.{action}", "membership", membership_id, None, {"label": label})


def init_app(app: Flask) -> None:
    membership_managed.connect(_record_coordinator_action)
