"""Finding follows: counts, a user's follows by kind, and suggestions of what to follow."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from baerekraft_hub.accounts.models import Membership, MembershipStatus
from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.content.visibility import readable_organisation_ids, visible_to
from baerekraft_hub.core import policy
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.models import Follow, FollowKind
from baerekraft_hub.organisations.models import Organisation, OrgKind
from baerekraft_hub.sdg.models import Goal, Target


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


def follow_state(user, kind: FollowKind, key: str, name: str) -> FollowState:
    """The follower count, and whether `user` (maybe anonymous) is among them: one query."""
    mine = (
        sa.func.sum(sa.case((Follow.user_id == user.id, 1), else_=0))
        if policy.is_signed_in(user)
        else sa.literal(0)
    )
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
    mine = (
        sa.func.sum(sa.case((Follow.user_id == user.id, 1), else_=0))
        if policy.is_signed_in(user)
        else sa.literal(0)
    )
    wanted = sa.or_(
        *[
            sa.and_(Follow.kind == kind.value, Follow.key == key)
            for kind, key in {(kind, key) for kind, key, _name in things}
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


def follower_summary(organisation: Organisation) -> FollowerSummary:
    """How many people follow the organisation, and from how many municipalities (one query)."""
    municipality = sa.case(
        (
            sa.and_(
                Membership.status == MembershipStatus.APPROVED.value,
                Organisation.kind == OrgKind.MUNICIPALITY.value,
            ),
            Membership.organisation_id,
        )
    )
    people, municipalities = db.session.execute(
        db.select(
            sa.func.count(sa.distinct(Follow.user_id)), sa.func.count(sa.distinct(municipality))
        )
        .select_from(Follow)
        .outerjoin(Membership, Membership.user_id == Follow.user_id)
        .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
        .where(Follow.kind == FollowKind.ORGANISATION.value, Follow.key == str(organisation.id))
    ).one()
    return FollowerSummary(people or 0, municipalities or 0)


def followed_keys(user) -> set[tuple[str, str]]:
    """(kind, key) of everything the user follows."""
    rows = db.session.execute(db.select(Follow.kind, Follow.key).where(Follow.user_id == user.id))
    return {(kind, key) for kind, key in rows}


@dataclass
class MyFollows:
    """What a user follows, loaded, by kind (each list in a stable, readable order)."""

    organisations: list[Organisation] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    projects: list = field(default_factory=list)
    practices: list = field(default_factory=list)
    keys: set[tuple[str, str]] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.keys)


def follows_of(user) -> MyFollows:
    """Everything the user follows, in a fixed number of queries.

    Projects and practices the user may no longer see (unpublished since) are left out.
    """
    from baerekraft_hub.practices.models import Practice
    from baerekraft_hub.practices.queries import PRACTICES
    from baerekraft_hub.projects.models import Project
    from baerekraft_hub.projects.queries import PROJECTS

    keys = followed_keys(user)
    by_kind: dict[str, list[str]] = defaultdict(list)
    for kind, key in keys:
        by_kind[kind].append(key)

    def ids(kind: FollowKind) -> list[int]:
        return [int(k) for k in by_kind[kind.value] if k.isdigit()]

    mine = MyFollows(keys=keys)
    mine.organisations = list(
        db.session.scalars(
            db.select(Organisation)
            .where(Organisation.id.in_(ids(FollowKind.ORGANISATION)))
            .options(selectinload(Organisation.county))
            .order_by(Organisation.name)
        )
    )
    mine.goals = list(
        db.session.scalars(
            db.select(Goal).where(Goal.number.in_(ids(FollowKind.GOAL))).order_by(Goal.number)
        )
    )
    mine.targets = list(
        db.session.scalars(
            db.select(Target)
            .where(Target.id.in_(by_kind[FollowKind.TARGET.value]))
            .options(selectinload(Target.goal))
            .order_by(Target.goal_number, Target.position)
        )
    )
    mine.projects = list(
        db.session.scalars(
            db.select(Project)
            .where(Project.id.in_(ids(FollowKind.PROJECT)), visible_to(PROJECTS, user))
            .options(selectinload(Project.owner))
            .order_by(Project.title)
        )
    )
    mine.practices = list(
        db.session.scalars(
            db.select(Practice)
            .where(Practice.id.in_(ids(FollowKind.PRACTICE)), visible_to(PRACTICES, user))
            .options(selectinload(Practice.owner))
            .order_by(Practice.title)
        )
    )
    return mine


# --- suggestions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Work:
    target_id: str
    project_id: int
    owner_id: int
    owner_is_municipality: bool
    published_at: datetime | None
    title: str


class SuggestionIndex:
    """Published projects by target: who works on what, to suggest peers and projects.

    Loaded once (for the targets a page needs, or for all when a digest run suggests to
    thousands of people) and asked in memory, so suggesting costs no query per person.
    """

    def __init__(self, rows: list[_Work]) -> None:
        self.by_target: dict[str, list[_Work]] = defaultdict(list)
        self.by_owner: dict[int, set[str]] = defaultdict(set)
        self.titles: dict[int, str] = {}
        self.newest: dict[int, float] = {}
        self._ranked_cache: dict[tuple, tuple[list[int], list[int]]] = {}
        for row in rows:
            self.titles[row.project_id] = row.title
            self.newest[row.project_id] = row.published_at.timestamp() if row.published_at else 0.0
            self.by_target[row.target_id].append(row)
            self.by_owner[row.owner_id].add(row.target_id)

    @classmethod
    def load(cls, target_ids: set[str] | None = None) -> SuggestionIndex:
        from baerekraft_hub.projects.models import Project, project_target

        query = (
            db.select(
                project_target.c.target_id,
                Project.id,
                Project.owner_id,
                Organisation.kind,
                Project.published_at,
                Project.title,
            )
            .join(Project, Project.id == project_target.c.project_id)
            .join(Organisation, Organisation.id == Project.owner_id)
            .where(Project.state == PublicationState.PUBLISHED.value)
        )
        if target_ids is not None:
            query = query.where(project_target.c.target_id.in_(sorted(target_ids)))
        rows = [
            _Work(target, project, owner, kind == OrgKind.MUNICIPALITY.value, published, title)
            for target, project, owner, kind, published, title in db.session.execute(query)
        ]
        return cls(rows)

    def targets_of(self, organisation_ids: set[int]) -> set[str]:
        """Targets the organisations' published projects work on."""
        found: set[str] = set()
        for organisation_id in organisation_ids:
            found |= self.by_owner.get(organisation_id, set())
        return found

    def suggest(
        self,
        targets: set[str],
        own_organisation_ids: set[int],
        followed: set[tuple[str, str]],
        limit: int = 5,
    ) -> tuple[list[int], list[int]]:
        """Ids of municipalities and of projects on the most of `targets`, not yet followed."""
        organisations, projects = self._ranked(frozenset(targets), frozenset(own_organisation_ids))
        return (
            _first_not_followed(organisations, FollowKind.ORGANISATION, followed, limit),
            _first_not_followed(projects, FollowKind.PROJECT, followed, limit),
        )

    def _ranked(
        self, targets: frozenset[str], own_organisation_ids: frozenset[int]
    ) -> tuple[list[int], list[int]]:
        """Municipalities and projects working on `targets`, those on the most first (projects
        then the newest first). What a person follows only filters these lists, so a digest
        run ranks once per set of targets, not once per person."""
        key = (targets, own_organisation_ids)
        ranked = self._ranked_cache.get(key)
        if ranked is None:
            organisations: Counter[int] = Counter()
            projects: Counter[int] = Counter()
            for target in targets:
                for work in self.by_target.get(target, ()):
                    if work.owner_id in own_organisation_ids:
                        continue
                    if work.owner_is_municipality:
                        organisations[work.owner_id] += 1
                    projects[work.project_id] += 1
            newest = self.newest
            ranked = self._ranked_cache[key] = (
                sorted(organisations, key=lambda i: (-organisations[i], i)),
                sorted(projects, key=lambda i: (-projects[i], -newest[i], i)),
            )
        return ranked


def _first_not_followed(
    ranked: list[int], kind: FollowKind, followed: set[tuple[str, str]], limit: int
) -> list[int]:
    found = []
    for candidate in ranked:
        if (kind.value, str(candidate)) not in followed:
            found.append(candidate)
            if len(found) == limit:
                break
    return found


@dataclass
class Suggestions:
    organisations: list[Organisation] = field(default_factory=list)
    projects: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.organisations or self.projects)


def own_organisation_ids(user) -> set[int]:
    return readable_organisation_ids(user)


def suggestions_for(user, followed: set[tuple[str, str]], limit: int = 5) -> Suggestions:
    """Municipalities and projects on the targets of the user's organisations' work and the
    targets they follow (a fixed number of queries)."""
    from baerekraft_hub.projects.models import Project, project_target
    from baerekraft_hub.projects.queries import LIST_OPTIONS

    own = own_organisation_ids(user)
    own_targets = set(
        db.session.scalars(
            db.select(project_target.c.target_id)
            .join(Project, Project.id == project_target.c.project_id)
            .where(Project.owner_id.in_(own), Project.state == PublicationState.PUBLISHED.value)
            .distinct()
        )
    )
    targets = own_targets | {key for kind, key in followed if kind == FollowKind.TARGET.value}
    index = SuggestionIndex.load(targets)
    organisation_ids, project_ids = index.suggest(targets, own, followed, limit)
    return load_suggestions(organisation_ids, project_ids, LIST_OPTIONS)


def load_suggestions(
    organisation_ids: list[int], project_ids: list[int], options=()
) -> Suggestions:
    """The suggested organisations and projects, in the order given."""
    from baerekraft_hub.projects.models import Project

    organisations = {
        o.id: o
        for o in db.session.scalars(
            db.select(Organisation)
            .where(Organisation.id.in_(organisation_ids))
            .options(selectinload(Organisation.county))
        )
    }
    projects = {
        p.id: p
        for p in db.session.scalars(
            db.select(Project).where(Project.id.in_(project_ids)).options(*options)
        )
    }
    return Suggestions(
        [organisations[i] for i in organisation_ids if i in organisations],
        [projects[i] for i in project_ids if i in projects],
    )


def follow_state_of(user, kind: FollowKind, obj) -> FollowState:
    """The follow button's state for an object shown on its own page."""
    from baerekraft_hub.follows.labels import name_of
    from baerekraft_hub.follows.services import Followed

    key = {
        FollowKind.GOAL: lambda: str(obj.number),
        FollowKind.TARGET: lambda: obj.id,
    }.get(kind, lambda: str(obj.id))()
    return follow_state(user, kind, key, name_of(Followed(kind, key, obj)))
