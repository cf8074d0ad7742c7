"""What to follow next: who else works on the same SDG targets.

For a person ("Your follows", a digest's footer): municipalities and projects on the targets
of their organisations' projects and the targets they follow (`SuggestionIndex`); for a
member of one organisation, as the worker ranked them ahead (suggestion_store.py). For an
organisation's profile page, the same question is answered ahead by the worker: peers.py.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.content.visibility import readable_organisation_ids
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.models import FollowKind, OrganisationSuggestion, OrganisationWork
from baerekraft_hub.organisations.models import Organisation, OrgKind
from baerekraft_hub.projects.models import Project, project_target

PEERS = 8
STORED = 40  # suggestions of each kind kept per organisation (suggestion_store.py)
KEPT = 50  # of each ranking, kept in memory for the next person with the same targets
PUBLISHED = PublicationState.PUBLISHED.value


def _published_project_targets(*columns) -> sa.Select:
    """`columns` of each (published project, its target) pair."""
    return (
        db.select(*columns)
        .select_from(project_target)
        .join(Project, Project.id == project_target.c.project_id)
        .where(Project.state == PUBLISHED)
    )


# --- for a person ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)  # 60,000 of them in a digest run: no __dict__ each
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

    def __init__(self, rows: Iterable[_Work]) -> None:
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
    def load(
        cls, target_ids: set[str] | None = None, session: Session | None = None
    ) -> SuggestionIndex:
        query = _published_project_targets(
            project_target.c.target_id,
            Project.id,
            Project.owner_id,
            Organisation.kind,
            Project.published_at,
            Project.title,
        ).join(Organisation, Organisation.id == Project.owner_id)
        if target_ids is not None:
            query = query.where(project_target.c.target_id.in_(sorted(target_ids)))
        # Read a few thousand at a time: the ORM buffers a whole result otherwise (all 60,000
        # rows as well as the index built from them).
        found = (session or db.session).execute(query.execution_options(yield_per=5000))
        return cls(
            _Work(target, project, owner, kind == OrgKind.MUNICIPALITY.value, published, title)
            for target, project, owner, kind, published, title in found
        )

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
        *,
        remember: bool = True,
    ) -> tuple[list[int], list[int]]:
        """Ids of municipalities and of projects on the most of `targets`, not yet followed.

        What a person follows only filters the rankings, so a digest run ranks once per set
        of targets, not once per person: the head of each ranking (KEPT ids) is kept for the
        next person with the same targets, enough unless they follow most of it. Whole
        rankings, thousands of ids for each of a run's thousands of sets of targets, grew the
        worker by 20 MB and more through a run. `remember=False`: not even the head (the
        worker ranks each organisation once)."""
        key = (frozenset(targets), frozenset(own_organisation_ids))
        kept = self._ranked_cache.get(key)
        if kept is not None:
            found = _not_followed(kept, followed, limit)
            if all(
                len(ids) == limit or len(head) < KEPT for ids, head in zip(found, kept, strict=True)
            ):
                return found
        ranked = self._ranked(*key)
        if remember:
            self._ranked_cache[key] = (ranked[0][:KEPT], ranked[1][:KEPT])
        return _not_followed(ranked, followed, limit)

    def _ranked(
        self, targets: frozenset[str], own_organisation_ids: frozenset[int]
    ) -> tuple[list[int], list[int]]:
        """Municipalities and projects working on `targets`, those on the most first (projects
        then the newest first)."""
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
        return (
            sorted(organisations, key=lambda i: (-organisations[i], i)),
            sorted(projects, key=lambda i: (-projects[i], -newest[i], i)),
        )


def _not_followed(
    ranked: tuple[list[int], list[int]], followed: set[tuple[str, str]], limit: int
) -> tuple[list[int], list[int]]:
    organisations, projects = ranked
    return (
        _first_not_followed(organisations, FollowKind.ORGANISATION, followed, limit),
        _first_not_followed(projects, FollowKind.PROJECT, followed, limit),
    )


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


def suggestions_for(user, followed: set[tuple[str, str]], limit: int = 5) -> Suggestions:
    """Municipalities and projects on the targets of the user's organisations' work and the
    targets they follow, ranked as `SuggestionIndex` ranks them: the worker's rows when they
    are the answer (three queries), else two queries.

    Counted by the database: loading every project on those targets into memory, as a
    digest run does once for thousands of people, cost 160 ms a page at 10,000 projects.
    """
    own = readable_organisation_ids(user)
    if len(own) == 1:
        stored = _stored_suggestions(next(iter(own)), followed, limit)
        if stored is not None:
            return stored
    followed_targets = sorted(key for kind, key in followed if kind == FollowKind.TARGET.value)
    if not own and not followed_targets:
        return Suggestions()  # no targets to go by (and no query that reads every project)
    targets = project_target.c.target_id.in_(followed_targets)
    if own:
        own_targets = _published_project_targets(project_target.c.target_id).where(
            Project.owner_id.in_(own)
        )
        targets = sa.or_(project_target.c.target_id.in_(own_targets), targets)
    # The links to those targets first, through the index on target_id, then their projects:
    # left to plan the join, SQLite read every published project's links instead (on the
    # bench data, 45 -> 1 ms for a person who follows three targets). MATERIALIZED keeps
    # both databases from folding the CTE back into the join.
    links = db.select(project_target).where(targets).cte("links").prefix_with("MATERIALIZED")
    on_targets = (
        db.select()
        .select_from(links)
        .join(Project, Project.id == links.c.project_id)
        .where(Project.state == PUBLISHED, Project.owner_id.not_in(own))
    )
    per_owner = (  # per municipality: its links to those targets, as SuggestionIndex counts
        on_targets.with_only_columns(Project.owner_id.label("id"), sa.func.count().label("n"))
        .where(Project.owner_id.not_in(_followed_ids(followed, FollowKind.ORGANISATION)))
        .group_by(Project.owner_id)
        .subquery()
    )
    organisations = db.session.scalars(
        db.select(Organisation)
        .join(per_owner, per_owner.c.id == Organisation.id)
        .where(Organisation.kind == OrgKind.MUNICIPALITY.value)
        .options(joinedload(Organisation.county))
        .order_by(per_owner.c.n.desc(), Organisation.id)
        .limit(limit)
    )
    shared = (  # per project: how many of those targets it works on
        on_targets.with_only_columns(
            Project.id.label("id"), sa.func.count(sa.distinct(links.c.target_id)).label("n")
        )
        .where(Project.id.not_in(_followed_ids(followed, FollowKind.PROJECT)))
        .group_by(Project.id)
        .subquery()
    )
    projects = db.session.scalars(
        db.select(Project)
        .join(shared, shared.c.id == Project.id)
        .options(joinedload(Project.owner))
        .order_by(shared.c.n.desc(), Project.published_at.desc(), Project.id)
        .limit(limit)
    )
    return Suggestions(list(organisations), list(projects))


def _stored_suggestions(
    organisation_id: int, followed: set[tuple[str, str]], limit: int
) -> Suggestions | None:
    """The organisation's stored suggestions minus what is followed (three queries), or None
    when they would not be the live answer: not computed, a followed target outside the
    organisation's, or more followed than the stored rows can make up for."""
    work = db.session.get(OrganisationWork, organisation_id)
    if work is None:
        return None
    followed_targets = {key for kind, key in followed if kind == FollowKind.TARGET.value}
    skip_organisations = _followed_ids(followed, FollowKind.ORGANISATION)
    skip_projects = _followed_ids(followed, FollowKind.PROJECT)
    if not followed_targets <= set(work.target_ids.split()):
        return None
    if max(len(skip_organisations), len(skip_projects)) + limit > STORED:
        return None

    def rows(kind: str, model, *where) -> sa.Select:
        return (
            db.select(model)
            .join(OrganisationSuggestion, OrganisationSuggestion.item_id == model.id)
            .where(
                OrganisationSuggestion.organisation_id == organisation_id,
                OrganisationSuggestion.kind == kind,
                *where,
            )
            .order_by(OrganisationSuggestion.rank)
            .limit(limit)
        )

    organisations = db.session.scalars(
        rows(
            FollowKind.ORGANISATION.value, Organisation, Organisation.id.not_in(skip_organisations)
        ).options(joinedload(Organisation.county))
    )
    projects = db.session.scalars(
        rows(
            FollowKind.PROJECT.value,
            Project,
            Project.id.not_in(skip_projects),
            Project.state == PUBLISHED,
        ).options(joinedload(Project.owner))
    )
    return Suggestions(list(organisations), list(projects))


def _followed_ids(followed: set[tuple[str, str]], kind: FollowKind) -> list[int]:
    return sorted(int(key) for k, key in followed if k == kind.value and key.isdigit())
