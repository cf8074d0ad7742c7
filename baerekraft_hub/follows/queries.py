"""Finding follows: a follow button's state, follower counts, and what a user follows.

What to follow next is `suggestions`.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from baerekraft_hub.extensions import db
from baerekraft_hub.follows.kinds import FOLLOWABLE, Followable, followable
from baerekraft_hub.follows.models import Follow, FollowKind
from baerekraft_hub.memberships import policy
from baerekraft_hub.memberships.models import Membership, MembershipStatus
from baerekraft_hub.organisations.models import Organisation, OrgKind


@dataclass(frozen=True)
class FollowState:
    """What a follow button shows: how many follow the thing, and whether the user does."""

    kind: FollowKind
    key: str
    name: str  # for screen readers: "Follow <name>"
    count: int
    following: bool

    @property
    def dom_id(self) -> str:
        return f"follow-{self.kind.value}-{self.key.replace('.', '-')}"


def _followed_by(user):
    """How many of the follows counted are the user's (0 or 1 per thing)."""
    if not policy.is_signed_in(user):
        return sa.literal(0)
    return sa.func.sum(sa.case((Follow.user_id == user.id, 1), else_=0))


def follow_state(user, kind: FollowKind, key: str, name: str) -> FollowState:
    """The follower count, and whether `user` (maybe anonymous) is among them: one query."""
    mine = _followed_by(user)
    count, following = db.session.execute(
        db.select(sa.func.count(Follow.id), mine).where(
            Follow.kind == kind.value, Follow.key == key
        )
    ).one()
    return FollowState(kind, key, str(name), count or 0, bool(following))


def follow_states(user, things: list[tuple[FollowKind, str, str]]) -> dict[tuple, FollowState]:
    """Follow states of many things at once (kind, key, name): one query, however many."""
    if not things:
        return {}
    mine = _followed_by(user)
    keys_by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, key, _name in things:
        keys_by_kind[kind.value].add(key)
    # One `key IN (...)` per kind (a handful): an OR of a (kind, key) pair per thing made a
    # statement as long as the page, built and cache-keyed anew for each page's count.
    wanted = sa.or_(
        *[
            sa.and_(Follow.kind == kind, Follow.key.in_(sorted(keys)))
            for kind, keys in sorted(keys_by_kind.items())
        ]
    )
    rows = db.session.execute(
        db.select(Follow.kind, Follow.key, sa.func.count(Follow.id), mine)
        .where(wanted)
        .group_by(Follow.kind, Follow.key)
    )
    counts = {(kind, key): (count, bool(following)) for kind, key, count, following in rows}
    states = {}
    for kind, key, name in things:
        count, following = counts.get((kind.value, key), (0, False))
        states[(kind, key)] = FollowState(kind, key, str(name), count, following)
    return states


@dataclass(frozen=True)
class FollowerSummary:
    people: int
    municipalities: int
    state: FollowState  # the follow button's


@functools.cache
def _follower_counts(signed_in: bool) -> sa.Select:
    """People following an organisation (a bound `key`), from how many municipalities, and
    whether the user (a bound `user_id`, signed in) is one of them: built once per kind of
    viewer, as building it took longer than running it (0.6 of 0.8 ms for Molde)."""
    municipality = sa.case(
        (
            sa.and_(
                Membership.status == MembershipStatus.APPROVED.value,
                Organisation.kind == OrgKind.MUNICIPALITY.value,
            ),
            Membership.organisation_id,
        )
    )
    mine = (
        sa.func.count(
            sa.distinct(sa.case((Follow.user_id == sa.bindparam("user_id"), Follow.user_id)))
        )
        if signed_in
        else sa.literal(0)
    )
    return (
        db.select(
            sa.func.count(sa.distinct(Follow.user_id)),
            sa.func.count(sa.distinct(municipality)),
            mine,
        )
        .select_from(Follow)
        .outerjoin(Membership, Membership.user_id == Follow.user_id)
        .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
        .where(Follow.kind == FollowKind.ORGANISATION.value, Follow.key == sa.bindparam("key"))
    )


def follower_summary(user, organisation: Organisation) -> FollowerSummary:
    """How many people follow the organisation, from how many municipalities, and the follow
    button's state for `user` (one query)."""
    signed_in = policy.is_signed_in(user)
    params = {"key": str(organisation.id)}
    if signed_in:
        params["user_id"] = user.id
    people, municipalities, following = db.session.execute(
        _follower_counts(signed_in), params
    ).one()
    entry = followable(FollowKind.ORGANISATION)
    state = FollowState(
        entry.kind,
        entry.key_of(organisation),
        entry.label(organisation),
        people or 0,
        bool(following),
    )
    return FollowerSummary(people or 0, municipalities or 0, state)


def followed_keys(user) -> set[tuple[str, str]]:
    """(kind, key) of everything the user follows."""
    rows = db.session.execute(db.select(Follow.kind, Follow.key).where(Follow.user_id == user.id))
    return {(kind, key) for kind, key in rows}


@dataclass
class MyFollows:
    """What a user follows, loaded: per kind (in the registry's order), in a readable order."""

    keys: set[tuple[str, str]]
    groups: list[tuple[Followable, list]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.keys)


def follows_of(user) -> MyFollows:
    """Everything the user follows: a query per kind they follow, however many.

    Projects and practices the user may no longer see (unpublished since) are left out.
    """
    keys = followed_keys(user)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, key in keys:
        by_kind[kind].append(key)
    mine = MyFollows(keys)
    for entry in FOLLOWABLE.values():
        if by_kind[entry.kind.value]:
            mine.groups.append(
                (entry, entry.load(by_kind[entry.kind.value], user=user, listed=True))
            )
    return mine


def follow_state_of(user, kind: FollowKind, obj) -> FollowState:
    """The follow button's state for an object shown on its own page."""
    entry = followable(kind)
    return follow_state(user, entry.kind, entry.key_of(obj), entry.label(obj))
