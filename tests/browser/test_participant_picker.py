"""The participant picker in the browser: search and choose by keyboard, or tick without JS."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_member, organisation

pytestmark = pytest.mark.browser


def fill_required(page):
    page.get_by_label("Tittel").first.fill("Felles kystsamarbeid")
    page.get_by_label("Sammendrag").fill("To kommuner deler erfaringer.")


def saved_participants(db, url):
    from baerekraft_hub.projects.models import Project

    db.session.expire_all()
    project = db.session.get(Project, int(re.search(r"/prosjekter/(\d+)/", url).group(1)))
    return sorted(o.name for o in project.participants)


def test_type_choose_and_remove_participants_by_keyboard(page, sign_in, db, assert_accessible):
    sign_in(page.context, make_member("1506", "editor"))
    page.goto("/prosjekter/ny/")
    fill_required(page)
    search = page.get_by_label("Finn organisasjoner")
    search.press_sequentially("herøy", delay=20)
    match = page.locator("#participant-matches").get_by_role("button", name="Herøy (Nordland)")
    match.focus()
    page.keyboard.press("Enter")
    assert match.get_attribute("aria-pressed") == "true"
    assert page.locator("[data-announce]").inner_text() == "Lagt til: Herøy (Nordland)"
    chosen = page.get_by_role("list", name="Valgt:")
    assert chosen.get_by_role("button", name="Fjern Herøy (Nordland)").is_visible()
    assert page.locator(f"#participant-{organisation('1818').id}").is_checked()
    assert_accessible(page)

    search.fill("")
    search.press_sequentially("ks", delay=20)
    page.locator("#participant-matches").get_by_role("button", name="KS", exact=True).click()
    chosen.get_by_role("button", name="Fjern Herøy (Nordland)").press("Enter")
    assert page.locator("[data-announce]").inner_text() == "Fjernet: Herøy (Nordland)"
    assert page.evaluate("document.activeElement.id") == "participant-query"
    assert chosen.get_by_role("button").all_inner_texts() == ["KS"]

    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r"/prosjekter/\d+/$"))
    assert saved_participants(db, page.url) == ["KS"]


def test_without_javascript_participants_are_ticked_in_their_county(browser, live_server, db):
    editor = make_member("1506", "editor")
    db.session.commit()
    context = browser.new_context(base_url=live_server, java_script_enabled=False, locale="nb-NO")
    try:
        page = context.new_page()
        page.goto("/logg-inn/")
        page.get_by_label("E-postadresse").fill(editor.email)
        page.get_by_label("Passord", exact=True).fill("riktig-hest-batteri-stift-2030")
        page.get_by_role("button", name="Logg inn").click()
        page.goto("/prosjekter/ny/")
        assert not page.get_by_label("Finn organisasjoner").is_visible()
        fill_required(page)
        page.locator("summary", has_text="Nordland").click()
        page.get_by_label("Herøy (Nordland)").check()
        page.get_by_role("button", name="Lagre").click()
        page.wait_for_url(re.compile(r"/prosjekter/\d+/$"))
        assert saved_participants(db, page.url) == ["Herøy"]
    finally:
        context.close()
