"""Request ids and structured logs: one id per request, in the header, the logs, the 500 page
and the emails it queued."""

from __future__ import annotations

import json

import pytest

from tests.core.outbox_helpers import rows_of
from tests.core.test_worker import register


def test_every_response_carries_a_fresh_request_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_well_formed_incoming_id_is_kept_and_anything_else_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-1234abcd.5"})
    assert kept.headers["X-Request-ID"] == "lb-1234abcd.5"
    for bad in ("short", "a b c d e f g h", "x" * 65, "<script>alert(1)</script>"):
        response = client.get("/healthz", headers={"X-Request-ID": bad})
        assert response.headers["X-Request-ID"] != bad


@pytest.mark.parametrize(
    ("language", "words"),
    [("nb", "oppgi denne referansen"), ("nn", "oppgje denne referansen"), ("en", "quote this")],
)
def test_the_500_page_shows_the_request_id_in_the_readers_language(fresh_app, language, words):
    client = fresh_app().test_client()
    client.set_cookie("lang", language)
    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert words in page
    assert response.headers["X-Request-ID"] in page


def test_production_logs_are_json_lines_with_the_request_id(fresh_app, capsys):
    client = fresh_app(LOG_FORMAT="json").test_client()
    response = client.get("/boom", headers={"X-Request-ID": "probe-0000-1111"})
    assert response.status_code == 500
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    error = next(line for line in lines if line["level"] == "ERROR")
    assert error["request_id"] == "probe-0000-1111"
    assert "RuntimeError: boom" in error["exc_info"]
    (access,) = [line for line in lines if line["logger"] == "baerekraft_hub.requests"]
    assert access["request_id"] == "probe-0000-1111"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/boom", 500)
    assert access["duration_ms"] >= 0 and access["time"]


def test_a_malformed_log_format_is_refused_by_name(fresh_app):
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        fresh_app(LOG_FORMAT="yaml")


def test_emails_queued_by_a_request_carry_its_id(client, db):
    response = register(client)
    assert response.status_code == 302
    (message,) = rows_of(db)
    assert message.request_id == response.headers["X-Request-ID"]
