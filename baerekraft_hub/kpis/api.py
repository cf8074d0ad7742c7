"""The JSON API of KPIs and their values: /api/v1/kpis and /api/v1/kpi-values.

Paginated like /api/v1/search (`page`, `per_page` up to 100, `total`); a bad filter is a 400
that names the parameter. Each answer is a count and a page: a fixed number of queries.
"""

from __future__ import annotations

from flask import jsonify, request
from sqlalchemy.orm import aliased, contains_eager

from baerekraft_hub.core.pagination import page_number, paginate
from baerekraft_hub.extensions import db
from baerekraft_hub.kpis import bp
from baerekraft_hub.kpis.models import KpiValue
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.sdg.models import Kpi

DEFAULT_PER_PAGE = 50


class BadParameter(Exception):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name, self.message = name, message


def _per_page() -> int:
    raw = request.args.get("per_page", "")
    return min(int(raw), 100) if raw.isdigit() and int(raw) > 0 else DEFAULT_PER_PAGE


def _page_of(query) -> tuple[object, dict]:
    pagination = paginate(query, page_number(request.args), _per_page())
    meta = {"total": pagination.total, "page": pagination.page, "per_page": pagination.per_page}
    return pagination, meta


def _bad(error: BadParameter):
    return jsonify(error="bad_parameter", parameter=error.name, message=error.message), 400


def kpi_json(kpi: Kpi) -> dict:
    return {
        "code": kpi.code,
        "name": {"en": kpi.name_en, "nb": kpi.name_nb, "nn": kpi.name_nn},
        "dimension": kpi.dimension,
        "sub_dimension": kpi.sub_dimension,
        "category": kpi.category,
        "core": kpi.core,
        "unit": kpi.unit,
        "unit_code": kpi.unit_code,
        "direction": kpi.direction,
        "target_value": kpi.target_value,
        "sdg_goals": [g.strip() for g in (kpi.sdg_goals or "").split(";") if g.strip()],
    }


@bp.get("/api/v1/kpis", strict_slashes=False)
def api_kpis():
    """JSON: {total, page, per_page, results: [KPI]}, by code."""
    pagination, meta = _page_of(db.select(Kpi).order_by(Kpi.code))
    return jsonify(**meta, results=[kpi_json(k) for k in pagination.items])


def _values_query():
    """The values the query string asks for: municipality, county, kpi, year (each may repeat)."""
    args = request.args
    county = aliased(Organisation)
    query = (
        db.select(KpiValue)
        .join(KpiValue.organisation)
        .join(KpiValue.kpi)
        .options(contains_eager(KpiValue.organisation), contains_eager(KpiValue.kpi))
        .order_by(Organisation.number, Kpi.code, KpiValue.year)
    )
    if municipalities := args.getlist("municipality"):
        query = query.where(
            Organisation.number.in_(municipalities) | Organisation.slug.in_(municipalities)
        )
    if counties := args.getlist("county"):
        query = query.join(county, Organisation.county_id == county.id).where(
            county.number.in_(counties)
        )
    if kpis := args.getlist("kpi"):
        query = query.where(Kpi.code.in_(kpis))
    if years := args.getlist("year"):
        if not all(y.isdigit() and len(y) == 4 for y in years):
            raise BadParameter("year", "a year is four digits: year=2024")
        query = query.where(KpiValue.year.in_([int(y) for y in years]))
    return query


def value_json(value: KpiValue) -> dict:
    organisation = value.organisation
    return {
        "organisation": {
            "number": organisation.number,
            "slug": organisation.slug,
            "name": organisation.name,
        },
        "kpi": value.kpi.code,
        "year": value.year,
        "value": value.value,
        "numerator": value.numerator,
        "denominator": value.denominator,
        "unit": value.kpi.unit_code or value.kpi.unit,
        "quality": value.quality,
        "source": value.source,
        "verified": value.verified,
        "comment": value.comment,
        "demo": value.demo,
        "entered_at": value.entered_at.isoformat(),
    }


@bp.get("/api/v1/kpi-values", strict_slashes=False)
def api_values():
    """JSON: {total, page, per_page, results: [value]}, filtered by municipality (number or
    slug), county (number), kpi (code) and year; each filter may be given more than once."""
    try:
        query = _values_query()
    except BadParameter as bad:
        return _bad(bad)
    pagination, meta = _page_of(query)
    return jsonify(**meta, results=[value_json(v) for v in pagination.items])
