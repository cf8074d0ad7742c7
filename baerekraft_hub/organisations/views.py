"""Public organisation pages: the municipality list and each organisation's profile."""

from flask import abort, render_template, request

from baerekraft_hub.core import htmx
from baerekraft_hub.organisations import bp, services
from baerekraft_hub.practices import queries as practice_queries
from baerekraft_hub.projects import queries as project_queries
from baerekraft_hub.sdg.services import all_goals

MAX_QUERY = 100


@bp.get("/kommuner/")
def index():
    query = request.args.get("q", "")[:MAX_QUERY]
    counties = services.counties()
    county = request.args.get("county", "")
    if county not in {c.number for c in counties}:
        county = ""  # an unknown county is no filter, as the list shows
    members_only = request.args.get("network") == "1"
    groups = services.municipalities_by_county(query, county or None, members_only)
    return htmx.render(
        "organisations/index.html",
        "organisations/_results.html",
        groups=groups,
        query=query,
        counties=counties,
        county=county,
        members_only=members_only,
        partners=services.partners(),
        count=sum(len(g.municipalities) for g in groups),
    )


@bp.get("/kommuner/finn/")
def find():
    """The participant picker's matches for what the user typed (an htmx fragment)."""
    query = request.args.get("q", "")[:MAX_QUERY]
    return render_template(
        "organisations/_matches.html",
        organisations=services.find_organisations(query),
        label=services.organisation_label,
        query=query,
    )


@bp.get("/organisasjoner/<slug>/")
def profile(slug: str):
    organisation = services.get_by_slug(slug) or abort(404)
    coverage = project_queries.goal_coverage(organisation)
    for goal, count in practice_queries.goal_coverage(organisation).items():
        coverage[goal] = coverage.get(goal, 0) + count
    return render_template(
        "organisations/profile.html",
        organisation=organisation,
        projects=project_queries.published_for_organisation(organisation),
        practices=practice_queries.published_for_organisation(organisation),
        coverage=coverage,
        goals=all_goals(),
    )
