"""As a new user would: follow Molde and SDG 13, see what is new, get the digest, unsubscribe."""

from __future__ import annotations

import re

import pytest

from baerekraft_hub.accounts.models import User
from baerekraft_hub.digests.models import Frequency
from baerekraft_hub.digests.periods import local_now, period_containing
from baerekraft_hub.projects.services import ProjectData, create_project
from tests.conftest import text_of
from tests.factories import make_member, make_user, organisation

pytestmark = pytest.mark.browser


@pytest.fixture()
def emailed_links_work(app, live_server):
    """Links in emails point at the live server for the length of the test."""
    previous = app.config["PUBLIC_URL"]
    app.config["PUBLIC_URL"] = live_server
    yield
    app.config["PUBLIC_URL"] = previous


def follow_here(page, assert_accessible, name: str):
    """Press "Følg" on the page; the button swaps in place and keeps the focus."""
    button = page.get_by_role("button", name=f"Følg {name}")
    button.focus()
    button.press("Enter")
    unfollow = page.get_by_role("button", name=f"Slutt å følge {name}")
    unfollow.wait_for()
    assert page.evaluate("document.activeElement.id").endswith("-button")
    assert "Du følger dette." in page.locator(".follow-toggle").first.inner_text()
    assert_accessible(page)


def test_follow_molde_and_sdg_13_then_the_digest_names_both_reasons_and_unsubscribes(
    browser, page, db, app, runner, smtp_server, sign_in, emailed_links_work, assert_accessible
):
    reader = make_user("anne@aukra.kommune.no", name="Anne Aukra")
    editor = make_member("1506", "editor")
    draft = create_project(
        ProjectData(
            title="Klimatilpasset Molde",
            summary="Flomveier og regnbed før høststormene.",
            owner=organisation("1506"),
            target_ids=["13.1"],
        ),
        editor,
    )
    db.session.commit()

    # Anne chooses the daily digest, then follows Molde and goal 13.
    sign_in(page.context, reader)
    page.goto("/profil/oppsummering/")
    assert_accessible(page)
    page.get_by_label("Daglig, om morgenen").check()
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url("**/profil/oppsummering/")
    page.goto("/organisasjoner/molde/")
    follow_here(page, assert_accessible, "Molde")
    page.reload()  # the summary under the name is not part of the swapped button
    assert "Følges av 1 person." in page.locator("main").inner_text()
    page.goto("/barekraftsmal/13/")
    follow_here(page, assert_accessible, "Mål 13: Stoppe klimaendringene")
    page.goto("/profil/folger/")
    assert page.get_by_role("link", name="Molde", exact=True).count() == 1
    assert_accessible(page)

    # The editor publishes the project and posts an update.
    editor_context = browser.new_context(base_url=page.url.split("/profil")[0], locale="nb-NO")
    editor_page = editor_context.new_page()
    sign_in(editor_context, editor)
    editor_page.goto(f"/prosjekter/{draft.id}/")
    # Publishing comes back to the same address: wait for the new page, not for the URL
    # (which matches at once, and the clicks below could land on the page being replaced).
    with editor_page.expect_navigation(url=f"**/prosjekter/{draft.id}/"):
        editor_page.get_by_role("button", name="Publiser").click()
    editor_page.get_by_text("Legg ut en oppdatering").click()
    editor_page.get_by_label("Overskrift").fill("Første flomvei er gravd")
    editor_page.get_by_label("Hva som har skjedd").fill("Storgata leder nå vannet til sjøen.")
    editor_page.get_by_role("button", name="Legg ut oppdatering").click()
    editor_page.wait_for_url(re.compile(r".*#updates$"))
    editor_context.close()

    # "Nytt for deg" shows both, with the reasons.
    page.goto("/nytt-for-deg/")
    entries = page.locator(".feed-entry")
    assert entries.count() == 2
    assert "Ny oppdatering: Første flomvei er gravd" in entries.first.inner_text()
    assert "Fordi du følger Molde, Mål 13" in entries.first.inner_text()
    assert_accessible(page)

    # The day's digest: one email, the project once, both reasons named.
    today = period_containing(Frequency.DAILY, local_now().date()).start.isoformat()
    command = ["digests", "send", "--frequency", "daily", "--period", today]
    result = runner.invoke(args=command)
    assert result.exit_code == 0 and "queued 1" in result.output, result.output
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "anne@aukra.kommune.no"
    text = text_of(message)
    assert text.count("Klimatilpasset Molde") == 1
    assert "Fordi du følger Molde" in text
    assert "Også fordi du følger Mål 13: Stoppe klimaendringene" in text
    assert "- Ny oppdatering: Første flomvei er gravd" in text

    # Running it again sends nothing.
    again = runner.invoke(args=command)
    assert "queued 0" in again.output and "sent 0" in again.output
    smtp_server.deliver()  # the worker's next round: nothing new goes out
    assert len(smtp_server.messages) == 1

    # The unsubscribe link works without signing in.
    link = message["List-Unsubscribe"].strip().strip("<>")
    assert link in text
    stranger = browser.new_context(locale="nb-NO")
    anonymous = stranger.new_page()
    anonymous.goto(link)
    assert_accessible(anonymous)
    anonymous.get_by_role("button", name="Stopp oppsummeringene på e-post").click()
    anonymous.get_by_role("heading", name="Du får ikke flere oppsummeringer på e-post").wait_for()
    assert_accessible(anonymous)
    anonymous.goto(link.rsplit("/", 2)[0] + "/ikke-en-gyldig-lenke/")
    assert "Lenken virker ikke" in anonymous.locator("main").inner_text()
    assert_accessible(anonymous)
    stranger.close()
    db.session.expire_all()
    assert db.session.get(User, reader.id).digest_frequency == "none"
