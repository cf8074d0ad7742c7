import re

import pytest

PAGES = [
    "/",
    "/om-nettverket/",
    "/barekraftsmal/",
    "/barekraftsmal/11/",
    "/barekraftsmal/delmal/11.6/",
    "/kommuner/",
    "/organisasjoner/molde/",
    "/organisasjoner/more-og-romsdal-fylke/",
    "/organisasjoner/ks/",
    "/tilgjengelighet/",
    "/personvern/",
]


@pytest.mark.parametrize("path", PAGES)
def test_public_page_renders_with_landmarks_and_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="nb"' in html
    assert 'href="#main"' in html and '<main id="main"' in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    # nothing from another host: no CDN, no trackers
    assert not re.search(r'(src|href)="(https?:)?//', html.replace('href="https://www.ks.no"', ""))


def test_home_page_tells_what_the_network_does(client):
    html = client.get("/").get_data(as_text=True)
    assert "Stavanger" in html and "Bærekraftsløftet" in html
    assert html.count('class="sdg-tile sdg-') == 17
    assert 'href="/barekraftsmal/"' in html and 'href="/kommuner/"' in html


def test_goal_11_lists_its_ten_targets_in_bokmal_then_english(client, csrf_token):
    html = client.get("/barekraftsmal/11/").get_data(as_text=True)
    assert len(re.findall(r'href="/barekraftsmal/delmal/11\.[0-9a-c]/"', html)) == 10
    assert "Innen 2030 sikre at alle har tilgang til tilfredsstillende" in html

    client.post(
        "/sprak/", data={"lang": "en", "next": "/barekraftsmal/11/", "csrf_token": csrf_token}
    )
    html = client.get("/barekraftsmal/11/").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "By 2030, ensure access for all to adequate, safe and affordable housing" in html


def test_text_missing_in_the_page_language_is_marked_with_its_own(client):
    # 17.10 has no official Norwegian text at all: shown in English, marked as English.
    html = client.get("/barekraftsmal/delmal/17.10/").get_data(as_text=True)
    assert '<span lang="en">Promote a universal, rules-based' in html
    # 8.1 has nynorsk but no bokmål: a bokmål reader gets the nynorsk text, marked as such.
    html = client.get("/barekraftsmal/delmal/8.1/").get_data(as_text=True)
    assert '<span lang="nn">Halde oppe ein økonomisk vekst' in html


def test_unknown_goal_and_target_are_friendly_404s(client):
    for path in ("/barekraftsmal/18/", "/barekraftsmal/delmal/99.9/", "/organisasjoner/nowhere/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Vi finner ikke siden" in response.get_data(as_text=True)


def test_goal_colours_are_served_as_css_with_readable_text(client):
    css = client.get("/sdg-farger.css")
    assert css.mimetype == "text/css"
    body = css.get_data(as_text=True)
    assert ".sdg-7{--sdg-colour:#FCC30B;--sdg-text:#000000}" in body  # yellow: black text
    assert ".sdg-17{--sdg-colour:#19486A;--sdg-text:#ffffff}" in body


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_goal_page_title_is_plain_text(client, language):
    for number in range(1, 18):
        html = client.get(
            f"/barekraftsmal/{number}/", headers={"Accept-Language": language}
        ).get_data(as_text=True)
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title and "&lt;" not in title, title


def test_a_nynorsk_reader_gets_the_goal_names_in_nynorsk(client, csrf_token):
    client.post("/sprak/", data={"lang": "nn", "next": "/", "csrf_token": csrf_token})

    overview = client.get("/barekraftsmal/").get_data(as_text=True)
    assert '<html lang="nn"' in overview
    assert "Stoppe klimaendringane" in overview and "Likestilling mellom kjønna" in overview
    assert '<span lang="nb">' not in overview  # no goal name left in bokmål

    goal = client.get("/barekraftsmal/13/").get_data(as_text=True)
    assert "<title>Mål 13: Stoppe klimaendringane" in goal
    assert "Handle umiddelbart for å motverke klimaendringane" in goal
    assert "klimaendringene" not in goal

    filters = client.get("/prosjekter/").get_data(as_text=True)
    assert ">6 Reint vatn og gode sanitærforhold</option>" in filters


@pytest.mark.parametrize(
    ("headers", "switched"),
    [
        ({"Origin": "http://localhost"}, True),
        ({"Referer": "http://localhost/barekraftsmal/"}, True),
        ({}, True),  # a browser that sends neither: nothing forged it
        ({"Origin": "https://evil.example"}, False),
        ({"Origin": "null"}, False),  # a form in a sandboxed frame
        ({"Referer": "https://evil.example/side"}, False),
    ],
)
def test_a_visitors_language_switch_must_come_from_our_own_pages(client, headers, switched):
    """Anonymous pages carry no CSRF token (they are cached): the switch is checked by where
    the browser says the form was."""
    response = client.post("/sprak/", data={"lang": "en", "next": "/"}, headers=headers)
    assert response.status_code == (302 if switched else 403)
    html = client.get("/").get_data(as_text=True)
    assert ('<html lang="en"' in html) == switched
