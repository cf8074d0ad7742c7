"""What the follows domain does: follow, unfollow, and find what a follow points at.

Functions flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete

from baerekraft_hub.core.dialects import insert_ignoring_conflicts
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.kinds import followable
from baerekraft_hub.follows.models import Follow, FollowKind


class NotFollowable(LookupError):
    """Nothing of that kind and key exists, or the user may not see it (views answer 404)."""


@dataclass(frozen=True)
class Followed:
    """A thing one can follow, found: its kind, key and the loaded object."""

    kind: FollowKind
    key: str
    obj: object

    @property
    def name(self) -> str:
        """'Molde', 'Goal 13: Climate action', 'Target 13.1', or the project's title."""
        return followable(self.kind).label(self.obj)

    @property
    def url(self) -> str:
        """The path of the followed thing's own page."""
        return followable(self.kind).url(self.obj)


def find_followable(user, kind: str, key: str) -> Followed:
    """The organisation, project, practice, goal or target; raises NotFollowable."""
    try:
        entry = followable(kind)
    except ValueError:
        raise NotFollowable(kind) from None
    primary_key = entry.parse_key(key)
    obj = None if primary_key is None else db.session.get(entry.model, primary_key)
    if obj is None or not entry.can_see(user, obj):
        raise NotFollowable(key)
    return Followed(entry.kind, entry.key_of(obj), obj)


def follow(user, followed: Followed) -> None:
    """Follow it; following again changes nothing (and two requests at once make one row)."""
    statement = insert_ignoring_conflicts(
        Follow,
        {
            "user_id": user.id,
            "kind": followed.kind.value,
            "key": followed.key,
            "created_at": utcnow(),
        },
        ["user_id", "kind", "key"],
    )
    db.session.execute(statement)
    db.session.flush()


def unfollow(user, followed: Followed) -> None:
    """Stop following it; not following it already is fine."""
    db.session.execute(
        delete(Follow).where(
            Follow.user_id == user.id,
            Follow.kind == followed.kind.value,
            Follow.key == followed.key,
        ),
        execution_options={"synchronize_session": False},
    )
    db.session.flush()


def forget_followed(kind: FollowKind, key: str) -> None:
    """Remove every follow of a thing that is gone."""
    db.session.execute(
        delete(Follow).where(Follow.kind == kind.value, Follow.key == key),
        execution_options={"synchronize_session": False},
    )
