"""As a new user would: register, confirm by email, sign in, join Molde, get approved."""

from __future__ import annotations

import re

import pytest

from baerekraft_hub.accounts.models import User
from baerekraft_hub.memberships import policy
from tests.conftest import links_in
from tests.factories import PASSWORD, make_member, make_user, organisation

pytestmark = pytest.mark.browser

NEW_PASSWORD = "grønn-fjord-lysende-kveld-42"  # noqa: S105


@pytest.fixture()
def emailed_links_work(app, live_server):
    """Links in emails point at the live server for the length of the test."""
    previous = app.config["PUBLIC_URL"]
    app.config["PUBLIC_URL"] = live_server
    yield
    app.config["PUBLIC_URL"] = previous


def sign_in(page, email: str, password: str):
    page.goto("/logg-inn/")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord", exact=True).fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/profil/")


def test_register_confirm_join_molde_and_be_approved_as_editor(
    browser, live_server, page, db, smtp_server, emailed_links_work, assert_accessible
):
    make_user("koordinator@ks.no", name="Kari Koordinator", coordinator=True)
    db.session.commit()

    # Register, with one mistake first: the form says what is wrong and keeps the rest.
    page.goto("/")
    page.get_by_role("link", name="Opprett en konto").first.click()
    page.wait_for_url("**/registrer/")
    assert_accessible(page)
    page.get_by_label("Navn").fill("Nora Nyansatt")
    page.get_by_label("E-postadresse").fill("nora@molde.kommune.no")
    page.get_by_label("Passord", exact=True).fill("passordpassord")
    page.get_by_role("button", name="Opprett konto").click()
    summary = page.locator(".ds-error-summary")
    assert "for lett å gjette" in summary.inner_text()
    assert page.get_by_label("E-postadresse").input_value() == "nora@molde.kommune.no"
    assert page.get_by_label("Passord", exact=True).input_value() == ""
    # app.js moves focus to the summary once the page has loaded
    page.wait_for_function("document.activeElement.classList.contains('ds-error-summary')")
    assert_accessible(page)
    page.get_by_label("Passord", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Opprett konto").click()
    page.wait_for_url("**/registrer/sjekk-e-posten/")
    assert "nora@molde.kommune.no" in page.locator("main").inner_text()
    assert_accessible(page)

    # The confirmation email arrives at the SMTP server; its link confirms the address.
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "nora@molde.kommune.no"
    (link,) = links_in(message)
    assert link.startswith(live_server)
    page.goto(link)
    page.wait_for_url("**/logg-inn/")
    assert "E-postadressen din er bekreftet" in page.locator("main").inner_text()
    assert_accessible(page)

    # Sign in and ask to join Molde.
    sign_in(page, "nora@molde.kommune.no", NEW_PASSWORD)
    assert_accessible(page)
    page.get_by_role("link", name="Organisasjonene dine").click()
    page.wait_for_url("**/profil/organisasjoner/")
    assert_accessible(page)
    page.get_by_label("Organisasjon", exact=True).fill("Molde kommune")
    page.get_by_role("button", name="Be om medlemskap").click()
    page.wait_for_url("**/profil/organisasjoner/")
    assert "Du har bedt om medlemskap i Molde." in page.locator("main").inner_text()
    assert_accessible(page)

    # The coordinator approves, as editor, from the overview of waiting requests.
    coordinator = browser.new_context(base_url=live_server, locale="nb-NO")
    admin_page = coordinator.new_page()
    sign_in(admin_page, "koordinator@ks.no", PASSWORD)
    admin_page.get_by_role("link", name="Forespørsler om medlemskap").click()
    admin_page.wait_for_url("**/koordinator/medlemskap/")
    assert_accessible(admin_page)
    admin_page.get_by_label("Rolle for Nora Nyansatt").select_option("editor")
    admin_page.get_by_role("button", name="Godkjenn Nora Nyansatt").click()
    admin_page.wait_for_url("**/koordinator/medlemskap/")
    assert "Forespørselen er godkjent" in admin_page.locator("main").inner_text()
    assert_accessible(admin_page)
    admin_page.goto("/organisasjoner/molde/medlemmer/")
    assert "Nora Nyansatt" in admin_page.locator("main").inner_text()
    assert_accessible(admin_page)
    coordinator.close()

    # Nora is told by email, sees Molde with the editor role, and may edit Molde only.
    # (Each request sends its own mail after its response: they may arrive in any order.)
    messages = smtp_server.wait_for(3)  # confirmation, request to coordinator, approval
    to_nora = [m["Subject"] for m in messages if m["To"] == "nora@molde.kommune.no"]
    assert "Du er nå medlem av Molde" in to_nora
    assert [m["To"] for m in messages].count("koordinator@ks.no") == 1
    page.goto("/profil/organisasjoner/")
    row = page.locator("tr.membership[data-organisation='molde']")
    assert "Molde" in row.inner_text() and "Redaktør" in row.inner_text()
    db.session.expire_all()
    nora = db.session.scalars(db.select(User).where(User.email == "nora@molde.kommune.no")).one()
    assert policy.can_edit_content(nora, organisation("1506"))
    assert not policy.can_edit_content(nora, organisation("4601"))

    # ... and, as the user sees it: the project form offers Molde, and only Molde.
    page.goto("/prosjekter/ny/")
    owners = page.get_by_label("Eierorganisasjon").locator("option").all_inner_texts()
    assert owners == ["Molde (Møre og Romsdal)"]  # namesakes (Herøy, Våler) need the county
    page.get_by_label("Tittel").first.fill("Nora sitt første prosjekt")
    page.get_by_label("Sammendrag").fill("Et lite forsøk.")
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(re.compile(r"/prosjekter/\d+/$"))
    assert page.get_by_role("heading", name="Nora sitt første prosjekt").is_visible()


def test_account_pages_have_no_axe_violations(page, db, assert_accessible):
    make_member("1506", "admin", user=make_user("admin@molde.kommune.no", name="Ada Admin"))
    db.session.commit()
    for path in (
        "/logg-inn/",
        "/glemt-passord/",
        "/glemt-passord/sendt/",
        "/bekreft/ny-lenke/",
        "/bekreft/ugyldig/",
        "/nytt-passord/ugyldig/",
    ):
        page.goto(path)
        assert_accessible(page)
    page.goto("/logg-inn/")
    page.get_by_role("button", name="Logg inn").click()  # empty: errors everywhere
    assert page.locator(".ds-error-summary").is_visible()
    assert_accessible(page)
    sign_in(page, "admin@molde.kommune.no", PASSWORD)
    for path in (
        "/profil/",
        "/profil/passord/",
        "/profil/slett/",
        "/profil/organisasjoner/",
        "/organisasjoner/molde/",
        "/organisasjoner/molde/medlemmer/",
    ):
        page.goto(path)
        assert_accessible(page)
    page.goto("/profil/slett/")
    page.get_by_role("button", name="Slett kontoen min").click()
    assert page.locator(".ds-error-summary").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", ["nn", "en"])
def test_account_pages_in_other_languages(page, db, assert_accessible, language):
    page.goto("/logg-inn/")
    page.get_by_role("button", name={"nn": "Nynorsk", "en": "English"}[language]).click()
    page.wait_for_url("**/logg-inn/")
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page)
    page.goto("/registrer/")
    assert_accessible(page)


def test_joining_works_without_javascript(browser, live_server, db, assert_accessible):
    make_user("ola@example.no", name="Ola")
    db.session.commit()
    context = browser.new_context(base_url=live_server, java_script_enabled=False, locale="nb-NO")
    page = context.new_page()
    sign_in(page, "ola@example.no", PASSWORD)
    page.goto("/organisasjoner/molde/")
    page.get_by_role("link", name="Be om medlemskap i Molde").click()
    page.wait_for_url(re.compile(r".*/profil/organisasjoner/\?org=molde$"))
    assert page.get_by_label("Organisasjon", exact=True).input_value() == "Molde kommune"
    page.get_by_role("button", name="Be om medlemskap").click()
    page.wait_for_url("**/profil/organisasjoner/")
    assert "Venter på svar" in page.locator("main").inner_text()
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(live_server + "/")
    assert page.get_by_role("link", name="Logg inn").is_visible()
    context.close()
