"""Peers: the municipalities with published work on the most of a municipality's SDG targets.

Asked live, this joins every organisation's targets with every other's: at 10,000 projects a
municipality works on most targets, so even restricted to its own targets the query reads
most of the link tables (170-450 ms a profile view on SQLite). The answer depends on the
network as a whole, not on one page, so the worker computes it for every municipality at once
(one read of the (organisation, target) pairs, set intersections in memory: bounded by the
number of municipalities, not of projects) when published work has changed, and at least
hourly. A profile page reads its municipality's rows with the municipality itself: no query
of their own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session, aliased, joinedload

from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.worker import WhenChanged, register_task
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.models import OrganisationPeer
from baerekraft_hub.organisations.models import Organisation, OrgKind
from baerekraft_hub.practices.models import Practice, practice_target
from baerekraft_hub.projects.models import Project, project_participant, project_target
from baerekraft_hub.sdg.models import Target

PEERS = 8
EVERY_SECONDS = 60  # how often the worker looks for changed work
AT_LEAST_EVERY = 3600.0  # seconds: computed again even when nothing seemed to change
PUBLISHED = PublicationState.PUBLISHED.value


class Peer(NamedTuple):
    """A peer as a profile lists it: plain values, no entity to load."""

    slug: str
    name: str
    shared_targets: str  # "11.5 13.1", in target order


_PEER = aliased(Organisation, name="peer")


@functools.cache
def _with_peers() -> sa.Select:
    """The organisation by its slug (a bound `slug`) with its county, and its peers' columns:
    built once, so neither the statement nor its cache key is made per request."""
    return (
        db.select(Organisation, _PEER.slug, _PEER.name, OrganisationPeer.shared_targets)
        .outerjoin(
            OrganisationPeer,
            sa.and_(
                OrganisationPeer.organisation_id == Organisation.id,
                Organisation.kind == OrgKind.MUNICIPALITY.value,
            ),
        )
        .outerjoin(_PEER, _PEER.id == OrganisationPeer.peer_id)
        .where(Organisation.slug == sa.bindparam("slug"))
        .order_by(OrganisationPeer.rank)
        .options(joinedload(Organisation.county))
    )


def organisation_with_peers(slug: str) -> tuple[Organisation | None, list[Peer]]:
    """The organisation by its URL slug, with its county and, a municipality, its peers as
    last computed, most shared targets first: one query (at most PEERS rows), so that the
    profile page stays at ten statements signed in. The peers are rows, not entities:
    loading eight peer organisations cost more than the rest of the query."""
    rows = db.session.execute(_with_peers(), {"slug": slug}).all()
    if not rows:
        return None, []
    return rows[0][0], [Peer(*row[1:]) for row in rows if row[1] is not None]


def _work_on_targets() -> sa.Select:
    """(organisation_id, target_id) for every published project (owner or participant) and
    published practice (owner), once each."""
    target = project_target.c.target_id.label("target")
    projects = (
        db.select(project_target)
        .join(Project, Project.id == project_target.c.project_id)
        .where(Project.state == PUBLISHED)
    )
    owners = projects.with_only_columns(Project.owner_id.label("org"), target)
    participants = projects.join(
        project_participant, project_participant.c.project_id == Project.id
    ).with_only_columns(project_participant.c.organisation_id.label("org"), target)
    practices = (
        db.select(Practice.owner_id.label("org"), practice_target.c.target_id.label("target"))
        .join(practice_target, practice_target.c.practice_id == Practice.id)
        .where(Practice.state == PUBLISHED)
    )
    return sa.union(owners, participants, practices)


def _target_order(target_id: str) -> tuple[int, str]:
    goal, _, rest = target_id.partition(".")
    return (int(goal), rest.zfill(3))


def compute_peers(session: Session, limit: int = PEERS) -> dict[int, list[tuple[int, list[str]]]]:
    """For every municipality with published work: its peers, best first, with the shared
    targets (other municipalities on the most of its targets; ties by name)."""
    municipalities = dict(
        session.execute(
            db.select(Organisation.id, Organisation.name).where(
                Organisation.kind == OrgKind.MUNICIPALITY.value
            )
        ).all()
    )
    targets: dict[int, set[str]] = {}
    for org_id, target in session.execute(_work_on_targets()):
        if org_id in municipalities:
            targets.setdefault(org_id, set()).add(target)
    found = {}
    for org_id, mine in targets.items():
        shared = {
            other: mine & theirs
            for other, theirs in targets.items()
            if other != org_id and not mine.isdisjoint(theirs)
        }
        best = sorted(shared, key=lambda o: (-len(shared[o]), municipalities[o], o))[:limit]
        found[org_id] = [(o, sorted(shared[o], key=_target_order)) for o in best]
    return found


def refresh_peers(session: Session) -> int:
    """Compute every municipality's peers and replace the stored ones; returns how many rows."""
    found = compute_peers(session)
    now = utcnow()
    rows = [
        {
            "organisation_id": org_id,
            "rank": rank,
            "peer_id": peer_id,
            "shared_targets": " ".join(shared),
            "computed_at": now,
        }
        for org_id, peers in found.items()
        for rank, (peer_id, shared) in enumerate(peers)
    ]
    session.execute(sa.delete(OrganisationPeer))
    if rows:
        session.execute(sa.insert(OrganisationPeer), rows)
    session.commit()
    return len(rows)


def published_work_fingerprint(session: Session) -> tuple:
    """Changes when published work or its links change: counts, the latest edit, and a sum
    over the links' (item, target) pairs (an edit that only replaces targets changes no
    column of the item, so neither its updated_at nor its version)."""
    parts = []
    for model in (Project, Practice):
        parts += session.execute(
            db.select(sa.func.count(), sa.func.max(model.updated_at)).where(
                model.state == PUBLISHED
            )
        ).one()
    for table, item in ((project_target, "project_id"), (practice_target, "practice_id")):
        pair = table.c[item] * 10_000 + Target.goal_number * 100 + Target.position
        parts += session.execute(
            db.select(sa.func.count(), sa.func.sum(pair))
            .select_from(table)
            .join(Target, Target.id == table.c.target_id)
        ).one()
    parts.append(session.scalar(db.select(sa.func.count()).select_from(project_participant)))
    return tuple(parts)


def register_refresh(name: str, refresh: Callable[[Session], int], what: str) -> None:
    """A worker task that runs `refresh` (returns how many rows it stored) when published
    work has changed since its last run in this worker process, and at least hourly."""
    task = WhenChanged(
        published_work_fingerprint,
        lambda session: f"computed {refresh(session)} {what}",
        AT_LEAST_EVERY,
    )
    register_task(name, task, every_seconds=EVERY_SECONDS)


def init_app(app: Flask) -> None:
    """The worker keeps the peers computed."""
    register_refresh("organisation-peers", refresh_peers, "peers")
