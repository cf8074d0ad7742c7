"""Sentry: errors reach it when SENTRY_DSN is set, with the request id; nothing otherwise."""

from __future__ import annotations

import gzip
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import sentry_sdk


class FakeSentry(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture()
def fake_sentry():
    FakeSentry.received = []
    server = HTTPServer(("127.0.0.1", 0), FakeSentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://public@127.0.0.1:{server.server_port}/1", FakeSentry.received
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)  # back to no client at all
    server.shutdown()


def test_without_a_dsn_nothing_is_started(fresh_app):
    fresh_app().test_client().get("/boom")
    assert not sentry_sdk.get_client().is_active()


def test_an_error_goes_to_sentry_with_the_request_id(fresh_app, fake_sentry):
    dsn, received = fake_sentry
    client = fresh_app(SENTRY_DSN=dsn).test_client()
    response = client.get("/boom", headers={"X-Request-ID": "quoted-by-user-42"})
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)
    envelope = b"".join(received)
    assert b"RuntimeError" in envelope
    assert b'"request_id":"quoted-by-user-42"' in envelope.replace(b": ", b":")
