"""Registering and confirming an account, and its bad input."""

from __future__ import annotations

import re

import pytest

from baerekraft_hub.core.outbox import OutboxMessage
from tests.accounts.helpers import GOOD_PASSWORD, errors_on, path_of, register, users
from tests.conftest import csrf_from, links_in, text_of
from tests.factories import make_user, post_form

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
    client.post("/sprak/", data={"lang": "nn", "next": "/"})  # anonymous: no token needed
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
