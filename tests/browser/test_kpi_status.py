"""Issue 15's browser test: Molde's editor uploads 20 values, previews, saves, and the status
page shows points, trends and peer medians as computed here by hand, with charts whose tables
match the values. The new pages pass axe."""

from __future__ import annotations

import re

import pytest

from baerekraft_hub.extensions import db as _db
from baerekraft_hub.kpis.definitions import kpi_slug
from baerekraft_hub.kpis.models import KpiValue
from baerekraft_hub.sdg.models import Kpi
from tests.factories import make_member, organisation

pytestmark = pytest.mark.browser

A, B, C = "EC: ICT: ICT: 1C", "EN: EN: AQ: 1C", "SC: EH: ED: 1C"
# Fourteen more KPIs reported once, without a target: reported, no points, not enough data.
OTHERS = [
    "EC: ICT: ICT: 2C", "EC: ICT: ICT: 3C", "EC: ICT: ICT: 4C", "EC: ICT: WS: 1C",
    "EC: ICT: ES: 1C", "EC: P: IN: 1C", "EC: P: EM: 1C", "EC: I: WS: 1C",
    "EN: EN: WS: 1C", "EN: EN: WA: 1C", "EN: E: E: 1C", "SC: EH: H: 1C",
    "SC: SH: HO: 1C", "SC: SH: SI: 1C",
]  # fmt: skip
VALUES = [
    (A, 2020, "40"),
    (A, 2022, "44"),  # 44/80 = 55 %: 2 points. 4.88 %/year against 7.18 % needed: ratio 0.68
    (B, 2021, "12"),
    (B, 2023, "10"),  # 5/10 = 50 %: 2 points. -8.71 %/year against -9.27 % needed: ratio 0.94
    (C, 2020, "50"),
    (C, 2022, "52"),  # no target: no points; 1.98 %/year, over 1.5 %: on track
] + [(code, 2022, f"{10 + i},5") for i, code in enumerate(OTHERS)]  # decimal commas


@pytest.fixture()
def definitions(db):
    """Directions and targets as this test computes with; the reference rows restored after."""
    codes = [A, B, C, *OTHERS]
    kpis = {k.code: k for k in db.session.scalars(db.select(Kpi).where(Kpi.code.in_(codes)))}
    saved = {c: (k.direction, k.target_value, k.unit_code) for c, k in kpis.items()}
    for kpi in kpis.values():
        kpi.direction, kpi.target_value, kpi.unit_code = "higher", None, None
    kpis[A].target_value = 80.0
    kpis[B].direction, kpis[B].target_value = "lower", 5.0
    db.session.commit()
    yield kpis
    _db.session.rollback()
    for code, (direction, target, unit_code) in saved.items():
        kpi = _db.session.scalars(_db.select(Kpi).where(Kpi.code == code)).one()
        kpi.direction, kpi.target_value, kpi.unit_code = direction, target, unit_code
    _db.session.commit()


def cells(page, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def test_editor_uploads_values_and_sees_the_status(
    page, sign_in, assert_accessible, definitions, db
):
    # Peers: Kristiansund (same county, same band), Volda (same county), Bergen (elsewhere).
    for number, value in (("1505", 60), ("1577", 70), ("4601", 20)):
        db.session.add(
            KpiValue(organisation=organisation(number), kpi=definitions[A], year=2022, value=value)
        )
    editor = make_member("1506", "editor")
    sign_in(page.context, editor)

    csv = "organisation;kpi;year;value\n" + "".join(
        f"1506;{code};{year};{value}\n" for code, year, value in VALUES
    )
    assert len(VALUES) == 20
    page.goto("/organisasjoner/molde/indikatorverdier/last-opp/")
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "molde.csv", "mimeType": "text/csv", "buffer": csv.encode("utf-8")}]
    )
    page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click()
    preview = page.locator("#preview-title")
    preview.wait_for()
    assert page.locator("#preview-title ~ .table-scroll tbody tr").count() == 20
    assert page.locator("#preview-title ~ ul li").count() == 0  # no problems
    assert_accessible(page)
    page.locator('form[action$="/last-opp/lagre/"] button[type="submit"]').click()
    page.wait_for_load_state()

    page.goto("/organisasjoner/molde/status/")
    assert_accessible(page)
    page.goto("/organisasjoner/molde/status/?kategori=alle")  # every KPI's row
    assert_accessible(page)
    assert re.search(r"\b20\b.*\b91\b", page.locator("#kpis-reported").inner_text()) is None
    assert re.search(r"\b17\b.*\b91\b", page.locator("#kpis-reported").inner_text())
    assert re.search(r"\b4\b.*\b8\b.*50", page.locator("#points-total").inner_text())

    a = page.locator(f'tr[data-kpi="{A}"]')
    assert a.locator("td.value").inner_text().startswith("44")
    assert a.locator("td").nth(1).inner_text() == "2022"
    assert a.locator("td.points").get_attribute("data-points") == "2"
    assert a.locator("td.trend").get_attribute("data-trend") == "needs_acceleration"
    assert a.locator("td.median-county").inner_text().startswith("60 ")  # 44, 60, 70
    assert a.locator("td.median-band").inner_text().startswith("52 ")  # 44, 60
    assert a.locator("td.median-network").inner_text().startswith("52 ")  # 20, 44, 60, 70
    b = page.locator(f'tr[data-kpi="{B}"]')
    assert b.locator("td.value").inner_text().startswith("10")
    assert b.locator("td.points").get_attribute("data-points") == "2"
    assert b.locator("td.trend").get_attribute("data-trend") == "needs_acceleration"
    c = page.locator(f'tr[data-kpi="{C}"]')
    assert c.locator("td.points").get_attribute("data-points") == ""
    assert c.locator("td.trend").get_attribute("data-trend") == "on_track"
    other = page.locator(f'tr[data-kpi="{OTHERS[0]}"]')
    assert other.locator("td.value").inner_text().startswith("10,5")
    assert other.locator("td.trend").get_attribute("data-trend") == "not_enough_data"

    # Each dimension's chart: its bars say what its table says, and the tables add up.
    earned = possible = 0
    for figure in page.locator("figure.chart-figure").all():
        rows = [r.locator("td").all_inner_texts() for r in figure.locator("tbody tr").all()]
        shares = [r[2].replace("\u00a0", " ") for r in rows]
        bars = figure.locator("svg text.chart-value").all_text_contents()
        assert [s.replace(" %", "") if s != "–" else "0" for s in shares] == [
            b.replace("\u00a0", " ").replace(" %", "") for b in bars
        ]
        earned += sum(int(r[0]) for r in rows)
        possible += sum(int(r[1]) for r in rows)
    assert (earned, possible) == (4, 8)

    page.goto(f"/indikatorer/{kpi_slug(A)}/?kommune=molde&kommune=bergen")
    assert_accessible(page)
    ranked = cells(page, ".ranking-table tbody th")
    assert ranked == ["Volda", "Kristiansund", "Molde", "Bergen"]
    trend_rows = page.locator("#trend-title ~ figure tbody tr")
    assert [r.locator("th").inner_text() for r in trend_rows.all()] == ["2020", "2022"]
    assert trend_rows.nth(0).locator("td").all_inner_texts()[:2] == ["40", "–"]
    assert trend_rows.nth(1).locator("td").all_inner_texts()[:2] == ["44", "20"]

    page.goto("/indikatorer/")
    assert_accessible(page)
    page.goto("/barekraftsmal/17/")
    assert_accessible(page)
