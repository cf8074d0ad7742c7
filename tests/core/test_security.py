import pytest

from tests.factories import make_user


def test_language_switch_refuses_a_signed_in_post_without_csrf_token(client, login_as):
    login_as(make_user(language="nb"))
    response = client.post("/sprak/", data={"lang": "en", "next": "/"})
    assert response.status_code == 400
    assert "lang=" not in response.headers.get("Set-Cookie", "")
    assert '<html lang="nb"' in client.get("/").get_data(as_text=True)


def test_an_anonymous_visitor_switches_language_from_a_page_without_a_token(client):
    """Anonymous pages carry no CSRF token (so they can be cached), and the switch works."""
    page = client.get("/").get_data(as_text=True)
    assert 'name="csrf_token"' not in page
    assert 'name="csrf-token"' not in page
    response = client.post("/sprak/", data={"lang": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


def test_language_switch_remembers_the_choice(client, csrf_token):
    response = client.post(
        "/sprak/", data={"lang": "nn", "next": "/kommuner/?q=mol", "csrf_token": csrf_token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/kommuner/?q=mol"
    assert '<html lang="nn"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "evil",
    [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\t/evil.example",
    ],
)
def test_language_switch_never_redirects_off_site(client, csrf_token, evil):
    response = client.post("/sprak/", data={"lang": "en", "next": evil, "csrf_token": csrf_token})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_a_friendly_400(client, csrf_token):
    response = client.post("/sprak/", data={"lang": "xx", "csrf_token": csrf_token})
    assert response.status_code == 400
    assert "<main" in response.get_data(as_text=True)


def test_browser_language_is_used_until_a_choice_is_made(client):
    html = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en"' in html
    html = client.get("/", headers={"Accept-Language": "no,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="nb"' in html


def test_htmx_reads_only_hx_attributes_and_requests_only_its_own_site(client):
    import json
    import re

    html = client.get("/").get_data(as_text=True)
    match = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    config = json.loads(match.group(1))
    assert config["prefix"] == ""  # data-hx-* would be a second way in, and we use none
    assert config["mode"] == "same-origin"
