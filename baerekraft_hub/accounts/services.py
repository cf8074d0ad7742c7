"""What the accounts domain does."""

from __future__ import annotations

from baerekraft_hub.accounts.models import User
from baerekraft_hub.extensions import db, login_manager


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user behind a session, unless the session predates their last password change."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user
