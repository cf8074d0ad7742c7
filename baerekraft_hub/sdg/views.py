"""Public SDG pages: overview, goal, target."""

from flask import abort, make_response, render_template

from baerekraft_hub.sdg import bp, services


@bp.get("/barekraftsmal/")
def overview():
    return render_template("sdg/overview.html", goals=services.all_goals())


@bp.get("/barekraftsmal/<int:number>/")
def goal(number: int):
    goal = services.get_goal(number) or abort(404)
    return render_template("sdg/goal.html", goal=goal, kpis=services.kpis_for_goal(number))


@bp.get("/barekraftsmal/delmal/<target_id>/")
def target(target_id: str):
    target = services.get_target(target_id) or abort(404)
    return render_template("sdg/target.html", target=target, goal=target.goal)


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
