"""People in the console: deactivate and reactivate, coordinators, requests and roles."""

from __future__ import annotations

from baerekraft_hub.accounts.models import User
from baerekraft_hub.audit.models import AuditEvent
from baerekraft_hub.memberships.models import Membership, MembershipStatus, Role
from baerekraft_hub.memberships.services import request_membership
from baerekraft_hub.projects.models import Project
from tests.conftest import session_csrf
from tests.factories import PASSWORD, make_member, make_project, make_user, organisation
from tests.hostile import PAYLOADS, dangerous_markup


def _post(client, path, data):
    token = session_csrf(client)
    return client.post(path, data={"csrf_token": token, **data})


def _events():
    from baerekraft_hub.extensions import db

    return list(db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)))


def test_a_deactivated_user_is_signed_out_cannot_sign_in_and_keeps_content(
    app, client, db, login_as
):
    editor = make_member("1506", Role.EDITOR)
    project = make_project("1506")
    coordinator = make_user(name="Kari Koordinator", coordinator=True)
    db.session.commit()
    theirs = app.test_client()  # the editor's own browser, signed in before
    with theirs.session_transaction() as session:
        session["_user_id"] = editor.get_id()
    assert theirs.get("/profil/").status_code == 200
    login_as(coordinator)

    response = _post(
        client,
        f"/koordinator/personer/{editor.id}/deaktiver/",
        {"deactivate-reason": "Sluttet i kommunen"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, editor.id).is_deactivated
    assert db.session.get(Project, project.id).is_published  # their content stays
    assert theirs.get("/profil/").status_code == 302  # the old session is over

    stranger = app.test_client()
    html = _post(stranger, "/logg-inn/", {"email": editor.email, "password": PASSWORD}).get_data(
        as_text=True
    )
    assert "deaktivert" in html
    assert stranger.get("/profil/").status_code == 302
    (event,) = [e for e in _events() if e.action == "user.deactivate"]
    assert (event.actor_id, event.target_id, event.reason) == (
        coordinator.id,
        str(editor.id),
        "Sluttet i kommunen",
    )

    assert _post(client, f"/koordinator/personer/{editor.id}/aktiver/", {}).status_code == 302
    response = _post(stranger, "/logg-inn/", {"email": editor.email, "password": PASSWORD})
    assert response.status_code == 302
    assert [e.action for e in _events()] == ["user.deactivate", "user.reactivate"]


def test_deactivating_needs_a_reason_and_keeps_what_was_typed(client, db, login_as):
    user = make_user()
    login_as(make_user(coordinator=True))
    response = _post(
        client, f"/koordinator/personer/{user.id}/deaktiver/", {"deactivate-reason": ""}
    )
    assert response.status_code == 422
    assert "Begrunnelse" in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(User, user.id).is_deactivated
    assert _events() == []


def test_the_last_coordinator_cannot_be_removed_or_deactivated(client, db, login_as):
    me = login_as(make_user(name="Eneste Koordinator", coordinator=True))
    response = _post(
        client, f"/koordinator/personer/{me.id}/koordinator/", {"coordinator-reason": "x"}
    )
    assert response.status_code == 422
    assert "den siste nettverkskoordinatoren" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, me.id).is_coordinator

    other = make_user(name="Ny Koordinator")
    db.session.commit()
    assert _post(client, f"/koordinator/personer/{other.id}/koordinator/", {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, other.id).is_coordinator
    # Now there are two: I may step down.
    assert (
        _post(
            client, f"/koordinator/personer/{me.id}/koordinator/", {"coordinator-reason": "Ny jobb"}
        ).status_code
        == 302
    )
    assert [e.action for e in _events()] == ["user.make_coordinator", "user.remove_coordinator"]
    # And the one left cannot be deactivated (I am no longer a coordinator: sign in as them).
    login_as(db.session.get(User, other.id))
    response = _post(
        client, f"/koordinator/personer/{other.id}/deaktiver/", {"deactivate-reason": "x"}
    )
    assert response.status_code == 422


def test_requests_are_answered_and_roles_changed_from_the_person_page(client, db, login_as):
    applicant = make_user()
    asked = request_membership(applicant, organisation("1506"), Role.EDITOR)
    declined = request_membership(applicant, organisation("4601"))
    login_as(make_user(coordinator=True))
    page = client.get(f"/koordinator/personer/{applicant.id}/").get_data(as_text=True)
    assert "Molde" in page and "Bergen" in page

    path = f"/koordinator/medlemskap/{asked.id}"
    assert (
        _post(
            client,
            f"{path}/godkjenn/",
            {f"m{asked.id}-role": "editor", f"m{asked.id}-reason": "Prosjektleder"},
        ).status_code
        == 302
    )
    assert _post(client, f"/koordinator/medlemskap/{declined.id}/avsla/", {}).status_code == 302
    assert _post(client, f"{path}/rolle/", {f"m{asked.id}-role": "admin"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Membership, asked.id).role == Role.ADMIN.value
    assert db.session.get(Membership, declined.id).status == MembershipStatus.DECLINED.value
    actions = [(e.action, e.reason) for e in _events()]
    assert actions == [
        ("membership.approve", "Prosjektleder"),
        ("membership.decline", None),
        ("membership.change_role", None),
    ]


def test_a_tampered_role_or_a_refused_change_gets_a_message(client, db, login_as):
    admin = make_member("1506", Role.ADMIN)
    membership = admin.memberships[0]
    login_as(make_user(coordinator=True))
    path = f"/koordinator/medlemskap/{membership.id}/rolle/"
    response = _post(client, path, {f"m{membership.id}-role": "god"})
    assert response.status_code == 422
    response = _post(client, path, {f"m{membership.id}-role": "member"})
    assert response.status_code == 422
    assert "minst én administrator" in response.get_data(as_text=True)
    assert _events() == []


def test_non_coordinators_get_403_on_the_console(client, db, login_as):
    login_as(make_member("1506", Role.ADMIN))
    assert client.get("/koordinator/personer/").status_code == 403


def test_hostile_names_are_shown_as_text(client, db, login_as):
    for payload in PAYLOADS:
        user = make_user(name=payload[:120])
        request_membership(user, organisation("1506"))
    login_as(make_user(coordinator=True))
    html = client.get("/koordinator/personer/").get_data(as_text=True)
    assert dangerous_markup(html.split("<main", 1)[1]) == []
    html = client.get(f"/koordinator/personer/{user.id}/").get_data(as_text=True)
    assert dangerous_markup(html.split("<main", 1)[1]) == []


def test_answers_from_the_request_overview_are_audited_and_return_there(client, db, login_as):
    asked = request_membership(make_user(name="Nora Nyansatt"), organisation("1506"))
    login_as(make_user(coordinator=True))
    page = client.get("/koordinator/medlemskap/").get_data(as_text=True)
    assert f'action="/koordinator/medlemskap/{asked.id}/godkjenn/"' in page
    data = {f"m{asked.id}-role": "editor", f"m{asked.id}-next": "/koordinator/medlemskap/"}
    response = _post(client, f"/koordinator/medlemskap/{asked.id}/godkjenn/", data)
    assert response.headers["Location"] == "/koordinator/medlemskap/"
    assert [e.action for e in _events()] == ["membership.approve"]


def test_nobody_deactivates_their_own_account_here(client, db, login_as):
    me = login_as(make_user(coordinator=True))
    make_user(coordinator=True)
    response = _post(
        client, f"/koordinator/personer/{me.id}/deaktiver/", {"deactivate-reason": "x"}
    )
    assert response.status_code == 422
    assert "din egen konto" in response.get_data(as_text=True)


def test_the_people_list_runs_the_same_queries_for_few_or_many(client, db, login_as, count_queries):
    login_as(make_user(coordinator=True))

    def measure():
        with count_queries() as statements:
            assert client.get("/koordinator/personer/").status_code == 200
        return len(statements)

    make_member("1506", Role.EDITOR)
    request_membership(make_user(), organisation("1506"))
    db.session.commit()
    few = measure()
    for _ in range(8):
        make_member("4601", Role.MEMBER)
        request_membership(make_user(), organisation("1506"))
    db.session.commit()
    assert measure() == few


def test_a_coordinator_on_an_organisation_members_page_is_audited_an_admin_is_not(
    client, db, login_as
):
    asked = request_membership(make_user(name="Nora Nyansatt"), organisation("1506"))
    other = request_membership(make_user(), organisation("1506"))
    admin = make_member("1506", Role.ADMIN)
    coordinator = login_as(make_user(coordinator=True))
    asked_id, coordinator_id = asked.id, coordinator.id
    path = f"/organisasjoner/molde/medlemmer/{asked_id}"
    assert _post(client, f"{path}/godkjenn/", {"role": "member"}).status_code == 302
    assert _post(client, f"{path}/fjern/", {}).status_code == 302
    login_as(admin)
    assert (
        _post(client, f"/organisasjoner/molde/medlemmer/{other.id}/avsla/", {}).status_code == 302
    )
    events = [(e.action, e.actor_id, e.target_id) for e in _events()]
    assert events == [
        ("membership.approve", coordinator_id, str(asked_id)),
        ("membership.remove", coordinator_id, str(asked_id)),
    ]
    assert "Nora Nyansatt" in _events()[1].details["label"]
