"""As the coordinator would: compose a newsletter for followers of SDG 13 in Vestland, watch
the count follow the audience, send a test to yourself, send it, pause it and resume it. Every
recipient gets one copy and nobody else any; it lands in the public archive and its feed."""

from __future__ import annotations

from collections import Counter

import pytest
from playwright.sync_api import expect

from baerekraft_hub.newsletters import sending
from tests.factories import make_user
from tests.newsletters.conftest import reader

pytestmark = pytest.mark.browser


def test_compose_count_test_send_pause_resume_archive(
    browser, page, db, app, smtp_server, sign_in, assert_accessible
):
    bergen_goal = reader(db, org="4601", follows=[("goal", 13)], email="a@bergen.kommune.no")
    county_target = reader(db, org="46", follows=[("target", "13.1")], email="b@vlfk.no")
    reader(db, org="4601", follows=[("goal", 11)], email="c@bergen.kommune.no")
    reader(db, org="1506", follows=[("goal", 13)], email="d@molde.kommune.no")
    coordinator = make_user("koordinator@ks.no", coordinator=True)
    sign_in(page.context, coordinator)

    page.goto("/koordinator/nyhetsbrev/ny/")
    assert_accessible(page)
    page.get_by_label("Emne").fill("Klima i Vestland")
    page.get_by_label("Tekst", exact=True).fill("Hei! Se **regnbedene** i Bergen.")
    count = page.locator("#recipient-count")
    assert "4 mottakere" in count.inner_text()
    page.get_by_label("13. ", exact=False).first.check()
    expect(count).to_contain_text("3 mottakere")
    page.get_by_label("Vestland", exact=True).check()
    expect(count).to_contain_text("2 mottakere")
    page.get_by_role("button", name="Lagre utkastet").click()
    page.get_by_role("heading", name="Klima i Vestland").wait_for()
    assert_accessible(page)

    page.get_by_role("button", name="Send en test til meg").click()
    page.get_by_text("En test er på vei").wait_for()
    (test,) = smtp_server.wait_for(1)
    assert test["To"] == "koordinator@ks.no"

    page.get_by_role("link", name="Send eller planlegg").click()
    assert "Det går til 2 mottakere." in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Send til 2 mottakere nå").click()
    page.get_by_role("button", name="Sett på pause").click()
    page.get_by_role("button", name="Fortsett").wait_for()
    assert "På pause" in page.locator("#progress").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Fortsett").click()
    page.get_by_role("button", name="Sett på pause").wait_for()

    # The worker's rounds: release the recipients, deliver, see the newsletter finished.
    db.session.expire_all()
    sending.release_due()
    received = smtp_server.wait_for(3)[1:]
    sending.release_due()
    assert Counter(m["To"] for m in received) == {bergen_goal.email: 1, county_target.email: 1}
    page.reload()
    assert "Sendt" in page.locator("#progress").inner_text()
    page.get_by_role("link", name="Se alle mottakerne").click()
    assert page.get_by_role("cell", name=bergen_goal.email).count() == 1
    assert_accessible(page)
    page.goto("/koordinator/nyhetsbrev/")
    assert_accessible(page)

    anonymous = browser.new_context(locale="nb-NO", base_url=page.url.split("/koordinator")[0])
    visitor = anonymous.new_page()
    visitor.goto("/nyhetsbrev/")
    visitor.get_by_role("link", name="Klima i Vestland").click()
    assert "regnbedene" in visitor.locator("main").inner_text()
    assert_accessible(visitor)
    feed = visitor.request.get("/nyhetsbrev/atom.xml")
    assert "Klima i Vestland" in feed.text()
    # The recipient stops the newsletter from the link in it, without signing in.
    link = received[0]["List-Unsubscribe"].strip("<>").split("/nyhetsbrev/", 1)[1]
    visitor.goto(f"/nyhetsbrev/{link}")
    assert_accessible(visitor)
    visitor.get_by_role("button", name="Stopp nyhetsbrevet").click()
    visitor.get_by_role("heading", name="Du får ikke flere nyhetsbrev").wait_for()
    assert_accessible(visitor)
    anonymous.close()
