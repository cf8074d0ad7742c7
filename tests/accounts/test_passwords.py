"""Forgotten and changed passwords."""

from __future__ import annotations

from tests.accounts.helpers import errors_on, path_of
from tests.conftest import links_in
from tests.factories import PASSWORD, make_user, post_form

# --- forgotten and changed passwords ----------------------------------------------------------


def test_forgotten_password_answers_alike_and_the_link_works_once(client, db, smtp_server):
    make_user("kari@example.no", name="Kari")
    db.session.commit()
    known = post_form(client, "/glemt-passord/", {"email": "Kari@example.no"})
    unknown = post_form(client, "/glemt-passord/", {"email": "ola@example.no"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    page_known = client.get(known.headers["Location"]).get_data(as_text=True)
    assert "Hvis det finnes en konto for" in page_known

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "kari@example.no"
    (link,) = links_in(message)
    assert client.get(path_of(link)).status_code == 200
    response = post_form(client, path_of(link), {"password": "ny-sterk-setning-om-fjorder"})
    assert response.status_code == 302 and response.headers["Location"] == "/profil/"
    # The same link again: already used.
    again = client.get(path_of(link))
    assert again.status_code == 400 and "Lenken virker ikke" in again.get_data(as_text=True)
    # and the user is told their password changed
    assert smtp_server.wait_for(2)[1]["Subject"] == "Passordet ditt på Bærekraftshub er endret"


def test_a_weak_new_password_is_refused_on_the_reset_page(client, db, app):
    from baerekraft_hub.accounts.services import _password_token
    from baerekraft_hub.accounts.tokens import Purpose

    user = make_user()
    db.session.commit()
    with app.test_request_context():
        token = _password_token(user, Purpose.RESET_PASSWORD)
    response = post_form(client, f"/nytt-passord/{token}/", {"password": "passordpassord"})
    assert response.status_code == 422
    assert errors_on(response)[0].startswith("Dette passordet er for lett å gjette")


def test_changing_the_password_ends_every_other_session(app, db, login_as, client):
    user = make_user("kari@example.no")
    login_as(user)
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = user.get_id()
    assert other.get("/profil/").status_code == 200

    wrong = post_form(
        client,
        "/profil/passord/",
        {"current_password": "feil", "password": "ny-sterk-setning-om-fjorder"},
    )
    assert wrong.status_code == 422 and "Det nåværende passordet er feil." in errors_on(wrong)

    response = post_form(
        client,
        "/profil/passord/",
        {"current_password": PASSWORD, "password": "ny-sterk-setning-om-fjorder"},
    )
    assert response.status_code == 302
    assert client.get("/profil/").status_code == 200  # this session carries on
    assert other.get("/profil/").status_code == 302  # the other one has ended
