"""The KPI pages: an index of the 91 KPIs, one KPI across municipalities, its ranking as files."""

from __future__ import annotations

from flask import abort, render_template, request, url_for

from baerekraft_hub.core.i18n import current_language, rendering_in
from baerekraft_hub.kpis import bp, comparison, exports
from baerekraft_hub.kpis.charts import bar_chart, histogram, line_chart
from baerekraft_hub.kpis.definitions import KpiDefinition, all_kpis, find_kpi, grouped
from baerekraft_hub.kpis.formatting import number_formatter
from baerekraft_hub.kpis.rows import kpi_items, place_options, ranking_rows


@bp.get("/indikatorer/")
def index():
    latest = comparison.reporting_by_kpi()
    kpi_base = url_for("kpis.kpi", slug="-").removesuffix("-/")  # 91 links: one url_for
    with rendering_in(current_language()):  # one catalog lookup, not one per label
        return render_template(
            "kpis/index.html",
            dimensions=grouped({k.id: k for k in all_kpis()}),
            items=lambda kpis: kpi_items(kpis, latest, kpi_base),
        )


def _kpi(slug: str) -> KpiDefinition:
    return find_kpi(slug) or abort(404)


def _year(years: list[int]) -> int | None:
    """The year asked for (`ar`) when some municipality reported it, else the latest."""
    asked = request.args.get("ar", type=int)
    return asked if asked in years else (years[0] if years else None)


@bp.get("/indikatorer/<slug>/")
def kpi(slug: str):
    kpi = _kpi(slug)
    medians = comparison.network_medians(kpi)
    years = [m.year for m in reversed(medians)]  # newest first, as years_of
    year = _year(years)
    ranked = comparison.ranking(kpi, year) if year is not None else []
    chosen = [s for s in request.args.getlist("kommune") if s][: comparison.CHOSEN_AT_MOST]
    series = comparison.series_of(kpi, chosen)
    lines = [(name, values) for _, name, values, _ in series]
    lines.append((None, {m.year: m.median for m in medians}))  # the network's median
    values = [r.value for r in ranked]
    bins = histogram(values)
    everyone = request.args.get("alle") == "1"  # the whole ranking; else its ends and the chosen
    with rendering_in(current_language()):  # one catalog lookup, not one per label
        return render_template(
            "kpis/kpi.html",
            num=number_formatter(current_language()),
            # up to 357 rows link to status pages: one url_for, then the slugs
            status_url=url_for("kpis.status", slug="-slug-"),
            ranking_rows=ranking_rows,  # written in Python: up to 357 rows
            kpi=kpi,
            slug=slug,
            years=years,
            year=year,
            ranked=ranked,
            value_range=(min(values), max(values)) if values else None,
            shown=ranked if everyone else comparison.ranking_excerpt(ranked, chosen),
            edge=comparison.RANKING_EDGE,
            municipality_options=place_options({r.slug for r in ranked}, chosen),
            bins=bins,
            distribution=bar_chart(
                [(f"{b.low:.4g}–{b.high:.4g}", b.count, b.marked) for b in bins]
            ),
            chosen=chosen,
            series=series,
            medians=medians,
            trend_chart=line_chart(lines),
            projects=comparison.linked_projects(kpi),
            demo=any(r.demo for r in ranked) or any(s[3] for s in series),
        )


def _ranking(slug: str) -> tuple[KpiDefinition, int | None, list[comparison.Ranked]]:
    """The KPI, the year and its ranking; no year and no rows when nobody has reported it."""
    kpi = _kpi(slug)
    year = _year(comparison.years_of(kpi))
    return kpi, year, comparison.ranking(kpi, year) if year is not None else []


def _filename(slug: str, year: int | None, extension: str) -> str:
    return f"{slug}-{year}.{extension}" if year else f"{slug}.{extension}"


@bp.get("/indikatorer/<slug>/rangering.csv")
def ranking_csv(slug: str):
    kpi, year, ranked = _ranking(slug)
    return exports.download(
        exports.ranking_csv(kpi, year, ranked),
        _filename(slug, year, "csv"),
        "text/csv",
    )


@bp.get("/indikatorer/<slug>/rangering.json")
def ranking_json(slug: str):
    kpi, year, ranked = _ranking(slug)
    data = {
        "kpi": kpi.code,
        "name": str(kpi.name),
        "unit": kpi.unit,
        "direction": kpi.direction,
        "target_value": kpi.target_value,
        "year": year,
        "municipalities": exports.ranking_records(kpi, year, ranked),
    }
    return exports.json_download(data, _filename(slug, year, "json"))
