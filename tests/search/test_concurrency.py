"""Four processes saving at once: no error, and the index matches the database afterwards."""

from __future__ import annotations

import pytest

from benchmarks.concurrency_bench import run_concurrently


# Production's database, where the saves really run at the same time (SQLite serialises them).
@pytest.mark.one_database("postgresql")
def test_four_processes_saving_lose_no_index_change(app, db):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    # A count, not a time: on a busy machine five seconds may hold only a handful of saves.
    figures = run_concurrently(uri, app.instance_path, seconds=1, min_saves=8)
    assert figures["errors"] == [], figures["errors"][:2]
    drift = (figures["missing"], figures["stale"], figures["extra"])
    assert drift == (0, 0, 0), figures
