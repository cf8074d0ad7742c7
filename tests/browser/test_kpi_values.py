"""KPI values by hand, in a browser: the list, the form with an error, then a decimal comma,
the change that keeps the earlier version; axe on each page."""

from __future__ import annotations

from baerekraft_hub.extensions import db as _db
from baerekraft_hub.kpis.models import KpiValue
from tests.factories import make_member

KPI = "EC: ICT: ICT: 1C"  # Household Internet Access, percent


def test_editor_enters_and_changes_a_value_by_keyboard(page, sign_in, assert_accessible, db):
    sign_in(page.context, make_member("1506", "editor"))
    page.goto("/organisasjoner/molde/indikatorverdier/")
    assert_accessible(page)
    page.get_by_role("link", name="Legg inn en verdi").click()
    page.get_by_label("Indikator (U4SSC-KPI)").select_option(KPI)
    page.get_by_label("År").fill("2024")
    page.get_by_label("Verdi", exact=False).first.fill("140")
    page.get_by_label("Kilde").fill("Egen undersøkelse")
    page.get_by_label("Kilde").press("Enter")
    page.locator("[data-error-summary]").wait_for()
    assert "En prosentandel er mellom 0 og 100" in page.content()
    assert page.get_by_label("Kilde").input_value() == "Egen undersøkelse"  # nothing lost
    assert_accessible(page)
    page.locator("#value").fill("87,5")
    page.locator("#value").press("Enter")
    page.get_by_text("Verdien er lagret.").wait_for()
    assert "87,5" in page.locator("table").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name=f"Endre {KPI} 2024").click()
    page.locator("#value").fill("88")
    page.locator("#value").press("Enter")
    page.get_by_text("den forrige versjonen er tatt vare på").wait_for()
    _db.session.expire_all()
    (value,) = _db.session.scalars(_db.select(KpiValue)).all()
    assert value.value == 88 and [v.value for v in value.versions] == [87.5]
    page.goto(f"/organisasjoner/molde/indikatorverdier/{value.id}/endre/")
    assert "Tidligere versjoner" in page.content()
    assert_accessible(page)
