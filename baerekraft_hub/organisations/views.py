"""Public organisation pages: the municipality list and each organisation's profile."""

from flask import abort, render_template, request

from baerekraft_hub.core import htmx
from baerekraft_hub.organisations import bp, services

MAX_QUERY = 100


@bp.get("/kommuner/")
def index():
    query = request.args.get("q", "")[:MAX_QUERY]
    groups = services.municipalities_by_county(query)
    return htmx.render(
        "organisations/index.html",
        "organisations/_results.html",
        groups=groups,
        query=query,
        partners=services.partners(),
        count=sum(len(g.municipalities) for g in groups),
    )


@bp.get("/organisasjoner/<slug>/")
def profile(slug: str):
    organisation = services.get_by_slug(slug) or abort(404)
    return render_template("organisations/profile.html", organisation=organisation)
