"""Search in the browser: live header results, facets in the URL, two tabs, accessibility."""

from __future__ import annotations

import re
import time

import pytest

from baerekraft_hub.content.services import publish
from baerekraft_hub.search.changes import apply_pending_changes, rebuild_index
from tests.factories import make_project

pytestmark = pytest.mark.browser


@pytest.fixture()
def searchable(db):
    rebuild_index()
    molde = make_project(title="Overvannshåndtering i Molde sentrum")
    bergen = make_project(
        "4601", title="Regnbed og overvannshåndtering i Bergen", target_ids=["6.3"]
    )
    db.session.commit()
    apply_pending_changes()
    return molde, bergen


def test_header_search_live_results_facets_and_a_url_that_reproduces_the_view(
    page, searchable, assert_accessible
):
    page.goto("/")
    box = page.get_by_role("searchbox", name="Søk på nettstedet")
    box.press_sequentially("overvatn", delay=30)
    live = page.locator("#site-search-live")
    live.get_by_role("link", name="Overvannshåndtering i Molde sentrum").wait_for()
    assert_accessible(page)

    box.press("Enter")
    page.wait_for_url(re.compile(r"/sok\?q=overvatn"))
    assert page.locator("#search-count").inner_text().startswith("2 treff")
    assert_accessible(page)

    page.locator("#facet-goal-11").check()
    page.wait_for_url(re.compile(r"goal=11"))
    page.locator("#facet-county-møre-og-romsdal").check()
    page.wait_for_url(re.compile(r"county=M"))
    results = page.locator("#search-results")
    expect_titles = ["Overvannshåndtering i Molde sentrum"]
    page.wait_for_function("document.querySelector('#search-count').innerText.startsWith('1 ')")
    assert results.locator(".search-hit h3").all_inner_texts() == expect_titles
    assert page.evaluate("document.activeElement.id") == "facet-county-møre-og-romsdal"
    assert_accessible(page)  # after live updates

    url = page.url
    page.go_back()  # the back button steps back through the live updates
    page.wait_for_url(lambda u: "goal=11" in u and "county=" not in u)
    page.locator("#facet-county-møre-og-romsdal:not(:checked)").wait_for()

    page.goto("/")
    page.goto(url)  # the URL alone reproduces the view
    assert results.locator(".search-hit h3").all_inner_texts() == expect_titles
    assert page.locator("#facet-goal-11").is_checked()
    assert page.locator("#facet-county-møre-og-romsdal").is_checked()


def test_typing_on_the_search_page_updates_results_and_keeps_focus(page, searchable):
    page.goto("/sok")
    box = page.get_by_role("searchbox", name="Søk i prosjekter og god praksis")
    box.press_sequentially("regnbed bergen", delay=30)
    page.wait_for_url(re.compile(r"q=regnbed"))
    page.locator(".search-hit h3", has_text="Regnbed og overvannshåndtering i Bergen").wait_for()
    assert page.evaluate("document.activeElement.id") == "search-q"


def test_a_project_published_in_one_tab_is_found_from_another_within_two_seconds(
    browser, live_server, db, searchable, sign_in
):
    from tests.factories import make_member

    editor = make_member("1506", "editor")
    draft = make_project(published=False, title="Pollinatorvennlige veikanter i Molde")
    db.session.commit()
    apply_pending_changes()

    editor_tab = browser.new_context(base_url=live_server, locale="nb-NO")
    reader_tab = browser.new_context(base_url=live_server, locale="nb-NO")
    try:
        sign_in(editor_tab, editor)
        editing = editor_tab.new_page()
        reading = reader_tab.new_page()
        reading.goto("/sok?q=veikanter")
        assert reading.locator(".search-hit").count() == 0

        editing.goto(f"/prosjekter/{draft.id}/")
        editing.get_by_role("button", name="Publiser").click()
        editing.wait_for_url(re.compile(rf"/prosjekter/{draft.id}/$"))
        published = time.monotonic()

        box = reading.get_by_role("searchbox", name="Søk i prosjekter og god praksis")
        box.fill("")
        box.press_sequentially("veikanter", delay=10)
        reading.locator(".search-hit h3", has_text="Pollinatorvennlige").wait_for(timeout=2000)
        assert time.monotonic() - published < 2.0
    finally:
        editor_tab.close()
        reader_tab.close()


def test_publishing_without_the_browser_still_reaches_search(page, db, searchable):
    project = make_project(published=False, title="Kildesortering på skulen")
    publish(project, None)
    db.session.commit()
    apply_pending_changes()
    page.goto("/sok?q=kjeldesortering")
    page.locator(".search-hit h3", has_text="Kildesortering").wait_for()
