"""Where `next` may lead (sign-in and the language switch), and links in emails."""

import pytest

from baerekraft_hub.core.urls import public_url, safe_next


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/profil/",
        "/kommuner/?q=mol",
        "/organisasjoner/molde/medlemmer/",
    ],
)
def test_paths_on_this_site_are_kept(target):
    assert safe_next(target, "/fallback/") == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "//evil.example",
        "//evil.example/logg-inn/",
        "/\\evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "https://evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "/\n/evil.example",
        "/%0d%0aSet-Cookie:x",
        "profil/",
    ],
)
def test_anything_that_may_lead_elsewhere_falls_back(target):
    expected = "/fallback/"
    result = safe_next(target, expected)
    # An encoded CR/LF is harmless text in a path: it stays a path on this site.
    if target == "/%0d%0aSet-Cookie:x":
        assert result == target and "\n" not in result
    else:
        assert result == expected


def test_public_urls_use_the_configured_address_not_the_request_host(app):
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        assert public_url("accounts.login") == "http://localhost/logg-inn/"
    app.config["PUBLIC_URL"] = "https://hub.example.no/app"
    try:
        with app.app_context():
            assert public_url("accounts.login") == "https://hub.example.no/app/logg-inn/"
    finally:
        app.config["PUBLIC_URL"] = "http://localhost"


def test_the_password_reset_link_ignores_a_forged_host_header(app, db):
    from baerekraft_hub.accounts.services import request_password_reset
    from baerekraft_hub.core.outbox import OutboxMessage
    from tests.factories import make_user

    make_user("kari@example.no")
    with app.test_request_context("/glemt-passord/", headers={"Host": "evil.example"}):
        request_password_reset("kari@example.no")
    (row,) = db.session.scalars(db.select(OutboxMessage)).all()
    assert "http://localhost/nytt-passord/" in row.body_text
    assert "evil.example" not in row.body_text + row.body_html
