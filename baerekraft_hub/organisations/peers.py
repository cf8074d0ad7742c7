"""Municipalities working on the same SDG targets as a given organisation (its profile page)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation, OrgKind
from baerekraft_hub.practices.models import Practice, practice_target
from baerekraft_hub.projects.models import Project, project_participant, project_target

PEERS = 8


@dataclass(frozen=True)
class Peer:
    """A municipality and the targets it shares with the organisation."""

    organisation: Organisation
    shared_targets: list[str]


def _work_on_targets() -> sa.Subquery:
    """(organisation_id, target_id) for every published project (owner or participant) and
    published practice (owner)."""
    published = PublicationState.PUBLISHED.value
    owners = (
        db.select(Project.owner_id.label("org"), project_target.c.target_id.label("target"))
        .join(project_target, project_target.c.project_id == Project.id)
        .where(Project.state == published)
    )
    participants = (
        db.select(
            project_participant.c.organisation_id.label("org"),
            project_target.c.target_id.label("target"),
        )
        .join(Project, Project.id == project_participant.c.project_id)
        .join(project_target, project_target.c.project_id == Project.id)
        .where(Project.state == published)
    )
    practices = (
        db.select(Practice.owner_id.label("org"), practice_target.c.target_id.label("target"))
        .join(practice_target, practice_target.c.practice_id == Practice.id)
        .where(Practice.state == published)
    )
    return sa.union(owners, participants, practices).subquery()


def peers_on_shared_targets(organisation: Organisation, limit: int = PEERS) -> list[Peer]:
    """Other municipalities with published work on the organisation's targets, most shared
    first (two queries, whatever the numbers)."""
    work = _work_on_targets()
    mine = db.select(work.c.target).where(work.c.org == organisation.id)
    rows = db.session.execute(
        db.select(work.c.org, work.c.target)
        .where(work.c.target.in_(mine), work.c.org != organisation.id)
        .order_by(work.c.org, work.c.target)
    ).all()
    shared: dict[int, list[str]] = {}
    for org_id, target in rows:
        shared.setdefault(org_id, []).append(target)
    if not shared:
        return []
    municipalities = {
        org.id: org
        for org in db.session.scalars(
            db.select(Organisation).where(
                Organisation.id.in_(shared), Organisation.kind == OrgKind.MUNICIPALITY.value
            )
        )
    }
    ranked = sorted(
        (org_id for org_id in shared if org_id in municipalities),
        key=lambda org_id: (-len(shared[org_id]), municipalities[org_id].name),
    )
    return [Peer(municipalities[o], sorted(shared[o], key=_target_order)) for o in ranked[:limit]]


def _target_order(target_id: str) -> tuple[int, str]:
    goal, _, rest = target_id.partition(".")
    return (int(goal), rest.zfill(3))
