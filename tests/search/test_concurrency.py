"""Four processes saving at once: no error, and the index matches the database afterwards
(with each backend: Whoosh's queued changes, PostgreSQL's documents written in the save)."""

from __future__ import annotations

import pytest

from benchmarks.concurrency_bench import run_concurrently
from tests.search.engine.conftest import BACKENDS


# Production's database, where the saves really run at the same time (SQLite serialises them).
@pytest.mark.one_database("postgresql")
@pytest.mark.parametrize("backend", BACKENDS)
def test_four_processes_saving_lose_no_index_change(app, db, backend):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    # A count, not a time: on a busy machine five seconds may hold only a handful of saves.
    figures = run_concurrently(uri, app.instance_path, seconds=1, min_saves=8, backend=backend)
    assert figures["errors"] == [], figures["errors"][:2]
    drift = (figures["missing"], figures["stale"], figures["extra"])
    assert drift == (0, 0, 0), figures
