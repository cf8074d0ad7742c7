"""Two "gunicorn workers" with the page cache on: app instances on the suite's database that
share the generation (a file in one instance folder, or Redis) but not their memory."""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest

from baerekraft_hub import create_app
from baerekraft_hub.extensions import db as _db
from baerekraft_hub.search.changes import rebuild_index
from tests.conftest import IsolatedClient

# A Redis database of the cache's tests' own, emptied before and after each test: one for
# each database's run, since `make test` runs the two side by side.
_ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
REDIS_URL = os.environ.get("PAGE_CACHE_TEST_REDIS_URL") or (
    f"redis://127.0.0.1:6379/{13 if _ON_POSTGRES else 12}"
)


@pytest.fixture(params=["memory", "redis"])
def workers(request, app, db, tmp_path, monkeypatch):
    """Two app instances with PAGE_CACHE on: the page store in memory, or in Redis."""
    overrides = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SEARCH_INDEX_DIR": app.config["SEARCH_INDEX_DIR"],
        "PAGE_CACHE": True,
    }
    redis = None
    if request.param == "redis":
        import redis as redis_client

        redis = redis_client.Redis.from_url(REDIS_URL)
        try:
            redis.flushdb()
        except redis_client.ConnectionError:
            pytest.skip(f"no Redis at {REDIS_URL}")
        overrides["REDIS_URL"] = REDIS_URL
    with app.app_context():  # an index that matches the (empty) database, whatever ran before
        rebuild_index()
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))  # the shared generation file's folder
    pair = [create_app("testing", overrides) for _ in range(2)]
    for worker in pair:
        worker.test_client_class = IsolatedClient
    yield pair
    for worker in pair:
        with worker.app_context():
            _db.session.remove()
            _db.engine.dispose()
    if redis is not None:
        redis.flushdb()


@contextmanager
def changing(worker):
    """Change data as that worker (or a command on its machine) does: commit at the end."""
    with worker.app_context():
        yield _db.session
        _db.session.commit()


def sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
