"""Public SDG pages: overview, goal, target."""

from flask import abort, make_response, render_template, request

from baerekraft_hub.practices import queries as practice_queries
from baerekraft_hub.practices.queries import PracticeFilters
from baerekraft_hub.projects import queries as project_queries
from baerekraft_hub.projects.queries import ProjectFilters
from baerekraft_hub.sdg import bp, services

LISTED = 50  # newest first; the project list's filter shows all


@bp.get("/barekraftsmal/")
def overview():
    return render_template("sdg/overview.html", goals=services.all_goals())


@bp.get("/barekraftsmal/<int:number>/")
def goal(number: int):
    goal = services.get_goal(number) or abort(404)
    return render_template(
        "sdg/goal.html",
        goal=goal,
        kpis=services.kpis_for_goal(number),
        projects=project_queries.published(ProjectFilters(goal=number), limit=LISTED),
        practices=practice_queries.published(PracticeFilters(goal=number), limit=LISTED),
    )


@bp.get("/barekraftsmal/delmal/<target_id>/")
def target(target_id: str):
    target = services.get_target(target_id) or abort(404)
    return render_template(
        "sdg/target.html",
        target=target,
        goal=target.goal,
        projects=project_queries.published(ProjectFilters(target=target.id), limit=LISTED),
        practices=practice_queries.published(PracticeFilters(target=target.id), limit=LISTED),
    )


@bp.get("/sdg-farger.css")
def colours():
    """The official goal colours as CSS classes (no inline styles: the CSP forbids them)."""
    css = render_template(
        "sdg/colours.css",
        goals=[(g, services.text_colour_on(g.colour)) for g in services.all_goals()],
    )
    response = make_response(css)
    response.mimetype = "text/css"
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/barekraftsmal/delmal/")
def target_search():
    """The target picker's matches for what the user typed (an htmx fragment)."""
    query = request.args.get("q", "")[:100]
    return render_template(
        "sdg/_target_matches.html", targets=services.search_targets(query), query=query
    )
