"""Public SDG pages: the overview, the goal colours, the target picker (goal and target
pages: pages/profiles.py)."""

from flask import make_response, render_template, request

from baerekraft_hub.sdg import bp, services


@bp.get("/barekraftsmal/")
def overview():
    return render_template("sdg/overview.html", goals=services.all_goals())


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
