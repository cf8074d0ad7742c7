"""How follows plugs into the layers below it, which never import it.

Their pages call template globals (a follow button asks for its own state, a profile page
for its followers), and follows listens to their signals: deleted content loses
its follows, and a user's downloaded data includes what they follow.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login import current_user

from baerekraft_hub.accounts.signals import user_data_requested
from baerekraft_hub.content.signals import content_deleted
from baerekraft_hub.extensions import db
from baerekraft_hub.follows import peers, suggestion_store
from baerekraft_hub.follows.models import Follow, FollowKind
from baerekraft_hub.follows.queries import (
    FollowerSummary,
    FollowState,
    follow_state_of,
    follower_summary,
)
from baerekraft_hub.follows.services import forget_followed


def follow_state(kind: str, obj) -> FollowState:
    """The follow button's state of `obj` (a goal, a project ...) for whoever is looking."""
    return follow_state_of(current_user, FollowKind(kind), obj)


def followers_of(organisation) -> FollowerSummary:
    """Who follows the organisation, and its follow button's state for whoever is looking."""
    return follower_summary(current_user, organisation)


def _content_deleted(sender: Any, kind: str, id: int, **extra: Any) -> None:  # noqa: A002
    """Nobody follows what no longer exists."""
    forget_followed(FollowKind(kind), str(id))


def _user_data(sender: Any, user, **extra: Any) -> dict[str, list]:
    follows = db.session.scalars(
        db.select(Follow).where(Follow.user_id == user.id).order_by(Follow.created_at)
    )
    return {
        "follows": [
            {"kind": f.kind, "key": f.key, "since": f.created_at.isoformat()} for f in follows
        ]
    }


def init_app(app: Flask) -> None:
    """Install the template globals; connect the receivers (again is fine: it replaces);
    register the worker's tasks that compute peers and suggestions."""
    app.jinja_env.globals.update(
        follow_state=follow_state,
        follower_summary=followers_of,
    )
    content_deleted.connect(_content_deleted, weak=False)
    user_data_requested.connect(_user_data, weak=False)
    peers.init_app(app)
    suggestion_store.init_app(app)
