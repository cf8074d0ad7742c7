"""Pages that gather several domains around one thing: a goal, a target, an organisation.

They show projects and practices, which sit above sdg and organisations, so they
live here at the top rather than in those packages.
"""

from flask import abort, render_template

from baerekraft_hub.content.queries import goals_with_counts
from baerekraft_hub.follows.peers import organisation_with_peers
from baerekraft_hub.kpis.comparison import kpis_of_goal
from baerekraft_hub.kpis.definitions import kpi_slug
from baerekraft_hub.pages import bp
from baerekraft_hub.practices import queries as practice_queries
from baerekraft_hub.practices.queries import PracticeFilters
from baerekraft_hub.projects import queries as project_queries
from baerekraft_hub.projects.queries import ProjectFilters
from baerekraft_hub.sdg import services as sdg_services

# Newest first; the filtered lists show all. 20 of each kind keeps the goal page near 30 KB
# and its rendering cheap (50 of each: 105 KB, 40 ms CPU at 10,000 projects).
LISTED = 20


@bp.get("/barekraftsmal/<int:number>/")
def goal(number: int):
    goal = sdg_services.get_goal(number) or abort(404)
    return render_template(
        "sdg/goal.html",
        goal=goal,
        kpis=kpis_of_goal(number),
        kpi_slug=kpi_slug,
        projects=project_queries.published(ProjectFilters(goal=number), limit=LISTED),
        practices=practice_queries.published(PracticeFilters(goal=number), limit=LISTED),
    )


@bp.get("/barekraftsmal/delmal/<target_id>/")
def target(target_id: str):
    target = sdg_services.get_target(target_id) or abort(404)
    return render_template(
        "sdg/target.html",
        target=target,
        goal=target.goal,
        projects=project_queries.published(ProjectFilters(target=target.id), limit=LISTED),
        practices=practice_queries.published(PracticeFilters(target=target.id), limit=LISTED),
    )


@bp.get("/organisasjoner/<slug>/")
def organisation(slug: str):
    organisation, peers = organisation_with_peers(slug)
    if organisation is None:
        abort(404)
    goals = goals_with_counts(
        project_queries.coverage_of(organisation), practice_queries.coverage_of(organisation)
    )
    return render_template(
        "organisations/profile.html",
        organisation=organisation,
        peers=peers,
        projects=project_queries.published_for_organisation(organisation),
        practices=practice_queries.published_for_organisation(organisation),
        coverage={goal.number: count for goal, count in goals if count},
        goals=[goal for goal, _count in goals],
    )
