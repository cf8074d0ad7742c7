"""Pages that gather several domains around one thing: a goal, a target, an organisation.

They show projects and practices, which sit above sdg and organisations, so they
live here at the top rather than in those packages.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, render_template, request
from markupsafe import Markup

from baerekraft_hub.core.i18n import current_language
from baerekraft_hub.core.pagecache import per_generation
from baerekraft_hub.core.urls import id_url
from baerekraft_hub.follows.peers import Peer, organisation_with_peers
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
    """A peer municipality as its profile lists it: its link, how many targets it shares, and
    their links ("<a ...>11.5</a>, <a ...>13.1</a>")."""

    url: str
    name: str
    count: int
    targets: Markup


_TARGET_LINK, _SEPARATOR = Markup('<a class="ds-link" href="{}">{}</a>'), Markup(", ")


@per_generation
def _target_links() -> dict[tuple[str, str], Markup]:
    """Shared targets' links by (target page URL prefix, the targets as stored: "11.5 13.1"),
    made the first time a profile shows them: only the stored string decides them."""
    return {}


def peer_links(peers: list[Peer]) -> list[PeerLinks]:
    """The peers with their links built here, one url_for per kind. Molde on the bench data
    lists 356 shared targets: a template output per link (an escape each for the separator,
    the URL and the id) cost more than the rest of the section, so a peer's target links are
    made once (per content generation) and are then a lookup."""
    if not peers:
        return []
    organisation_url, target_url = (
        id_url("pages.organisation", "slug"),
        id_url("pages.target", "target_id"),
    )
    prefix = target_url("")
    made = _target_links()

    def links(targets: str) -> Markup:
        key = (prefix, targets)
        if key not in made:
            made[key] = _SEPARATOR.join(
                _TARGET_LINK.format(target_url(target), target) for target in targets.split()
            )
        return made[key]

    return [
        PeerLinks(
            organisation_url(peer.slug),
            peer.name,
            peer.shared_targets.count(" ") + 1,
            links(peer.shared_targets),
        )
        for peer in peers
    ]


@per_generation
def _goal_tiles() -> dict[tuple, Markup]:
    """Goal tiles with a count, by (script root, language, goal, count)."""
    return {}


def goal_tiles(coverage: dict[int, int]) -> list[Markup]:
    """The 17 goal tiles with the organisation's counts, each from the shared `goal_tile`
    macro the first time it is asked for in a language with that count: a macro call per
    tile (a url_for, two translations, six escapes) cost more than a tenth of the page."""
    macro = current_app.jinja_env.get_template("macros/sdg.html").module.goal_tile
    start, made = (request.script_root, current_language()), _goal_tiles()
    tiles = []
    for goal in sdg_services.all_goal_texts():
        key = (*start, goal.number, coverage.get(goal.number, 0))
        if key not in made:
            made[key] = macro(goal, key[-1])
        tiles.append(made[key])
    return tiles


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
        goal_tiles=goal_tiles(goal_coverage(organisation)),
    )
