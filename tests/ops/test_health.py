"""/healthz and /readyz: what a load balancer sees, also when the database is gone."""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from baerekraft_hub import create_app
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox import OutboxMessage
from tests.conftest import free_port
from tests.core.outbox_helpers import queue_one


@pytest.fixture()
def app_without_database(tmp_path, monkeypatch):
    """An app whose database URL points at `address` (a port nobody serves, by default)."""

    def make(address: str | None = None):
        monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
        address = address or f"127.0.0.1:{free_port()}"
        uri = f"postgresql://postgres@{address}/nothing"
        return create_app("testing", {"SQLALCHEMY_DATABASE_URI": uri})

    return make


def test_healthz_answers_without_a_database(app_without_database):
    response = app_without_database().test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ready_when_every_check_passes(client, search_index):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ok"
    assert response.json["failed"] == []
    assert set(response.json["checks"]) >= {"database", "migrations", "search", "outbox"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_with_the_database_refusing_connections_is_503_at_once(app_without_database):
    started = time.monotonic()
    response = app_without_database().test_client().get("/readyz")
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert "database" in response.json["failed"]
    assert response.json["checks"]["database"]["error"].startswith("failed: ")
    assert "nothing" not in response.get_data(as_text=True)  # no connection details


def test_readyz_with_a_database_that_never_answers_is_503_within_2_seconds(
    app_without_database,
):
    # A server that accepts the connection and then says nothing: a hung database host.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        app = app_without_database(f"127.0.0.1:{silent.getsockname()[1]}")
        started = time.monotonic()
        response = app.test_client().get("/readyz")
        elapsed = time.monotonic() - started
    assert elapsed < 2
    assert response.status_code == 503
    assert response.json["checks"]["database"] == {"ok": False, "ms": 1500.0, "error": "timed out"}


def test_readyz_fails_when_migrations_are_behind(client, db, search_index):
    (current,) = db.session.execute(text("SELECT version_num FROM alembic_version")).one()
    db.session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    db.session.commit()
    try:
        response = client.get("/readyz")
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
        db.session.commit()
    assert response.status_code == 503
    assert response.json["failed"] == ["migrations"]
    assert "flask db upgrade" in response.json["checks"]["migrations"]["error"]


def test_readyz_fails_when_an_email_has_waited_too_long(app, client, db, search_index):
    message = queue_one()
    limit = app.config["READYZ_OUTBOX_MAX_AGE_SECONDS"]
    message.created_at = utcnow() - timedelta(seconds=limit + 60)
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["failed"] == ["outbox"]
    assert "worker" in response.json["checks"]["outbox"]["error"]
    db.session.execute(db.update(OutboxMessage).values(created_at=utcnow()))
    db.session.commit()
    assert client.get("/readyz").status_code == 200


def test_readyz_checks_redis_only_when_configured(app, client, monkeypatch, search_index):
    assert "redis" not in client.get("/readyz").json["checks"]
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["failed"] == ["redis"]


@pytest.fixture()
def strict_default_limit(fresh_app):
    """An app where every route has a limit of 2 requests a minute (unless exempt)."""
    from baerekraft_hub.extensions import limiter

    yield fresh_app(RATELIMIT_DEFAULT="2 per minute")
    limiter.limit_manager.set_default_limits([])  # the limiter object is shared by every app
    limiter.reset()


def test_the_checks_are_never_rate_limited(strict_default_limit):
    client = strict_default_limit.test_client()
    assert [client.get("/om-nettverket/").status_code for _ in range(3)] == [200, 200, 429]
    assert {client.get("/healthz").status_code for _ in range(5)} == {200}
    assert 429 not in {client.get("/readyz").status_code for _ in range(5)}
