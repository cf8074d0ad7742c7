"""The page cache: who gets a cached page, and what a cached page may never carry."""

from __future__ import annotations

import pytest

from baerekraft_hub.core.generation import changes_content
from tests.conftest import counting_queries, csrf_from
from tests.factories import PASSWORD, make_practice, make_project, make_user
from tests.pages.conftest import sign_in


@pytest.fixture()
def content(db):
    project, practice = make_project(), make_practice()
    db.session.commit()
    return {"project": project.id, "practice": practice.id}


CACHEABLE = [
    "/",
    "/prosjekter/",
    "/prosjekter/?goal=13&county=15",
    "/prosjekter/{project}/",
    "/praksis/",
    "/praksis/{practice}/",
    "/barekraftsmal/11/",
    "/barekraftsmal/delmal/11.5/",
    "/organisasjoner/molde/",
    "/kommuner/",
    "/sok?q=regnbed",
]


@pytest.mark.parametrize("path", CACHEABLE)
def test_an_anonymous_page_is_rendered_once_then_served_from_the_cache(workers, content, path):
    worker = workers[0]
    path = path.format(**content)
    client = worker.test_client()
    first = client.get(path)
    assert first.status_code == 200
    with counting_queries(worker) as queries:
        again = worker.test_client().get(path)
    assert again.status_code == 200
    assert again.get_data() == first.get_data()
    assert queries == []
    assert again.headers["ETag"] == first.headers["ETag"]
    assert "csrf_token" not in again.get_data(as_text=True)


def test_a_page_from_the_cache_carries_its_own_request_id(workers):
    """The id a user quotes must lead to their request, not to the one that filled the cache."""
    client = workers[0].test_client()
    first = client.get("/", headers={"X-Request-ID": "first-request-1"})
    again = client.get("/", headers={"X-Request-ID": "second-request-2"})
    assert again.get_data() == first.get_data()  # from the cache
    assert again.headers.getlist("X-Request-ID") == ["second-request-2"]
    assert client.get("/").headers["X-Request-ID"] not in ("first-request-1", "second-request-2")


def test_cached_pages_keep_shared_proxies_out_and_answer_conditional_requests(workers):
    client = workers[0].test_client()
    page = client.get("/")
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert {"Cookie", "Accept-Language", "HX-Request"} <= set(page.vary)
    assert page.headers["Content-Security-Policy"]
    for _ in range(2):  # the miss that stored it, then hits
        unchanged = client.get("/", headers={"If-None-Match": page.headers["ETag"]})
        assert unchanged.status_code == 304
        assert unchanged.get_data() == b""
    head = client.head("/")
    assert head.status_code == 200 and head.headers["ETag"] == page.headers["ETag"]
    assert client.get("/", headers={"If-None-Match": '"old"'}).status_code == 200


def test_each_language_gets_its_own_page(workers):
    worker = workers[0]
    bokmal = worker.test_client().get("/barekraftsmal/11/").get_data(as_text=True)
    english = worker.test_client().get("/barekraftsmal/11/", headers={"Accept-Language": "en"})
    nynorsk = worker.test_client()
    nynorsk.set_cookie("lang", "nn")
    assert '<html lang="nb"' in bokmal
    assert '<html lang="en"' in english.get_data(as_text=True)
    assert '<html lang="nn"' in nynorsk.get("/barekraftsmal/11/").get_data(as_text=True)
    assert english.headers["ETag"] != worker.test_client().get("/barekraftsmal/11/").headers["ETag"]


def test_htmx_fragments_and_whole_pages_are_kept_apart(workers):
    client = workers[0].test_client()
    page = client.get("/kommuner/?q=mol").get_data(as_text=True)
    fragment = client.get("/kommuner/?q=mol", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in page and "<html" not in fragment
    assert "<html" in client.get("/kommuner/?q=mol").get_data(as_text=True)


def test_signed_in_visitors_bypass_the_cache_both_ways(workers, db, content):
    worker = workers[0]
    user = make_user(name="Kari Nordmann", language="en")
    db.session.commit()
    path = f"/prosjekter/{content['project']}/"
    anonymous = worker.test_client().get(path).get_data(as_text=True)
    signed_in = worker.test_client()
    sign_in(signed_in, user)
    page = signed_in.get(path)
    html = page.get_data(as_text=True)
    assert "Kari Nordmann" in html and '<html lang="en"' in html and "csrf-token" in html
    assert page.headers["Cache-Control"] == "private"  # never kept by a shared proxy either
    # and what the signed-in user saw was not kept for anyone else
    again = worker.test_client().get(path).get_data(as_text=True)
    assert again == anonymous and "Kari Nordmann" not in again


def test_no_visitor_gets_another_visitors_csrf_token_and_forms_still_work(workers, db):
    worker = workers[0]
    user = make_user(email="kari@example.no")
    db.session.commit()
    first = worker.test_client()
    own_token = csrf_from(first.get("/logg-inn/").get_data(as_text=True))  # a session with a token
    home = first.get("/").get_data(as_text=True)
    assert own_token not in home and "csrf" not in home
    second = worker.test_client()
    assert second.get("/").get_data(as_text=True) == home  # from the cache
    switched = second.post("/sprak/", data={"lang": "en", "next": "/"})
    assert switched.status_code == 302
    assert '<html lang="en"' in second.get("/").get_data(as_text=True)
    # pages with a token are never cached: each visitor signs in with their own
    login_page = second.get("/logg-inn/").get_data(as_text=True)
    second_token = csrf_from(login_page)
    assert second_token != own_token
    response = second.post(
        "/logg-inn/",
        data={"csrf_token": second_token, "email": "kari@example.no", "password": PASSWORD},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert user.name in second.get("/").get_data(as_text=True)


def test_a_page_showing_a_flashed_message_is_neither_served_from_nor_kept_in_the_cache(workers):
    worker = workers[0]
    worker.test_client().get("/")
    flashed = worker.test_client()
    with flashed.session_transaction() as session:
        session["_flashes"] = [("info", "Bare for deg")]
    assert "Bare for deg" in flashed.get("/").get_data(as_text=True)
    assert "Bare for deg" not in worker.test_client().get("/").get_data(as_text=True)
    assert "Bare for deg" not in flashed.get("/").get_data(as_text=True)  # shown once


def test_a_page_showing_what_a_visitor_put_in_their_session_stays_theirs(workers):
    worker = workers[0]
    worker.test_client().get("/registrer/sjekk-e-posten/")
    registered = worker.test_client()
    with registered.session_transaction() as session:
        session["check_email"] = "kari@example.no"
    for _ in range(2):
        page = registered.get("/registrer/sjekk-e-posten/").get_data(as_text=True)
        assert "kari@example.no" in page
    for _ in range(2):
        page = worker.test_client().get("/registrer/sjekk-e-posten/").get_data(as_text=True)
        assert "kari@example.no" not in page


def test_without_the_setting_nothing_is_cached(client, content):
    page = client.get(f"/prosjekter/{content['project']}/")
    assert page.status_code == 200 and "ETag" not in page.headers


@pytest.mark.parametrize(
    ("statement", "changes"),
    [
        ("SELECT project.id FROM project", False),
        ("WITH recent AS (SELECT 1) SELECT * FROM recent", False),
        ("SAVEPOINT sa_savepoint_1", False),
        ("UPDATE project SET title=? WHERE project.id = ?", True),
        ('INSERT INTO "follow" (user_id) VALUES (%(user_id)s)', True),
        ("DELETE FROM search_index_change WHERE id IN (1)", True),  # the index moved on
        ("WITH x AS (DELETE FROM tag RETURNING id) SELECT count(*) FROM x", True),
        ("UPDATE outbox_message SET attempts=attempts+1", False),  # bookkeeping
        ("INSERT INTO digest_run (period) VALUES (?)", False),
    ],
)
def test_which_statements_make_cached_pages_old(statement, changes):
    assert changes_content(statement) is changes
