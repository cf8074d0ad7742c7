"""A comparison as a file: CSV that Norwegian Excel opens (as the project export) or JSON."""

from __future__ import annotations

import json

from flask import Response

from baerekraft_hub.kpis.comparison import Ranked
from baerekraft_hub.kpis.definitions import KpiDefinition
from baerekraft_hub.kpis.status import SCOPES, Status
from baerekraft_hub.transfer.export import csv_text

STATUS_COLUMNS = (
    "kpi",
    "name",
    "unit",
    "year",
    "value",
    "demo",
    "points",
    "trend",
    "county_median",
    "band_median",
    "network_median",
)
RANKING_COLUMNS = ("rank", "municipality", "population", "kpi", "year", "value", "points", "demo")


def excel_number(value: float | int | None) -> str:
    """A number as Norwegian Excel reads it: decimal comma, no thousands separator."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def _cell(value) -> str:
    if isinstance(value, bool):
        return "demo" if value else ""
    if isinstance(value, int | float):
        return excel_number(value)
    return "" if value is None else str(value)


def status_records(status: Status) -> list[dict]:
    """Each reported KPI of a status as plain data."""
    records = []
    for row in status.rows:
        if row.latest is None:
            continue
        peers = {scope: row.peers.get(scope) for scope in SCOPES}
        records.append(
            {
                "kpi": row.kpi.code,
                "name": str(row.kpi.name),
                "unit": row.kpi.unit or "",
                "year": row.latest.year,
                "value": row.latest.value,
                "demo": row.latest.demo,
                "points": row.points,
                "trend": row.trend.value,
                **{f"{s}_median": (m.median if m else None) for s, m in peers.items()},
            }
        )
    return records


def status_csv(status: Status) -> str:
    return csv_text(
        STATUS_COLUMNS,
        ([_cell(v) for v in record.values()] for record in status_records(status)),
    )


def ranking_records(kpi: KpiDefinition, year: int, ranked: list[Ranked]) -> list[dict]:
    return [
        {
            "rank": r.rank,
            "municipality": r.name,
            "population": r.population,
            "kpi": kpi.code,
            "year": year,
            "value": r.value,
            "points": r.points,
            "demo": r.demo,
        }
        for r in ranked
    ]


def ranking_csv(kpi: KpiDefinition, year: int, ranked: list[Ranked]) -> str:
    return csv_text(
        RANKING_COLUMNS,
        ([_cell(v) for v in record.values()] for record in ranking_records(kpi, year, ranked)),
    )


def download(text: str, filename: str, mimetype: str) -> Response:
    response = Response(text, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_download(data: dict, filename: str) -> Response:
    return download(json.dumps(data, ensure_ascii=False, indent=1), filename, "application/json")
