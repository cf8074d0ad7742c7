"""Pages that gather several domains around one thing: a goal, a target, an organisation.

They show projects and practices, which sit above sdg and organisations, so they
live here at the top rather than in those packages.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template

from baerekraft_hub.core.urls import id_url
from baerekraft_hub.follows.models import OrganisationPeer
from baerekraft_hub.follows.peers import organisation_with_peers
from baerekraft_hub.pages import bp
from baerekraft_hub.pages.figures import goal_coverage, kpis_of_goal
from baerekraft_hub.pages.linked import add_goals, newest
from baerekraft_hub.practices.queries import PRACTICES
from baerekraft_hub.projects.queries import PROJECTS
from baerekraft_hub.sdg import services as sdg_services

# Newest first; the filtered lists show all. 20 of each kind keeps the goal page near 30 KB
# and its rendering cheap (50 of each: 105 KB, 40 ms CPU at 10,000 projects).
LISTED = 20
LISTED_FOR_ORGANISATION = 100  # a municipality's own work: most have fewer


@dataclass(frozen=True, slots=True)
class PeerLinks:
    """A peer municipality as its profile lists it: its link, and each shared target's."""

    url: str
    name: str
    targets: list[tuple[str, str, str]]  # (separator before it, target id, its page)


def peer_links(peers: list[OrganisationPeer]) -> list[PeerLinks]:
    """The peers with their links built here, one url_for per kind, and the separators too
    (a loop without `loop` is a plain loop): Molde on the bench data lists 356 shared targets,
    and a template call per link cost more than the rest of the section."""
    if not peers:
        return []
    organisation_url, target_url = (
        id_url("pages.organisation", "slug"),
        id_url("pages.target", "target_id"),
    )
    return [
        PeerLinks(
            organisation_url(peer.peer.slug),
            peer.peer.name,
            [
                (", " if n else "", target, target_url(target))
                for n, target in enumerate(peer.shared_target_ids)
            ],
        )
        for peer in peers
    ]


def _linked(linked_to: str, value: int | str, limit: int | None = None) -> dict:
    """The newest published projects and practices linked to the goal, target or
    organisation, as rows with their goals (three statements)."""
    limit = limit or LISTED
    shown = {
        "projects": newest(PROJECTS, linked_to, value, "projects.show", limit),
        "practices": newest(PRACTICES, linked_to, value, "practices.show", limit),
    }
    add_goals((PROJECTS, shown["projects"]), (PRACTICES, shown["practices"]))
    return shown


@bp.get("/barekraftsmal/<int:number>/")
def goal(number: int):
    goal = sdg_services.get_goal(number) or abort(404)
    return render_template(
        "sdg/goal.html",
        goal=goal,
        kpis=kpis_of_goal(number),
        **_linked("goal", number),
    )


@bp.get("/barekraftsmal/delmal/<target_id>/")
def target(target_id: str):
    target, goal = sdg_services.get_target(target_id) or abort(404)
    return render_template(
        "sdg/target.html",
        target=target,
        goal=goal,
        **_linked("target", target.id),
    )


@bp.get("/organisasjoner/<slug>/")
def organisation(slug: str):
    organisation, peers = organisation_with_peers(slug)
    if organisation is None:
        abort(404)
    return render_template(
        "organisations/profile.html",
        organisation=organisation,
        peers=peer_links(peers),
        **_linked("organisation", organisation.id, LISTED_FOR_ORGANISATION),
        coverage=goal_coverage(organisation),
        goals=sdg_services.all_goal_texts(),
    )
