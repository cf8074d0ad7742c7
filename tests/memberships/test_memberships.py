"""Asking to join, deciding, roles — and the emails that tell people."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from baerekraft_hub.memberships import policy, services
from baerekraft_hub.memberships.models import Membership, MembershipStatus, Role
from tests.conftest import csrf_from, text_of
from tests.factories import make_member, make_user, organisation, post_form


def ask(client, typed: str):
    return post_form(client, "/profil/organisasjoner/", {"organisation": typed}, "/profil/")


def membership(db, user) -> Membership | None:
    db.session.expire_all()
    return db.session.scalars(db.select(Membership).where(Membership.user_id == user.id)).first()


@pytest.fixture()
def molde_admin(db):
    return make_member("1506", Role.ADMIN, user=make_user("admin@molde.kommune.no", language="nn"))


# --- asking -------------------------------------------------------------------------------------


def test_the_picker_offers_every_organisation_with_a_unique_label(client, db, login_as):
    login_as(make_user())
    html = client.get("/profil/organisasjoner/").get_data(as_text=True)
    labels = re.findall(r'<option value="([^"]+)"></option>', html)
    assert len(labels) == len(set(labels)) == 357 + 15 + 3
    assert "Molde kommune" in labels and "Møre og Romsdal fylkeskommune" in labels
    assert "Herøy kommune (Nordland)" in labels and "Herøy kommune (Møre og Romsdal)" in labels
    assert 'list="organisation-choices"' in html


@pytest.mark.parametrize("typed", ["Molde kommune", "molde", "1506", "  MOLDE  "])
def test_asking_to_join_emails_the_organisations_admins(
    client, db, login_as, smtp_server, molde_admin, typed
):
    user = login_as(make_user(name="Kari Nordmann"))
    response = ask(client, typed)
    assert response.status_code == 302
    page = client.get("/profil/organisasjoner/").get_data(as_text=True)
    assert "Du har bedt om medlemskap i Molde." in page
    assert "Venter på svar" in page
    row = membership(db, user)
    assert row.status == MembershipStatus.PENDING and row.role == Role.MEMBER
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "admin@molde.kommune.no"
    assert message["Subject"] == "Kari Nordmann ber om medlemskap i Molde"  # nynorsk reader
    assert "http://localhost/organisasjoner/molde/medlemmer/" in text_of(message)


def test_without_admins_the_coordinators_are_asked(client, db, login_as, smtp_server):
    make_user("koordinator@ks.no", coordinator=True)
    login_as(make_user())
    ask(client, "Bergen")
    assert [m["To"] for m in smtp_server.wait_for(1)] == ["koordinator@ks.no"]


def test_asking_twice_or_as_member_gets_a_clear_message(client, db, login_as, smtp_server):
    make_user("koordinator@ks.no", coordinator=True)
    user = login_as(make_user())
    ask(client, "Molde")
    again = ask(client, "Molde")
    assert again.status_code == 422
    assert "Du har allerede bedt om medlemskap i Molde." in again.get_data(as_text=True)
    assert 'value="Molde"' in again.get_data(as_text=True)
    make_member("4601", Role.MEMBER, user=user)
    db.session.commit()
    member = ask(client, "Bergen")
    assert member.status_code == 422
    assert "Du er allerede medlem av Bergen." in member.get_data(as_text=True)
    assert len(smtp_server.wait_for(1)) == 1  # one request, one email


@pytest.mark.parametrize("typed", ["Herøy", "Atlantis", ""])
def test_an_unknown_or_ambiguous_organisation_is_a_form_error(client, db, login_as, typed):
    login_as(make_user())
    response = ask(client, typed)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "ds-error-summary" in html
    if typed:
        assert f'value="{typed}"' in html
        assert "Vi fant ikke én bestemt organisasjon med det navnet." in html


def test_the_profile_page_of_an_organisation_links_to_the_request(client, db, login_as):
    html = client.get("/organisasjoner/molde/").get_data(as_text=True)
    assert 'href="/profil/organisasjoner/?org=molde"' in html
    assert "/medlemmer/" not in html
    login_as(make_user())
    prefilled = client.get("/profil/organisasjoner/?org=molde").get_data(as_text=True)
    assert 'value="Molde kommune"' in prefilled


def test_a_request_again_after_a_decline_is_a_new_request(db, molde_admin):
    user = make_user()
    molde = organisation("1506")
    first = services.request_membership(user, molde)
    services.decline(first, decided_by=molde_admin)
    second = services.request_membership(user, molde)
    assert second.id == first.id and second.status == MembershipStatus.PENDING
    assert second.decided_at is None


# --- deciding -----------------------------------------------------------------------------------


def test_coordinator_approves_as_editor_and_the_user_may_edit_molde_only(
    client, db, login_as, smtp_server
):
    user = make_user("kari@example.no", language="en")
    pending = services.request_membership(user, organisation("1506"))
    db.session.commit()
    login_as(make_user(coordinator=True))
    overview = client.get("/koordinator/medlemskap/").get_data(as_text=True)
    assert "kari@example.no" in overview
    response = post_form(
        client,
        f"/organisasjoner/molde/medlemmer/{pending.id}/godkjenn/",
        {"role": "editor", "next": "/koordinator/medlemskap/"},
        page="/koordinator/medlemskap/",
    )
    assert (
        response.status_code == 302 and response.headers["Location"] == "/koordinator/medlemskap/"
    )
    row = membership(db, user)
    assert (row.status, row.role) == (MembershipStatus.APPROVED, Role.EDITOR)
    assert row.decided_by_id is not None and row.decided_at is not None
    assert policy.can_edit_content(row.user, organisation("1506"))
    assert not policy.can_edit_content(row.user, organisation("4601"))
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "kari@example.no"
    assert message["Subject"] == "You are now a member of Molde"
    assert "Your role: editor." in text_of(message)


def test_approval_offers_the_role_asked_for_and_shows_when_it_was_asked(
    client, db, login_as, molde_admin
):
    """A project leader approved with one click can create projects."""
    user = login_as(make_user(name="Kari Leder"))
    asked = post_form(
        client,
        "/profil/organisasjoner/",
        {"organisation": "Molde", "role": "editor"},
        "/profil/organisasjoner/",
    )
    assert asked.status_code == 302
    pending = membership(db, user)
    assert pending.status == MembershipStatus.PENDING
    assert not policy.can_edit_content(pending.user, organisation("1506"))

    login_as(molde_admin)
    page = "/organisasjoner/molde/medlemmer/"
    html = client.get(page).get_data(as_text=True)
    select = re.search(rf'<select[^>]*id="role-{pending.id}".*?</select>', html, re.S).group(0)
    chosen = re.findall(r'<option value="(\w+)" selected>', select)
    assert chosen == ["editor"]
    assert "Bad om å bli: Redaktør" in html  # the admin reads nynorsk
    assert f'<time datetime="{pending.requested_at:%Y-%m-%d}">' in html

    path = f"/organisasjoner/molde/medlemmer/{pending.id}/godkjenn/"
    post_form(client, path, {"role": chosen[0]}, page)
    row = membership(db, user)
    assert row.status == MembershipStatus.APPROVED
    assert policy.can_edit_content(row.user, organisation("1506"))


def test_a_double_submitted_approval_answers_once(client, db, login_as, smtp_server, molde_admin):
    pending = services.request_membership(make_user(), organisation("1506"))
    db.session.commit()
    smtp_server.wait_for(1)  # the request's own email to the admin, out of the way
    smtp_server.handler.envelopes.clear()
    login_as(molde_admin)
    page = "/organisasjoner/molde/medlemmer/"
    csrf = csrf_from(client.get(page).get_data(as_text=True))
    path = f"/organisasjoner/molde/medlemmer/{pending.id}/godkjenn/"
    client.post(path, data={"csrf_token": csrf, "role": "member"})
    second = client.post(path, data={"csrf_token": csrf, "role": "admin"})
    assert second.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Denne førespurnaden er allereie svart på." in html  # the admin reads nynorsk
    assert membership(db, pending.user).role == Role.MEMBER
    assert len(smtp_server.wait_for(1)) == 1


def test_declining_tells_the_user(client, db, login_as, smtp_server, molde_admin):
    pending = services.request_membership(make_user("ola@example.no"), organisation("1506"))
    db.session.commit()
    login_as(molde_admin)
    response = post_form(
        client,
        f"/organisasjoner/molde/medlemmer/{pending.id}/avsla/",
        {},
        page="/organisasjoner/molde/medlemmer/",
    )
    assert response.status_code == 302
    assert membership(db, pending.user).status == MembershipStatus.DECLINED
    messages = smtp_server.wait_for(2)
    assert messages[-1]["To"] == "ola@example.no"
    assert messages[-1]["Subject"] == "Forespørselen din om medlemskap i Molde"


def test_admin_changes_roles_and_removes_members_but_keeps_one_admin(
    client, db, login_as, molde_admin
):
    editor = make_member("1506", Role.EDITOR)
    login_as(molde_admin)
    page = "/organisasjoner/molde/medlemmer/"
    editor_row = membership(db, editor)
    admin_row = membership(db, molde_admin)
    post_form(client, f"{page}{editor_row.id}/rolle/", {"role": "member"}, page=page)
    assert membership(db, editor).role == Role.MEMBER
    post_form(client, f"{page}{admin_row.id}/rolle/", {"role": "editor"}, page=page)
    assert membership(db, molde_admin).role == Role.ADMIN
    assert "Ein organisasjon må ha minst éin administrator." in client.get(page).get_data(
        as_text=True
    )
    post_form(client, f"{page}{editor_row.id}/fjern/", {}, page=page)
    assert membership(db, editor) is None
    bad_role = post_form(client, f"{page}{admin_row.id}/rolle/", {"role": "owner"}, page=page)
    assert bad_role.status_code == 400


def test_a_membership_of_another_organisation_is_not_found_here(client, db, login_as, molde_admin):
    bergen_member = make_member("4601", Role.MEMBER)
    row = membership(db, bergen_member)
    login_as(molde_admin)
    page = "/organisasjoner/molde/medlemmer/"
    response = post_form(client, f"{page}{row.id}/fjern/", {}, page=page)
    assert response.status_code == 404


# --- list pages load in a fixed number of queries --------------------------------------------


def _count_queries(app, db, client, path: str) -> int:
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("path", ["/organisasjoner/molde/medlemmer/", "/koordinator/medlemskap/"])
def test_member_pages_need_the_same_queries_for_few_or_many(app, client, db, login_as, path):
    login_as(make_user(coordinator=True))
    make_member("1506", Role.EDITOR)
    services.request_membership(make_user(), organisation("1506"))
    db.session.commit()
    few = _count_queries(app, db, client, path)
    for _ in range(6):
        make_member("1506", Role.MEMBER)
        services.request_membership(make_user(), organisation("1506"))
        services.request_membership(make_user(), organisation("4601"))
    db.session.commit()
    assert _count_queries(app, db, client, path) == few
