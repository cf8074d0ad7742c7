"""Public organisation pages: the municipality list and the participant picker's matches
(each organisation's profile: pages/profiles.py)."""

from flask import render_template, request

from baerekraft_hub.core import htmx
from baerekraft_hub.core.urls import id_url
from baerekraft_hub.organisations import bp, services

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
        org_url=id_url("pages.organisation", "slug"),
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
