"""The files crawlers and browsers ask every site for: favicon, robots.txt, sitemap.xml."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from baerekraft_hub.content.services import publish
from tests.factories import make_project

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_urls(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    return [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]


def test_every_page_links_the_favicon_that_is_served(client):
    html = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon.mimetype == "image/svg+xml"
    assert b"<svg" in icon.data


def test_robots_txt_points_at_the_sitemap_on_the_public_address(app, client):
    response = client.get("/robots.txt", headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert f"Sitemap: {app.config['PUBLIC_URL']}/sitemap.xml" in text.splitlines()
    assert "Disallow: /profil/" in text.splitlines()
    assert "<" not in text  # plain text, not a page


def test_sitemap_lists_public_pages_with_absolute_urls(app, client, db):
    published = make_project(title="Regnbed i Molde")
    draft = make_project(published=False, title="Hemmelig utkast")
    db.session.commit()
    base = app.config["PUBLIC_URL"]

    urls = sitemap_urls(client)

    assert all(url.startswith(base + "/") for url in urls)
    for path in (
        "/",
        "/prosjekter/",
        "/praksis/",
        "/kommuner/",
        "/barekraftsmal/",
        "/barekraftsmal/11/",
        "/barekraftsmal/delmal/11.6/",
        "/organisasjoner/molde/",
        "/organisasjoner/ks/",
        "/om-nettverket/",
    ):
        assert base + path in urls, path
    assert f"{base}/prosjekter/{published.id}/" in urls
    assert f"{base}/prosjekter/{draft.id}/" not in urls
    assert len(urls) == len(set(urls))
    assert len([u for u in urls if "/barekraftsmal/delmal/" in u]) == 169


def test_sitemap_follows_public_url_not_the_request_host(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://baerekraftshub.no")
    urls = sitemap_urls(client)
    assert urls[0] == "https://baerekraftshub.no/"
    assert not [u for u in urls if not u.startswith("https://baerekraftshub.no/")]


@pytest.mark.parametrize("items", [1, 12])
def test_sitemap_takes_the_same_number_of_queries_however_much_content(
    client, db, count_queries, items
):
    for n in range(items):
        publish(make_project(published=False, title=f"Prosjekt {n}"), None)
    db.session.commit()
    with count_queries() as statements:
        client.get("/sitemap.xml")
    assert len(statements) <= 6  # goals, targets, organisations, projects, practices
