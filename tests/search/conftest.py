"""Fixtures for search in the app: the app's own backend, rebuilt from the test database.

`index` is each backend in turn (Whoosh, and PostgreSQL when the suite runs on it), so a test
of what search does in the app holds for both; `whoosh_only` skips what only the Whoosh
backend has (an index folder, its write lock).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from baerekraft_hub.ops.metrics import TimedSearch
from baerekraft_hub.search.changes import in_transaction, rebuild_index, search_engine
from baerekraft_hub.search.engine import SearchBackend
from baerekraft_hub.search.engine.postgresql import PostgresEngine
from baerekraft_hub.search.engine.whoosh import WhooshEngine
from tests.search.engine.conftest import BACKENDS


@contextmanager
def using_backend(app, name: str) -> Iterator[SearchBackend]:
    """The app searching with the named backend for a block (as SEARCH_BACKEND=name would)."""
    from baerekraft_hub.extensions import db

    saved, setting = app.extensions["search_engine"], app.config["SEARCH_BACKEND"]
    if name == "postgresql":
        app.extensions["search_engine"] = TimedSearch(PostgresEngine(db.engine))
    app.config["SEARCH_BACKEND"] = name
    try:
        yield search_engine(app)
    finally:
        app.extensions["search_engine"], app.config["SEARCH_BACKEND"] = saved, setting


@pytest.fixture(params=BACKENDS)
def index(request, app, db):
    """The app's backend (each in turn) over documents rebuilt from the (emptied) database."""
    with using_backend(app, request.param) as backend:
        rebuild_index()
        yield backend


def queued(backend: SearchBackend) -> bool:
    """Whether changes wait in search_index_change rows (Whoosh), or are written at once."""
    return not in_transaction(backend)


def whoosh_only(backend: SearchBackend) -> WhooshEngine:
    """Skip a test of the Whoosh backend's own workings on another backend."""
    inner = getattr(backend, "_backend", backend)  # the app's is wrapped by ops/metrics.py
    if not isinstance(inner, WhooshEngine):
        pytest.skip("about the Whoosh backend's index folder")
    return inner
