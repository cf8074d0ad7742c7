"""The whole site with the demo content, as `make run` shows it: every page fits a 320 px
screen, the header works at phone and desktop widths, and a crawl from the home page (as a
visitor, an editor and the coordinator) meets no server error and no axe violation."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.conftest import axe_violations
from tests.conftest import empty_tables
from tests.factories import PASSWORD, make_member, make_user

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_site(app):
    """The demo content (`flask seed demo`), a coordinator and an editor of Molde."""
    from baerekraft_hub.extensions import db
    from baerekraft_hub.practices.models import Practice
    from baerekraft_hub.projects.models import Project
    from baerekraft_hub.search.changes import rebuild_index
    from baerekraft_hub.transfer.demo import load_demo

    with app.app_context():
        load_demo()
        coordinator = make_user("koordinator@example.no", coordinator=True)
        editor = make_member("1506", "editor", user=make_user("redaktor@example.no"))
        db.session.commit()
        rebuild_index()
        # The demo project with the longest participant name: the chosen list must fit too.
        projects = db.session.scalars(
            db.select(Project).where(Project.external_id.startswith("demo-")).order_by(Project.id)
        ).all()
        molde_project = max(
            projects, key=lambda p: max((len(o.name) for o in p.participants), default=0)
        ).id
        site = SimpleNamespace(
            coordinator=coordinator.email,
            editor=editor.email,
            project=molde_project,
            practice=db.session.scalars(db.select(Practice.id).limit(1)).first(),
        )
    yield site
    with app.app_context():
        db.session.rollback()
        empty_tables()
        db.session.commit()
        db.session.remove()


def new_page(browser, live_server, width, *, javascript=True):
    context = browser.new_context(
        base_url=live_server,
        locale="nb-NO",
        viewport={"width": width, "height": 800},
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def sign_in_with_form(page, email):
    page.goto("/logg-inn/")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: "/logg-inn/" not in url)


# --- every page fits 320 px -------------------------------------------------------------------

PUBLIC_PAGES = {
    "home": "/",
    "projects": "/prosjekter/",
    "practices": "/praksis/",
    "a demo project": "/prosjekter/{project}/",
    "a demo practice": "/praksis/{practice}/",
    "municipalities": "/kommuner/",
    "a municipality": "/organisasjoner/molde/",
    "a county": "/organisasjoner/more-og-romsdal-fylke/",
    "a partner": "/organisasjoner/ks/",
    "goals": "/barekraftsmal/",
    "a goal with its KPI table": "/barekraftsmal/11/",
    "a target": "/barekraftsmal/delmal/11.6/",
    "search": "/sok?q=molde",
    "sign in": "/logg-inn/",
    "register": "/registrer/",
    "forgotten password": "/glemt-passord/",
    "about": "/om-nettverket/",
    "accessibility": "/tilgjengelighet/",
    "privacy": "/personvern/",
    "not found": "/finnes-ikke/",
}
EDITOR_PAGES = {
    "new project": "/prosjekter/ny/",
    "edit project": "/prosjekter/{project}/rediger/",
    "new practice": "/praksis/ny/",
    "profile": "/profil/",
    "your organisations": "/profil/organisasjoner/",
    "new for you": "/nytt-for-deg/",
}
COORDINATOR_PAGES = {
    "membership requests": "/koordinator/medlemskap/",
    "console": "/koordinator/",
    "console people": "/koordinator/personer/",
    "console content": "/koordinator/innhold/",
    "console network": "/koordinator/nettverk/",
    "console audit log": "/koordinator/logg/",
    "members of Molde": "/organisasjoner/molde/medlemmer/",
}


def _cases(pages, who):
    for name, path in pages.items():
        yield pytest.param(who, path, id=f"{who}: {name}")


def _too_wide(page, width):
    """The first few elements that stick out to the right (to say what to fix)."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className)""",
        width,
    )


@pytest.fixture(scope="module")
def narrow_pages(browser, live_server, demo_site):
    """One 320 px wide tab per kind of visitor, reused across the pages."""
    pages = {}
    for who in ("anonymous", "editor", "coordinator"):
        pages[who] = new_page(browser, live_server, 320)
        if who != "anonymous":
            sign_in_with_form(pages[who], getattr(demo_site, who))
    yield pages
    for page in pages.values():
        page.context.close()


@pytest.mark.parametrize(
    ("who", "path"),
    [
        *_cases(PUBLIC_PAGES, "anonymous"),
        *_cases(EDITOR_PAGES, "editor"),
        *_cases(COORDINATOR_PAGES, "coordinator"),
    ],
)
def test_every_page_fits_a_320_px_screen_without_sideways_scrolling(
    narrow_pages, demo_site, who, path
):
    page = narrow_pages[who]
    response = page.goto(path.format(project=demo_site.project, practice=demo_site.practice))
    assert response.status < 500
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} px wide at 320 px: {_too_wide(page, 320)}"


def test_wide_tables_scroll_in_their_own_labelled_region(narrow_pages, demo_site):
    page = narrow_pages["anonymous"]
    page.goto("/barekraftsmal/11/")
    region = page.get_by_role("region", name="Tabell over U4SSC-indikatorene")
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # it scrolls, the page not
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.table-scroll').scrollLeft > 0", timeout=2000
    )


# --- the header --------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [320, 375, 1280, 1440])
def test_live_search_results_open_inside_the_screen(browser, live_server, demo_site, width):
    page = new_page(browser, live_server, width)
    try:
        page.goto("/")
        page.get_by_role("searchbox", name="Søk på nettstedet").press_sequentially("molde")
        live = page.locator("#site-search-live")
        live.get_by_role("link", name=re.compile("Molde sentrum")).wait_for()
        box = live.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with scripts", "without scripts"])
def test_narrow_screens_get_a_menu_that_opens_by_keyboard(
    browser, live_server, demo_site, javascript
):
    page = new_page(browser, live_server, 375, javascript=javascript)
    try:
        page.goto("/")
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < 200, "the header should leave room for the page"
        nav = page.get_by_role("navigation", name="Hovedmeny")
        assert not nav.is_visible()
        projects = nav.get_by_role("link", name="Prosjekter")
        page.keyboard.press("Tab")  # skip link
        page.keyboard.press("Tab")  # logo
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent").strip().endswith("Meny")
        page.keyboard.press("Enter")
        assert projects.is_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Prosjekter"
        projects.click()
        page.wait_for_url("**/prosjekter/")
    finally:
        page.context.close()


def test_wide_screens_show_the_menu_without_a_toggle(browser, live_server, demo_site):
    page = new_page(browser, live_server, 1280)
    try:
        page.goto("/")
        nav = page.get_by_role("navigation", name="Hovedmeny")
        assert nav.get_by_role("link", name="Prosjekter").is_visible()
        assert not page.locator(".site-menu__toggle").is_visible()
        assert page.get_by_role("link", name="Logg inn").is_visible()
    finally:
        page.context.close()


# --- the crawl ---------------------------------------------------------------------------------

MAX_PAGES = 150  # per visitor; each kind of page (endpoint and query keys) at most PER_KIND
PER_KIND = 3
SKIP = re.compile(r"^/(static/|dev/|logg-ut)")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _kind(app, url: str) -> tuple[str, tuple[str, ...]] | None:
    """The page template a URL lands on: its endpoint and which query keys it has."""
    parts = urlsplit(url)
    try:
        endpoint, _ = app.url_map.bind("localhost").match(parts.path, method="GET")
    except Exception:  # noqa: BLE001 - 404s and redirects are pages too
        endpoint = "unrouted"
    keys = tuple(sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair}))
    return endpoint, keys


def crawl(app, page, live_server, checked_kinds: set) -> tuple[list[str], dict, int]:
    """Follow same-site links from the home page; (5xx answers, axe findings, pages seen)."""
    queue = deque(["/"])
    seen = {"/"}
    per_kind: dict = {}
    errors, findings, visited = [], {}, 0
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        kind = _kind(app, path)
        if per_kind.get(kind, 0) >= PER_KIND:
            continue
        per_kind[kind] = per_kind.get(kind, 0) + 1
        visited += 1
        response = page.request.get(path, max_redirects=5)
        if response.status >= 500:
            errors.append(f"{response.status} {path}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        if kind not in checked_kinds:
            checked_kinds.add(kind)
            page.goto(path)
            violations = axe_violations(page)
            if violations:
                findings[path] = violations
        parser = _Links()
        parser.feed(response.text())
        for href in parser.hrefs:
            absolute = urljoin(live_server + path, href)
            if not absolute.startswith(live_server + "/"):
                continue
            target = absolute[len(live_server) :].split("#")[0]
            if target and not SKIP.match(target) and target not in seen:
                seen.add(target)
                queue.append(target)
    return errors, findings, visited


@pytest.fixture(scope="module")
def axe_checked() -> set:
    """Kinds of page axe has checked: once each, whoever saw them first."""
    return set()


@pytest.mark.parametrize("who", ["anonymous", "editor", "coordinator"])
def test_every_link_from_the_home_page_answers_and_passes_axe(
    app, browser, live_server, demo_site, axe_checked, who
):
    page = new_page(browser, live_server, 1280)
    try:
        if who != "anonymous":
            sign_in_with_form(page, getattr(demo_site, who))
        errors, findings, visited = crawl(app, page, live_server, axe_checked)
    finally:
        page.context.close()
    assert visited > 20, "the crawl should reach most of the site"
    assert findings == {}, f"axe found violations as {who}: {findings}"
    assert errors == [], f"server errors as {who}: {errors}"
