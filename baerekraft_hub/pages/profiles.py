"""Pages that gather several domains around one thing: a goal, a target, an organisation.

They show projects and practices, which sit above sdg and organisations, so they
live here at the top rather than in those packages.
"""

from __future__ import annotations

from flask import abort, render_template

from baerekraft_hub.core.urls import id_url
from baerekraft_hub.follows.peers import organisation_with_peers
from baerekraft_hub.pages import bp
from baerekraft_hub.pages.figures import goal_coverage, kpis_of_goal
from baerekraft_hub.pages.linked import add_goals, involving_organisation, newest
from baerekraft_hub.practices import queries as practice_queries
from baerekraft_hub.practices.queries import PRACTICES, PracticeFilters
from baerekraft_hub.projects import queries as project_queries
from baerekraft_hub.projects.queries import PROJECTS, ProjectFilters
from baerekraft_hub.sdg import services as sdg_services

# Newest first; the filtered lists show all. 20 of each kind keeps the goal page near 30 KB
# and its rendering cheap (50 of each: 105 KB, 40 ms CPU at 10,000 projects).
LISTED = 20
LISTED_FOR_ORGANISATION = 100  # a municipality's own work: most have fewer


def _linked(key: str, projects, practices, limit: int | None = None) -> dict:
    """The newest of the given project and practice SELECTs as rows, with their goals (three
    statements); `key` names what they are linked to, for the remembered totals."""
    limit = limit or LISTED
    shown = {
        "projects": newest(PROJECTS, projects, "projects.show", limit, f"projects {key}"),
        "practices": newest(PRACTICES, practices, "practices.show", limit, f"practices {key}"),
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
        **_linked(
            f"goal {number}",
            project_queries.filtered(ProjectFilters(goal=number), None),
            practice_queries.filtered(PracticeFilters(goal=number), None),
        ),
    )


@bp.get("/barekraftsmal/delmal/<target_id>/")
def target(target_id: str):
    target, goal = sdg_services.get_target(target_id) or abort(404)
    return render_template(
        "sdg/target.html",
        target=target,
        goal=goal,
        **_linked(
            f"target {target.id}",
            project_queries.filtered(ProjectFilters(target=target.id), None),
            practice_queries.filtered(PracticeFilters(target=target.id), None),
        ),
    )


@bp.get("/organisasjoner/<slug>/")
def organisation(slug: str):
    organisation, peers = organisation_with_peers(slug)
    if organisation is None:
        abort(404)
    return render_template(
        "organisations/profile.html",
        organisation=organisation,
        peers=peers,
        **_linked(
            f"organisation {organisation.id}",
            involving_organisation(PROJECTS, organisation.id),
            involving_organisation(PRACTICES, organisation.id),
            limit=LISTED_FOR_ORGANISATION,
        ),
        coverage=goal_coverage(organisation),
        goals=sdg_services.all_goal_texts(),
        target_url=id_url("pages.target", "target_id"),
    )
