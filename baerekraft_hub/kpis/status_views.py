"""A municipality's "Bærekraftsstatus" page, and the same comparison as CSV and JSON."""

from __future__ import annotations

from flask import abort, render_template, request

from baerekraft_hub.core.i18n import current_language, rendering_in
from baerekraft_hub.kpis import bp, exports
from baerekraft_hub.kpis.charts import bar_chart
from baerekraft_hub.kpis.formatting import number_formatter
from baerekraft_hub.kpis.rows import RowWriter
from baerekraft_hub.kpis.status import SCOPES, Status, group_score, status_of
from baerekraft_hub.organisations import services as organisation_services


def _load(slug: str, details: bool = True) -> Status:
    organisation = organisation_services.get_by_slug(slug) or abort(404)
    if organisation.is_partner:
        abort(404)  # partners report no KPIs
    return status_of(organisation, details)


ALL = "alle"


def _categories_shown(status: Status) -> tuple[set[str], str | None]:
    """The categories whose KPI tables the page shows (`kategori`: one category's slug, or
    `alle`), and the slug asked for; by default none: the page summarises each category and
    links to its table (91 rows of values, medians and projects are most of a page's cost)."""
    asked = request.args.get("kategori", "")
    categories = [c for d in status.dimensions for c in d.children]
    if asked == ALL:
        return {c.code for c in categories}, ALL
    return {c.code for c in categories if c.slug == asked}, asked or None


@bp.get("/organisasjoner/<slug>/status/")
def status(slug: str):
    status = _load(slug, details=bool(request.args.get("kategori")))  # the summary: points only
    shown, asked = _categories_shown(status)
    scores = {c.code: group_score(c.rows) for d in status.dimensions for c in d.children}
    for dimension in status.dimensions:
        every = [row for category in dimension.children for row in category.rows]
        scores[dimension.code] = group_score(every)
    charts = {
        dimension.code: bar_chart(
            [
                (str(category.name), scores[category.code].percent or 0, False)
                for category in dimension.children
            ]
        )
        for dimension in status.dimensions
    }
    with rendering_in(current_language()):  # one catalog lookup, not one per label
        return render_template(
            "kpis/status.html",
            status=status,
            organisation=status.organisation,
            charts=charts,
            scopes=SCOPES,
            scores=scores,  # points of each dimension and category
            num=number_formatter(current_language()),
            row_writer=RowWriter,  # the KPI rows, written in Python
            shown=shown,
            asked=asked,
            every=ALL,
        )


@bp.get("/organisasjoner/<slug>/status/status.csv")
def status_csv(slug: str):
    status = _load(slug)
    return exports.download(
        exports.status_csv(status), f"status-{status.organisation.slug}.csv", "text/csv"
    )


@bp.get("/organisasjoner/<slug>/status/status.json")
def status_json(slug: str):
    status = _load(slug)
    organisation = status.organisation
    data = {
        "organisation": {
            "name": organisation.name,
            "number": organisation.number,
            "population": organisation.population,
            "county": organisation.county.name if organisation.county else None,
        },
        "points_earned": status.score.earned,
        "points_possible": status.score.possible,
        "reported": status.score.reported,
        "not_reported": status.score.not_reported,
        "kpis": exports.status_records(status),
    }
    return exports.json_download(data, f"status-{organisation.slug}.json")
