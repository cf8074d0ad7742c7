"""The profile, language, downloading one's data and deleting the account."""

from __future__ import annotations

from baerekraft_hub.core.outbox import OutboxMessage
from tests.accounts.helpers import errors_on, users
from tests.factories import PASSWORD, make_user, post_form

# --- profile, language, privacy ---------------------------------------------------------------


def test_profile_changes_name_title_and_language(client, db, login_as):
    user = login_as(make_user())
    response = post_form(
        client, "/profil/", {"name": "Kari N.", "title": "Klimarådgiver", "language": "en"}
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.title, user.language) == ("Kari N.", "Klimarådgiver", "en")
    assert '<html lang="en"' in client.get("/profil/").get_data(as_text=True)


def test_profile_refuses_control_characters_in_the_name(client, db, login_as):
    login_as(make_user())
    response = post_form(
        client, "/profil/", {"name": "Eve\r\nBcc: x", "title": "", "language": "nb"}
    )
    assert response.status_code == 422
    assert "Bruk bare bokstaver, tall og vanlige skilletegn." in errors_on(response)


def test_an_unknown_language_in_the_profile_is_a_form_error(client, db, login_as):
    login_as(make_user())
    response = post_form(client, "/profil/", {"name": "Kari", "title": "", "language": "xx"})
    assert response.status_code == 422
    assert "Velg et av språkene som tilbys." in errors_on(response)


def test_the_language_switch_is_stored_on_the_signed_in_user(client, db, login_as):
    user = login_as(make_user(language="nb"))
    post_form(client, "/sprak/", {"lang": "nn", "next": "/"}, page="/")
    db.session.refresh(user)
    assert user.language == "nn"


def test_download_my_data(client, db, login_as):
    from tests.factories import make_member

    user = make_member("1506", "editor")
    user.title = "Prosjektleder"
    login_as(user)
    response = client.get("/profil/mine-data.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = response.get_json()
    assert data["account"]["email"] == user.email
    assert data["account"]["title"] == "Prosjektleder"
    assert data["memberships"][0]["organisation"] == "Molde"
    assert data["memberships"][0]["role"] == "editor"
    assert "password_hash" not in response.get_data(as_text=True)


def test_delete_account_asks_for_the_password_and_a_tick(client, db, login_as):
    login_as(make_user())
    response = post_form(client, "/profil/slett/", {"password": "feil", "confirm": "y"})
    assert response.status_code == 422 and "Passordet er feil." in errors_on(response)
    response = post_form(client, "/profil/slett/", {"password": PASSWORD})
    assert response.status_code == 422 and "Kryss av for å bekrefte." in errors_on(response)
    assert len(users(db)) == 1


def test_delete_account_removes_the_user_and_tells_listeners(client, db, login_as):
    from baerekraft_hub.accounts.signals import user_deleted
    from baerekraft_hub.memberships.models import Membership
    from tests.factories import make_member

    user = make_member("1506", "editor")
    user_id = user.id
    login_as(user)
    heard = []

    def listener(sender, user, **extra):
        heard.append(user.id)

    with user_deleted.connected_to(listener):
        response = post_form(client, "/profil/slett/", {"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert heard == [user_id]
    assert users(db) == []
    assert db.session.scalars(db.select(Membership)).all() == []
    assert client.get("/profil/").status_code == 302


def test_delete_account_drops_the_unsent_emails_and_blanks_the_sent_ones(client, db, login_as):
    from baerekraft_hub.core.outbox import OutboxStatus, queue_email
    from tests.factories import make_member

    user = make_member("1506", "editor")
    for key in ("waiting", "sent"):
        queue_email(
            to=user.email,
            template="password_changed",
            context={"name": user.name},
            language="nb",
            dedup_key=f"test:{key}",
            user=user,
        )
    db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.dedup_key == "test:sent")
    ).one().status = OutboxStatus.SENT.value
    login_as(user)

    response = post_form(client, "/profil/slett/", {"password": PASSWORD, "confirm": "y"})

    assert response.status_code == 302
    db.session.expire_all()
    rows = {m.dedup_key: m for m in db.session.scalars(db.select(OutboxMessage))}
    assert rows["test:waiting"].status == OutboxStatus.DROPPED.value
    assert rows["test:sent"].status == OutboxStatus.SENT.value
    assert {m.recipient for m in rows.values()} == {""}
