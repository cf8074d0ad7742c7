"""What the follows domain does: follow, unfollow, and find what a follow points at.

Functions flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete

from baerekraft_hub.content.visibility import can_see
from baerekraft_hub.core.dialects import insert_ignoring_conflicts
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.models import Follow, FollowKind
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.sdg.models import Goal, Target


class NotFollowable(LookupError):
    """Nothing of that kind and key exists, or the user may not see it (views answer 404)."""


@dataclass(frozen=True)
class Followed:
    """A thing one can follow, found: its kind, key and the loaded object."""

    kind: FollowKind
    key: str
    obj: object


def find_followable(user, kind: str, key: str) -> Followed:
    """The organisation, project, practice, goal or target; raises NotFollowable."""
    from baerekraft_hub.practices.models import Practice
    from baerekraft_hub.projects.models import Project

    try:
        kind = FollowKind(kind)
    except ValueError:
        raise NotFollowable(kind) from None
    obj = None
    if kind in (FollowKind.ORGANISATION, FollowKind.PROJECT, FollowKind.PRACTICE, FollowKind.GOAL):
        if not key.isdigit() or len(key) > 9:
            raise NotFollowable(key)
        model = {
            FollowKind.ORGANISATION: Organisation,
            FollowKind.PROJECT: Project,
            FollowKind.PRACTICE: Practice,
            FollowKind.GOAL: Goal,
        }[kind]
        obj = db.session.get(model, int(key))
        key = str(int(key))
    else:
        obj = db.session.get(Target, key) if len(key) <= 8 else None
    if obj is None:
        raise NotFollowable(key)
    if kind in (FollowKind.PROJECT, FollowKind.PRACTICE) and not can_see(user, obj):
        raise NotFollowable(key)
    return Followed(kind, key, obj)


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
