"""Signing in and out, and the limits on sign-in attempts."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_from
from tests.factories import PASSWORD, make_user, post_form

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
