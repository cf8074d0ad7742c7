"""A kept page is answered by a WSGI middleware before Flask's request machinery, exactly as
Flask's own hit path answers it."""

from __future__ import annotations

from werkzeug.test import Client

from baerekraft_hub.core import pagecache
from tests.conftest import counting_queries


def _without_id(headers) -> dict:
    return {k: v for k, v in headers.items() if k != "X-Request-ID"}


def _count_flask_requests(worker) -> list:
    """The requests the middleware hands on to Flask."""
    handed_on, flask_app = [], worker.wsgi_app.wsgi_app

    def counted(environ, start_response):
        handed_on.append(environ["PATH_INFO"])
        return flask_app(environ, start_response)

    worker.wsgi_app.wsgi_app = counted
    return handed_on


def test_a_hit_skips_flask_and_sends_what_flasks_own_hit_path_sends(workers):
    worker = workers[0]
    flask_only = Client(worker.wsgi_app.wsgi_app)  # the app behind the middleware
    handed_on = _count_flask_requests(worker)
    seen = []
    pagecache.on_hit(worker, seen.append)
    client = worker.test_client()
    assert client.get("/").status_code == 200  # the miss that keeps it
    assert handed_on == ["/"]
    with counting_queries(worker) as queries:
        hit = client.get("/", headers={"X-Request-ID": "middleware-hit-1"})
    assert handed_on == ["/"] and queries == []  # Flask never ran
    assert hit.headers["X-Request-ID"] == "middleware-hit-1"
    assert [(s.endpoint, s.status, s.request_id) for s in seen] == [
        ("pages.home", 200, "middleware-hit-1")
    ]

    through_flask = flask_only.get("/", headers={"X-Request-ID": "flask-hit-2"})
    assert len(seen) == 1  # Flask's own hit path
    assert through_flask.get_data() == hit.get_data()
    assert _without_id(through_flask.headers) == _without_id(hit.headers)
    assert through_flask.headers["X-Request-ID"] == "flask-hit-2"

    etag = hit.headers["ETag"]
    for app_client in (client, flask_only):
        unchanged = app_client.get("/", headers={"If-None-Match": etag})
        assert unchanged.status_code == 304 and unchanged.get_data() == b""
        assert _without_id(unchanged.headers)["ETag"] == etag
        head = app_client.head("/")
        assert head.status_code == 200 and head.get_data() == b""
        assert head.headers["Content-Length"] == hit.headers["Content-Length"]
    assert handed_on == ["/"]


def test_visitors_with_a_session_or_a_post_go_through_flask(workers, db):
    worker = workers[0]
    handed_on = _count_flask_requests(worker)
    client = worker.test_client()
    client.get("/")
    client.get("/")
    assert handed_on == ["/"]
    client.set_cookie("session", "anything")  # whatever it holds: Flask decides
    client.get("/")
    assert handed_on == ["/", "/"]
    client.delete_cookie("session")
    client.post("/sprak/", data={"lang": "en"})
    assert handed_on == ["/", "/", "/sprak/"]
