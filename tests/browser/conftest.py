"""Browser fixtures: the app served on a free port, Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Chromium as root in a closed network: no sandbox, and no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(app):
    """The test app served over real HTTP in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}; CI needs the browser tests.")
        pytest.skip(f"Chromium is missing at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, live_server, db):
    context = browser.new_context(base_url=live_server, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (served from our own static files) on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe/axe.min.js")
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )


@pytest.fixture()
def assert_accessible():
    def check(page):
        violations = axe_violations(page)
        assert violations == [], f"axe found violations on {page.url}: {violations}"

    return check


@pytest.fixture()
def sign_in(app, live_server, db):
    """Give a browser context the session cookie of `user` (no login form needed)."""

    def sign_in(context, user):
        db.session.commit()
        serializer = app.session_interface.get_signing_serializer(app)
        cookie = serializer.dumps({"_user_id": user.get_id(), "_fresh": True})
        context.add_cookies(
            [{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": live_server}]
        )

    return sign_in
