import contextlib
import re
from datetime import date

import pytest
from playwright.sync_api import Error, expect

from tests.pages.test_public_pages import PAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", PAGES + ["/finnes-ikke/", "/kommuner/?q=mol"])
def test_page_has_no_axe_violations(page, assert_accessible, path):
    page.goto(path)
    assert_accessible(page)


@pytest.mark.parametrize("language", ["nn", "en"])
def test_pages_in_other_languages_have_no_axe_violations(page, assert_accessible, language):
    page.goto("/")
    page.get_by_role("button", name={"nn": "Nynorsk", "en": "English"}[language]).click()
    page.wait_for_url("**/")
    for path in ("/", "/barekraftsmal/8/", "/kommuner/"):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        assert_accessible(page)


def test_municipality_filter_narrows_as_you_type(page, assert_accessible):
    page.goto("/kommuner/")
    municipalities = page.locator("li.municipality")
    assert municipalities.count() == 357
    page.get_by_label(re.compile("navn eller nummer", re.I)).press_sequentially("mold", delay=30)
    expect(municipalities).to_have_text(["Molde"])
    expect(page.get_by_role("status")).to_contain_text("1 kommune")
    assert re.search(r"/kommuner/\?q=mold(&county=)?$", page.url)  # the view can be shared
    assert_accessible(page)


def test_a_slow_earlier_answer_never_hides_what_was_typed_last(page):
    """Typing on while the answer to the first letters is slow: the list follows the last
    letters, and the late answer, when it comes, does not replace it."""
    held = []

    def hold_the_first_answer(route):
        if not held:
            held.append(route)  # answered only after the later request
        else:
            route.continue_()

    page.goto("/kommuner/")
    page.route("**/kommuner/?q=*", hold_the_first_answer)
    search = page.get_by_label(re.compile("navn eller nummer", re.I))
    search.press_sequentially("mo", delay=30)
    while not held:
        page.wait_for_timeout(50)
    search.press_sequentially("lde", delay=30)
    municipalities = page.locator("li.municipality")
    expect(municipalities).to_have_text(["Molde"])
    with contextlib.suppress(Error):  # the browser may have given it up: as well
        held[0].continue_()
    page.wait_for_timeout(300)
    expect(municipalities).to_have_text(["Molde"])
    assert re.search(r"/kommuner/\?q=molde", page.url)


def test_municipality_filter_works_without_javascript(browser, live_server, db):
    context = browser.new_context(base_url=live_server, java_script_enabled=False, locale="nb-NO")
    page = context.new_page()
    page.goto("/kommuner/")
    page.get_by_label(re.compile("navn eller nummer", re.I)).fill("molde")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"/kommuner/\?q=molde"))
    assert page.locator("li.municipality").all_inner_texts() == ["Molde"]
    context.close()


def test_language_choice_is_remembered_across_pages(page):
    page.goto("/barekraftsmal/11/")
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/barekraftsmal/11/")
    page.goto("/barekraftsmal/11/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("By 2030, ensure access for all to adequate, safe").is_visible()


def test_keyboard_user_can_skip_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_county_and_network_filters_work_with_and_without_javascript(browser, live_server, db):
    from baerekraft_hub.organisations.services import set_network_member
    from tests.factories import organisation

    set_network_member(organisation("1506"), date(2019, 6, 1))
    db.session.commit()
    for javascript in (True, False):
        context = browser.new_context(
            base_url=live_server, java_script_enabled=javascript, locale="nb-NO"
        )
        page = context.new_page()
        page.goto("/kommuner/")
        page.get_by_label("Fylke").select_option(label="Møre og Romsdal")
        page.get_by_label("Bare medlemmer av nettverket").check()
        if not javascript:
            page.get_by_role("button", name="Filtrer").click()
        page.wait_for_url(re.compile(r"county=15.*network=1"))
        page.wait_for_function("() => document.querySelectorAll('li.municipality').length === 1")
        assert page.locator("li.municipality").inner_text() == "Molde Medlem av nettverket"
        assert "1 kommune" in page.get_by_role("status").inner_text()
        if javascript:
            assert page.evaluate("document.activeElement.id") == "org-network"
        context.close()
