import re

import pytest

from tests.factories import make_member, make_project

pytestmark = pytest.mark.browser


def test_editor_publishes_a_project_that_shows_up_everywhere(page, sign_in, assert_accessible, db):
    editor = make_member("1506", "editor")
    bergen_editor = make_member("4601", "editor")
    sign_in(page.context, editor)

    page.goto("/prosjekter/ny/")
    assert_accessible(page)
    page.get_by_label("Tittel").first.fill("Regnbed i Molde sentrum")
    page.get_by_label("Sammendrag").fill("Regnbed og åpne vannveier tar unna styrtregn.")
    page.get_by_label("Beskrivelse").fill("Vi **starter** i Storgata.")

    # The target picker: type, then choose among the matches.
    picker = page.get_by_label("Finn delmål")
    picker.fill("11.5")
    page.locator('[data-pick-target="11.5"]').click()
    assert_accessible(page)  # after the htmx swap
    picker.fill("klimarelaterte")
    page.locator('[data-pick-target="13.1"]').click()
    assert page.locator("#target-11-5").is_checked() and page.locator("#target-13-1").is_checked()
    page.get_by_label("Viktigste delmål").select_option("11.5")
    page.get_by_role("button", name="Lagre").click()

    page.wait_for_url(re.compile(r"/prosjekter/\d+/$"))
    assert page.get_by_text("utkast", exact=False).first.is_visible()
    project_url = page.url
    page.get_by_role("button", name="Publiser").click()
    page.wait_for_url(project_url)
    assert_accessible(page)

    for url in (
        "/barekraftsmal/11/",
        "/barekraftsmal/delmal/11.5/",
        "/organisasjoner/molde/",
        "/prosjekter/?county=15",
    ):
        page.goto(url)
        assert page.get_by_role("link", name="Regnbed i Molde sentrum").count() == 1, url
        assert_accessible(page)

    page.goto("/prosjekter/?county=46")
    assert page.get_by_role("link", name="Regnbed i Molde sentrum").count() == 0

    page.context.clear_cookies()
    sign_in(page.context, bergen_editor)
    response = page.goto(project_url + "rediger/")
    assert response.status == 403
    page.goto(project_url)
    assert page.get_by_role("link", name="Rediger").count() == 0


def test_list_filters_update_in_place_and_keep_a_shareable_url(page, assert_accessible, db):
    make_project(title="Prosjekt i Molde")
    make_project(owner="4601", title="Prosjekt i Bergen", target_ids=["7.2"])
    db.session.commit()
    page.goto("/prosjekter/")
    assert page.locator(".content-card").count() == 2
    page.get_by_label("Fylke").select_option("15")
    page.wait_for_url("**/prosjekter/?*county=15*")
    page.wait_for_function("() => document.querySelectorAll('.content-card').length === 1")
    assert "1 prosjekt" in page.get_by_role("status").inner_text()
    assert_accessible(page)
    page.go_back()
    page.wait_for_function("() => document.querySelectorAll('.content-card').length === 2")
