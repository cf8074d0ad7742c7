"""The search page (/sok), its live header results, the JSON API (/api/v1/search), and what
search lends other pages' templates (snippets, similar projects)."""

from __future__ import annotations

from flask import jsonify, render_template, request
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from baerekraft_hub.core import htmx
from baerekraft_hub.search import bp
from baerekraft_hub.search.params import BadParameter, SearchParams, read_params
from baerekraft_hub.search.services import counties, goal_names, run_search
from baerekraft_hub.search.similar import similar_projects

LIVE_RESULTS = 5


@bp.route("/sok", strict_slashes=False)
def page():
    """Search page: a plain GET form, enhanced by htmx to update as you type."""
    try:
        params, error = read_params(request.args, counties=counties()), None
    except BadParameter as bad:
        params, error = SearchParams(q=request.args.get("q", "")[:200]), bad
    outcome = run_search(params)
    html = htmx.render(
        "search/page.html",
        "search/_results.html",
        params=params,
        outcome=outcome,
        error=error,
        goals=goal_names(),
    )
    return html, 400 if error else 200


@bp.get("/sok/live")
def live():
    """The header box's live results: the first few hits and a link to all of them."""
    try:
        params = read_params(MultiDict({"q": request.args.get("q", "")}), per_page=LIVE_RESULTS)
    except BadParameter:
        params = SearchParams(per_page=LIVE_RESULTS)
    outcome = run_search(params) if params.q.strip() else None
    return render_template("search/_live.html", params=params, outcome=outcome)


@bp.get("/api/v1/search", strict_slashes=False)
def api():
    """JSON: {total, results: [{kind, id, title, url, snippet, organisation, score}], facets,
    suggestion}, with the page's filters as query parameters; 400 with a message if bad."""
    try:
        params = read_params(request.args, counties=counties())
    except BadParameter as bad:
        return jsonify(error="bad_parameter", parameter=bad.name, message=bad.message), 400
    outcome = run_search(params)
    results = outcome.results
    return jsonify(
        total=results.total,
        results=[
            {
                "kind": hit.kind,
                "id": hit.id,
                "title": hit.title,
                "url": hit.url,
                "snippet": hit.snippet,
                "organisation": hit.organisation,
                "score": hit.score,
            }
            for hit in results.hits
        ],
        facets={
            facet: {str(k): v for k, v in counts.items()}
            for facet, counts in results.facets.items()
        },
        suggestion=results.suggestion,
        fuzzy=results.fuzzy,
        partial=results.partial,
        page=results.page,
        per_page=results.per_page,
        index_available=not outcome.fallback,
    )


@bp.app_template_filter("snippet")
def snippet_html(snippet: str) -> Markup:
    """A result snippet as HTML: snippets.py escapes every character of document text and
    adds only <mark> tags, and the database fallback escapes the summary."""
    return Markup(snippet)  # noqa: S704 - escaped by construction, see above


@bp.app_template_global("similar_projects")
def similar_projects_of(project) -> list:
    """Published projects like a published one, for its page (projects/show.html): a global
    here because projects sit below search and may not ask it themselves."""
    return similar_projects(project.id) if project.is_published else []
