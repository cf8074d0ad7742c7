"""The JSON API of KPIs and their values: /api/v1/kpis and /api/v1/kpi-values.

Paginated like /api/v1/search (`page`, `per_page` up to 100, `total`); a bad filter is a 400
that names the parameter. Each answer is a count and a page: a fixed number of queries.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request
from sqlalchemy.orm import aliased

from baerekraft_hub.core.pagecache import per_generation
from baerekraft_hub.core.pagination import page_number, paginate
from baerekraft_hub.extensions import db
from baerekraft_hub.kpis import bp
from baerekraft_hub.kpis.definitions import KpiDefinition, definitions
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


# A value's fields in the API, in the order of `value_json`.
VALUE_COLUMNS = (
    KpiValue.kpi_id,
    KpiValue.year,
    KpiValue.value,
    KpiValue.numerator,
    KpiValue.denominator,
    KpiValue.quality,
    KpiValue.source,
    KpiValue.verified,
    KpiValue.comment,
    KpiValue.demo,
    KpiValue.entered_at,
)


def _values_query() -> tuple[sa.Select, bool]:
    """The values the query string asks for: municipality, county, kpi, year (each may repeat),
    and whether any filter was given.

    Ordered by organisation id, KPI id and year: the order of kpi_value's unique index, so that
    a page of all 260,000 values is read from the index rather than sorted."""
    args = request.args
    query = (
        sa.select(Organisation.number, Organisation.slug, Organisation.name, *VALUE_COLUMNS)
        .join(Organisation, Organisation.id == KpiValue.organisation_id)
        .order_by(KpiValue.organisation_id, KpiValue.kpi_id, KpiValue.year)
    )
    filtered = False
    if municipalities := args.getlist("municipality"):
        query = query.where(
            Organisation.number.in_(municipalities) | Organisation.slug.in_(municipalities)
        )
        filtered = True
    if counties := args.getlist("county"):
        county = aliased(Organisation)
        query = query.join(county, Organisation.county_id == county.id).where(
            county.number.in_(counties)
        )
        filtered = True
    if codes := args.getlist("kpi"):
        by_code = definitions().by_code
        query = query.where(KpiValue.kpi_id.in_([by_code[c].id for c in codes if c in by_code]))
        filtered = True
    if years := args.getlist("year"):
        if not all(y.isdigit() and len(y) == 4 for y in years):
            raise BadParameter("year", "a year is four digits: year=2024")
        query = query.where(KpiValue.year.in_([int(y) for y in years]))
        filtered = True
    return query, filtered


@per_generation
def _count_of_all_values() -> int:
    """How many values there are (a count of 260,000 rows: once per content generation)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(KpiValue)) or 0


def value_json(row: sa.Row, kpis: dict[int, KpiDefinition]) -> dict:
    kpi = kpis[row.kpi_id]
    return {
        "organisation": {"number": row.number, "slug": row.slug, "name": row.name},
        "kpi": kpi.code,
        "year": row.year,
        "value": row.value,
        "numerator": row.numerator,
        "denominator": row.denominator,
        "unit": kpi.unit_code or kpi.unit,
        "quality": row.quality,
        "source": row.source,
        "verified": row.verified,
        "comment": row.comment,
        "demo": row.demo,
        "entered_at": row.entered_at.isoformat(),
    }


@bp.get("/api/v1/kpi-values", strict_slashes=False)
def api_values():
    """JSON: {total, page, per_page, results: [value]}, filtered by municipality (number or
    slug), county (number), kpi (code) and year; each filter may be given more than once."""
    try:
        query, filtered = _values_query()
    except BadParameter as bad:
        return _bad(bad)
    page, per_page = page_number(request.args), _per_page()
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    if filtered:
        total = db.session.scalar(
            sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
        )
    else:
        total = _count_of_all_values()
    kpis = definitions().by_id
    return jsonify(
        total=total,
        page=page,
        per_page=per_page,
        results=[value_json(row, kpis) for row in rows],
    )
