"""KPI value fixtures: two KPIs with known units (the shipped data may not say yet)."""

from __future__ import annotations

import pytest

from baerekraft_hub.extensions import db as _db
from baerekraft_hub.sdg.models import Kpi

PERCENT_KPI = "EC: ICT: ICT: 1C"  # household Internet access, %
COUNT_KPI = "EC: ICT: ICT: 2C"  # made a count here, to test negative counts


@pytest.fixture()
def kpis(db):
    """The two KPIs with their units set for the test, restored after (reference rows)."""
    found = {
        k.code: k
        for k in db.session.scalars(db.select(Kpi).where(Kpi.code.in_([PERCENT_KPI, COUNT_KPI])))
    }
    saved = {code: (k.unit, k.unit_code) for code, k in found.items()}
    found[PERCENT_KPI].unit, found[PERCENT_KPI].unit_code = "Percentage", "percent"
    found[COUNT_KPI].unit, found[COUNT_KPI].unit_code = "Number", "count"
    db.session.commit()
    yield found[PERCENT_KPI], found[COUNT_KPI]
    _db.session.rollback()
    for code, (unit, unit_code) in saved.items():
        kpi = _db.session.scalars(_db.select(Kpi).where(Kpi.code == code)).one()
        kpi.unit, kpi.unit_code = unit, unit_code
    _db.session.commit()


def write(tmp_path, text: str, name: str = "values.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path
