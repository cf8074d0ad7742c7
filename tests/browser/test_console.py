"""The coordinator's console in a browser: every page as the coordinator, with axe-core, and
one action done by keyboard (feature a project), which then shows in the audit log."""

from __future__ import annotations

from datetime import date

import pytest

from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox.models import MailSuppression
from baerekraft_hub.memberships.models import Role
from baerekraft_hub.memberships.services import request_membership
from tests.factories import make_member, make_practice, make_project, make_user, organisation

pytestmark = pytest.mark.browser


def test_every_console_page_has_no_axe_violations(page, db, sign_in, assert_accessible):
    project = make_project("1506", title="Regnbed i Molde", goal_numbers=[13])
    make_project("4601", title="Bergens byskog", status="planned")
    practice = make_practice("1506")
    editor = make_member("1506", Role.EDITOR)
    request_membership(make_user(name="Nora Nyansatt"), organisation("4601"))
    molde = organisation("1506")
    molde.network_member_since = date(2024, 1, 15)
    molde.network_contact_name = "Kari Kontakt"
    db.session.add(MailSuppression(address="borte@example.no", reason="hard", created_at=utcnow()))
    sign_in(page.context, make_user(name="Kari Koordinator", coordinator=True))

    paths = [
        "/koordinator/",
        "/koordinator/personer/",
        f"/koordinator/personer/{editor.id}/",
        "/koordinator/innhold/",
        f"/koordinator/innhold/prosjekt/{project.id}/",
        f"/koordinator/innhold/praksis/{practice.id}/",
        "/koordinator/nettverk/",
        "/koordinator/nettverk/molde/",
        "/koordinator/eksport/",
        "/koordinator/sperrede-adresser/",
        "/koordinator/logg/",
        "/koordinator/logg/?since=31.02.2026",  # with an error summary
        "/koordinator/medlemskap/",
    ]
    for path in paths:
        response = page.goto(path)
        assert response.status in (200, 422), path
        assert_accessible(page)

    # Feature the project by keyboard; the flash says so and the log lists it.
    page.goto(f"/koordinator/innhold/prosjekt/{project.id}/")
    page.get_by_label("Begrunnelse (valgfritt)").focus()
    page.keyboard.type("Godt eksempel")
    page.get_by_role("button", name="Fremhev på forsiden").focus()
    with page.expect_navigation():  # the form posts, and comes back to the same page
        page.keyboard.press("Enter")
    assert "er fremhevet på forsiden" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto("/koordinator/logg/")
    log = page.locator("main").inner_text()
    assert "Fremhevet innhold på forsiden" in log and "Godt eksempel" in log
    page.goto("/")
    assert "Regnbed i Molde" in page.locator("#featured-title + .card-list").inner_text()
    assert_accessible(page)
