"""Demo KPI values, so that status pages and charts have something to show (`flask seed demo`).

For the municipalities that own demo content, every KPI gets a value for each of the years in
`DEMO_YEARS`: made up, the same on every run (a seeded random generator), moving a little each
year towards or away from better (per the KPI's direction), so trends exist. Every such value
has `demo=True`, is labelled "demo" wherever it is shown, and goes with `flask seed demo --remove`.
"""

from __future__ import annotations

import random

from baerekraft_hub.core.progress import Advance, no_progress
from baerekraft_hub.extensions import db
from baerekraft_hub.kpis.models import KpiValue, Quality
from baerekraft_hub.kpis.references import is_percentage
from baerekraft_hub.kpis.services import all_kpis, store_values
from baerekraft_hub.kpis.table import ValueRow
from baerekraft_hub.organisations.models import Organisation, OrgKind
from baerekraft_hub.sdg.models import Kpi
from baerekraft_hub.transfer.demo import demo_rows

DEMO_YEARS = range(2019, 2025)
DEMO_SOURCE = "Demo (invented values)"


def demo_municipalities() -> list[Organisation]:
    """The municipalities that own demo content."""
    references = sorted({row["organisation"] for row in demo_rows()})
    found = db.session.scalars(
        db.select(Organisation).where(
            Organisation.number.in_(references) | Organisation.slug.in_(references),
            Organisation.kind == OrgKind.MUNICIPALITY.value,
        )
    )
    return sorted(found, key=lambda o: o.number or "")


def demo_values_loaded() -> bool:
    return (
        db.session.scalar(db.select(KpiValue.id).where(KpiValue.demo.is_(True)).limit(1))
        is not None
    )


def _series(kpi: Kpi, organisation: Organisation) -> list[float]:
    """One made-up value a year: a start, then a steady drift with some noise."""
    rng = random.Random(f"{kpi.code}|{organisation.number}")  # noqa: S311 - invented values
    percent = is_percentage(kpi)
    start = rng.uniform(20, 90) if percent else rng.uniform(1, 500)
    better = -1 if kpi.direction == "lower" else 1
    drift = better * rng.choice((1, 1, 1, -1)) * rng.uniform(0.005, 0.05)  # most improve
    values, value = [], start
    for _year in DEMO_YEARS:
        value = max(0.0, value * (1 + drift + rng.uniform(-0.01, 0.01)))
        if percent:
            value = min(value, 100.0)
        values.append(round(value, 1))
    return values


def load_demo_values(progress: Advance = no_progress) -> dict[str, int]:
    """Create or refresh the demo values (idempotent); counts per action."""
    municipalities = demo_municipalities()
    real = set(  # values someone entered over the demo's: never overwritten by it
        db.session.execute(
            db.select(KpiValue.organisation_id, KpiValue.kpi_id, KpiValue.year).where(
                KpiValue.demo.is_(False),
                KpiValue.organisation_id.in_([m.id for m in municipalities]),
            )
        ).tuples()
    )
    rows = [
        ValueRow(
            number=0,
            organisation=organisation,
            kpi=kpi,
            year=year,
            value=value,
            quality=Quality.LOW.value,
            source=DEMO_SOURCE,
        )
        for organisation in municipalities
        for kpi in all_kpis()
        for year, value in zip(DEMO_YEARS, _series(kpi, organisation), strict=True)
        if (organisation.id, kpi.id, year) not in real
    ]
    outcomes = store_values(rows, None, demo=True, progress=progress)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for outcome in outcomes:
        counts[outcome.action] += 1
    return counts
