"""Accounts through the client: register, confirm, sign in, passwords — and their bad input."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from baerekraft_hub.accounts.models import User
from baerekraft_hub.core.outbox import OutboxMessage
from tests.conftest import csrf_from, links_in, text_of
from tests.factories import PASSWORD, make_user, post_form

GOOD_PASSWORD = "grønn-fjord-lysende-kveld-42"  # noqa: S105


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def register(client, **overrides):
    data = {"name": "Kari Nordmann", "email": "kari@example.no", "password": GOOD_PASSWORD}
    data.update(overrides)
    return post_form(client, "/registrer/", data)


def errors_on(response) -> list[str]:
    html = response.get_data(as_text=True)
    return [
        re.sub(r"\s+", " ", m).strip()
        for m in re.findall(r"ds-validation-message[^>]*>([^<]*)<", html)
    ]


def users(db) -> list[User]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(User)))


# --- registering and confirming ---------------------------------------------------------------


def test_register_confirm_and_sign_in(client, db, smtp_server):
    response = register(client, email="Kari@Example.NO")
    assert response.status_code == 302
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "kari@example.no" in done

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "kari@example.no"
    assert message["Subject"] == "Bekreft e-postadressen din for Bærekraftshub"
    assert "Hei Kari Nordmann," in text_of(message)
    (user,) = users(db)
    assert user.email == "kari@example.no" and user.confirmed_at is None
    assert user.password_hash.startswith("scrypt:")

    # Not confirmed: signing in says so (and sends the link again, at most once an hour).
    response = post_form(
        client, "/logg-inn/", {"email": "kari@example.no", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 422
    assert "ikke bekreftet" in response.get_data(as_text=True)

    (link,) = links_in(message)
    response = client.get(path_of(link))
    assert response.status_code == 302 and response.headers["Location"] == "/logg-inn/"
    assert users(db)[0].confirmed_at is not None

    response = post_form(
        client, "/logg-inn/", {"email": "KARI@example.no", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/profil/"
    assert "Kari Nordmann" in client.get("/profil/").get_data(as_text=True)


def test_registration_emails_go_out_in_the_language_of_the_page(client, smtp_server):
    post_form(client, "/sprak/", {"lang": "nn", "next": "/"}, page="/")
    register(client)
    (message,) = smtp_server.wait_for(1)
    assert message["Subject"] == "Stadfest e-postadressa di for Bærekraftshub"


def page_without_tokens(client, path: str) -> str:
    """The page, without its CSRF tokens (signed with the time, so they differ by the second)."""
    html = client.get(path).get_data(as_text=True)
    return re.sub(r'(name="csrf-token" content|name="csrf_token" value)="[^"]*"', r"\1", html)


def test_a_taken_address_gets_the_same_answer_and_its_owner_an_email(client, db, smtp_server):
    """Registering must not tell whether an address has an account: its owner is told instead."""
    make_user("kari@example.no", name="Kari")
    db.session.commit()
    taken = register(client, email="KARI@Example.no", name="Noen Andre")
    taken_page = page_without_tokens(client, taken.headers["Location"])
    new = register(client, email="ola@example.no", name="Ola")
    new_page = page_without_tokens(client, new.headers["Location"])
    assert taken.status_code == new.status_code == 302
    assert taken.headers["Location"] == new.headers["Location"]
    assert taken_page.replace("kari@example.no", "ola@example.no") == new_page

    messages = {m["To"]: m for m in smtp_server.wait_for(2)}
    to_owner = messages["kari@example.no"]
    assert to_owner["Subject"] == "Du har allerede en konto på Bærekraftshub"
    assert "Hei Kari," in text_of(to_owner) and "Noen Andre" not in text_of(to_owner)
    assert [path_of(link) for link in links_in(to_owner)] == ["/logg-inn/", "/glemt-passord/"]
    assert sorted(u.email for u in users(db)) == ["kari@example.no", "ola@example.no"]
    assert next(u for u in users(db) if u.email == "kari@example.no").name == "Kari"


def test_password_rules_hold_whether_the_address_is_taken_or_not(client, db, smtp_server):
    make_user("kari@example.no")
    db.session.commit()
    taken = register(client, email="kari@example.no", password="short")
    new = register(client, email="ola@example.no", password="short")
    assert taken.status_code == new.status_code == 422
    assert errors_on(taken) == errors_on(new) == ["Bruk minst 12 tegn."]
    assert 'value="kari@example.no"' in taken.get_data(as_text=True)  # what was typed is kept
    assert len(users(db)) == 1


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("kari.example.no", "Skriv inn en e-postadresse som navn@kommune.no."),
        ("kari@", "Skriv inn en e-postadresse som navn@kommune.no."),
        ("", "Skriv inn e-postadressen din."),
    ],
)
def test_invalid_email_gets_a_clear_message(client, db, email, message):
    response = register(client, email=email)
    assert response.status_code == 422
    assert message in errors_on(response)
    assert users(db) == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort-passord", None),  # 12 characters, but guessable
        ("short", "Bruk minst 12 tegn."),
        ("passwordpassword", None),
        ("KariNordmann2024", None),  # the user's own name
        ("qwertyuiop123", None),
    ],
)
def test_weak_passwords_are_refused(client, db, password, message):
    response = register(client, password=password)
    assert response.status_code == 422
    errors = errors_on(response)
    assert errors, "expected a message next to the password"
    assert errors[0] == message or errors[0].startswith("Dette passordet er for lett å gjette")
    assert password not in response.get_data(as_text=True)
    assert users(db) == []


def test_a_double_submitted_registration_makes_one_account_and_one_email(client, db, smtp_server):
    html = client.get("/registrer/").get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(html),
        "name": "Kari Nordmann",
        "email": "kari@example.no",
        "password": GOOD_PASSWORD,
    }
    first = client.post("/registrer/", data=data)
    second = client.post("/registrer/", data=data)
    assert first.status_code == second.status_code == 302
    assert len(users(db)) == 1
    assert len(smtp_server.wait_for(1)) == 1
    assert len(list(db.session.scalars(db.select(OutboxMessage)))) == 1


def test_a_post_without_csrf_token_is_refused(client, db):
    response = client.post(
        "/registrer/", data={"name": "X", "email": "x@example.no", "password": GOOD_PASSWORD}
    )
    assert response.status_code == 400
    assert users(db) == []


@pytest.mark.parametrize("kind", ["tampered", "garbage", "wrong-purpose"])
def test_bad_confirmation_links_get_a_friendly_page(client, db, kind):
    from baerekraft_hub.accounts.tokens import Purpose, make_token

    user = make_user(confirmed=False)
    db.session.commit()
    with client.application.test_request_context():
        good = make_token(Purpose.CONFIRM_EMAIL, {"id": user.id, "email": user.email})
        other = make_token(Purpose.RESET_PASSWORD, {"id": user.id, "email": user.email})
    token = {"tampered": good[:-2] + "xx", "garbage": "not-a-token", "wrong-purpose": other}[kind]
    response = client.get(f"/bekreft/{token}/")
    assert response.status_code == 400
    assert "Lenken virker ikke" in response.get_data(as_text=True)
    assert users(db)[0].confirmed_at is None


def test_an_expired_confirmation_link_says_so_and_offers_a_new_one(app, client, db, monkeypatch):
    from baerekraft_hub.accounts.tokens import Purpose, make_token

    user = make_user(confirmed=False)
    db.session.commit()
    with app.test_request_context():
        token = make_token(Purpose.CONFIRM_EMAIL, {"id": user.id, "email": user.email})
    monkeypatch.setitem(app.config, "CONFIRM_TOKEN_MAX_AGE", -1)
    response = client.get(f"/bekreft/{token}/")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Lenken er utløpt" in html and 'href="/bekreft/ny-lenke/"' in html


def test_resend_confirmation_answers_the_same_for_any_address(client, db, smtp_server):
    make_user("new@example.no", confirmed=False)
    db.session.commit()
    known = post_form(client, "/bekreft/ny-lenke/", {"email": "new@example.no"})
    unknown = post_form(client, "/bekreft/ny-lenke/", {"email": "nobody@example.no"})
    assert known.status_code == unknown.status_code == 302
    assert [m["To"] for m in smtp_server.wait_for(1)] == ["new@example.no"]


# --- signing in and out -----------------------------------------------------------------------


def test_wrong_password_and_unknown_address_get_the_same_message(client, db):
    make_user("kari@example.no")
    db.session.commit()
    wrong = post_form(client, "/logg-inn/", {"email": "kari@example.no", "password": "feil"})
    unknown = post_form(client, "/logg-inn/", {"email": "ola@example.no", "password": "feil"})
    assert wrong.status_code == unknown.status_code == 422
    message = "E-postadressen eller passordet er feil."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert 'value="kari@example.no"' in wrong.get_data(as_text=True)


@pytest.mark.parametrize(
    ("next_value", "expected"),
    [
        ("/kommuner/?q=mol", "/kommuner/?q=mol"),
        ("//evil.example/", "/profil/"),
        ("/\\evil.example", "/profil/"),
        ("\\\\evil.example", "/profil/"),
        ("https://evil.example/", "/profil/"),
        ("javascript:alert(1)", "/profil/"),
    ],
)
def test_sign_in_goes_to_next_only_on_this_site(client, db, next_value, expected):
    make_user("kari@example.no")
    db.session.commit()
    response = post_form(
        client,
        "/logg-inn/",
        {"email": "kari@example.no", "password": PASSWORD, "next": next_value},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_a_protected_page_sends_you_to_sign_in_and_back(client, db):
    response = client.get("/profil/passord/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/logg-inn/?next=%2Fprofil%2Fpassord%2F"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Logg inn for å se denne siden." in html
    assert 'name="next" type="hidden" value="/profil/passord/"' in html


def test_remember_me_sets_a_long_lived_cookie(client, db):
    make_user("kari@example.no")
    db.session.commit()
    response = post_form(
        client, "/logg-inn/", {"email": "kari@example.no", "password": PASSWORD, "remember": "y"}
    )
    assert "remember_token=" in " ".join(response.headers.getlist("Set-Cookie"))


def test_sign_out_needs_a_post_with_token(client, login_as, db):
    login_as(make_user())
    assert client.get("/logg-ut/").status_code == 405
    assert client.post("/logg-ut/").status_code == 400
    response = post_form(client, "/logg-ut/", {}, page="/profil/")
    assert response.status_code == 302
    assert client.get("/profil/").status_code == 302


def test_signing_out_ends_the_session_and_the_remember_cookie_everywhere(app, client, db):
    """A session cookie or remember token copied before signing out is worth nothing after."""
    make_user("kari@example.no")
    db.session.commit()
    post_form(
        client, "/logg-inn/", {"email": "kari@example.no", "password": PASSWORD, "remember": "y"}
    )
    copied = {name: client.get_cookie(name).value for name in ("session", "remember_token")}

    def with_copied(name):
        thief = app.test_client()
        thief.set_cookie(name, copied[name])
        return thief

    assert with_copied("session").get("/profil/").status_code == 200
    assert with_copied("remember_token").get("/profil/").status_code == 200

    assert post_form(client, "/logg-ut/", {}, page="/profil/").status_code == 302
    assert with_copied("session").get("/profil/").status_code == 302
    assert with_copied("remember_token").get("/profil/").status_code == 302
    # and signing in again works
    response = post_form(client, "/logg-inn/", {"email": "kari@example.no", "password": PASSWORD})
    assert response.status_code == 302 and client.get("/profil/").status_code == 200


def test_signing_in_and_out_gives_a_new_csrf_token(client, db):
    make_user("kari@example.no")
    db.session.commit()
    before = csrf_from(client.get("/logg-inn/").get_data(as_text=True))
    response = client.post(
        "/logg-inn/", data={"csrf_token": before, "email": "kari@example.no", "password": PASSWORD}
    )
    assert response.status_code == 302
    # A token planted before sign-in (e.g. by someone who set the visitor's session) is refused.
    profile = {"csrf_token": before, "name": "Kari", "language": "nb"}
    assert client.post("/profil/", data=profile).status_code == 400
    signed_in = csrf_from(client.get("/profil/").get_data(as_text=True))
    assert signed_in != before
    assert client.post("/profil/", data={**profile, "csrf_token": signed_in}).status_code == 302

    assert client.post("/logg-ut/", data={"csrf_token": signed_in}).status_code == 302
    again = {"csrf_token": signed_in, "email": "kari@example.no", "password": PASSWORD}
    assert client.post("/logg-inn/", data=again).status_code == 400


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
    from baerekraft_hub.core.outbox import OutboxMessage, OutboxStatus, queue_email
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


# --- the command line -------------------------------------------------------------------------


def test_users_create_prints_a_one_time_link_to_choose_a_password(runner, client, db):
    result = runner.invoke(
        args=["users", "create", "Koordinator@KS.no", "--name", "Kari Koordinator", "--coordinator"]
    )
    assert result.exit_code == 0, result.output
    (link,) = re.findall(r"http://localhost/velg-passord/\S+", result.output)
    (user,) = users(db)
    assert user.email == "koordinator@ks.no" and user.is_coordinator and user.password_hash is None

    response = post_form(client, path_of(link), {"password": "ny-sterk-setning-om-fjorder"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.confirmed_at is not None and user.password_hash
    assert client.get(path_of(link)).status_code == 400  # used


def test_users_create_takes_no_password_and_refuses_duplicates(runner, db):
    result = runner.invoke(
        args=["users", "create", "a@example.no", "--name", "A", "--password", "x"]
    )
    assert result.exit_code != 0 and "No such option" in result.output
    assert runner.invoke(args=["users", "create", "a@example.no", "--name", "A"]).exit_code == 0
    again = runner.invoke(args=["users", "create", "A@example.no", "--name", "A"])
    assert again.exit_code != 0 and "already an account" in again.output


# --- rate limits ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "setting", "data"),
    [
        ("/logg-inn/", "RATELIMIT_LOGIN", {"email": "x@example.no", "password": "x"}),
        ("/registrer/", "RATELIMIT_REGISTER", {"name": "X", "email": "x", "password": "x"}),
        ("/glemt-passord/", "RATELIMIT_PASSWORD_RESET", {"email": "x@example.no"}),
    ],
)
def test_too_many_attempts_get_a_friendly_429(app, client, db, monkeypatch, path, setting, data):
    from baerekraft_hub.extensions import limiter

    monkeypatch.setitem(app.config, setting, "2 per minute")
    limiter.reset()
    try:
        statuses = [post_form(client, path, data).status_code for _ in range(3)]
        assert statuses[:2] != [429, 429] and statuses[2] == 429
        response = post_form(client, path, data)
        assert response.status_code == 429
        assert "For mange forsøk" in response.get_data(as_text=True)
        assert client.get(path).status_code == 200  # reading the form is never limited
    finally:
        limiter.reset()


# --- sign-in limits per client, behind a proxy or not ------------------------------------------

OWNER, ATTACKER = "198.51.100.7", "203.0.113.9"


def _sign_in(client, password, **request):
    html = client.get("/logg-inn/", **request).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "email": "kari@example.no", "password": password}
    return client.post("/logg-inn/", data=data, **request).status_code


@pytest.fixture()
def three_a_minute(app, db, client):
    """A user, and limits reset; `client` makes test clients isolated like real requests."""
    from baerekraft_hub.extensions import limiter

    make_user("kari@example.no")
    db.session.commit()
    limiter.reset()
    yield {"RATELIMIT_LOGIN": "3 per minute"}
    limiter.reset()


def test_failed_sign_ins_from_elsewhere_do_not_lock_the_owner_out(app, monkeypatch, three_a_minute):
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN", "3 per minute")
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = ATTACKER
    # Without a trusted proxy, X-Forwarded-For is the client's to invent: it changes nothing.
    tries = [
        _sign_in(attacker, "feil", headers={"X-Forwarded-For": f"10.0.0.{n}"}) for n in range(4)
    ]
    assert tries == [422, 422, 422, 429]  # the same client is still limited
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = OWNER
    assert _sign_in(owner, PASSWORD) == 302


def test_behind_a_trusted_proxy_each_visitor_is_limited_apart(app, client, three_a_minute):
    from baerekraft_hub import create_app

    overrides = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "TRUSTED_PROXIES": 1,
        **three_a_minute,
    }
    proxied = create_app("testing", overrides)
    proxied.test_client_class = type(client)
    client = proxied.test_client()  # every request comes from the proxy, 127.0.0.1
    attacker = {"headers": {"X-Forwarded-For": ATTACKER}}
    assert [_sign_in(client, "feil", **attacker) for _ in range(4)] == [422, 422, 422, 429]
    assert _sign_in(client, PASSWORD, headers={"X-Forwarded-For": OWNER}) == 302
