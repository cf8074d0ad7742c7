"""The search bench on the PostgreSQL backend, in a schema of its own on DATABASE_URL.

Run by search_bench.py beside the Whoosh figures when DATABASE_URL is PostgreSQL (as in
`make test-postgresql` and production); otherwise it says why it was skipped. The schema is
made by the search tables' own migration and dropped afterwards. The tests use the same
schema helper for the PostgreSQL backend's engine tests.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine

from baerekraft_hub.search.engine import SearchDocument
from baerekraft_hub.search.engine.postgresql import PostgresEngine

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str | None:
    """DATABASE_URL when it is a PostgreSQL one."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


def search_tables_ddl() -> list[str]:
    """The statements of the migration that makes the search tables (its number may change)."""
    (path,) = (ROOT / "migrations" / "versions").glob("*_search_documents.py")
    spec = importlib.util.spec_from_file_location("search_documents_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [statement.format(trgm="public") for statement in module.UPGRADE]


@contextmanager
def postgres_schema(name: str, url: str | None = None) -> Iterator[Engine]:
    """An SQLAlchemy engine whose search tables live in a fresh schema `name`, dropped after."""
    url = url or os.environ["DATABASE_URL"]
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {name}")
        # In public, where the app's migration puts it, not in the schema dropped afterwards.
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    engine = create_engine(url, connect_args={"options": f"-csearch_path={name},public"})
    with engine.begin() as connection:
        for statement in search_tables_ddl():
            connection.exec_driver_sql(statement)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        admin.dispose()


def measure(docs: Sequence[SearchDocument], queries: Sequence[str], rounds: int = 10) -> dict:
    """Rebuild from `docs`, then time each query `rounds` times (facets and hits included)."""
    url = database_url()
    if url is None:
        return {"skipped": "DATABASE_URL is not PostgreSQL"}
    with postgres_schema(f"search_bench_{os.getpid()}", url) as engine:
        backend = PostgresEngine(engine)
        started = time.perf_counter()
        backend.rebuild(docs)
        reindex = time.perf_counter() - started
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE search_document")
            connection.exec_driver_sql("ANALYZE search_word")
            size = connection.exec_driver_sql(
                "SELECT pg_total_relation_size('search_document')"
                " + pg_total_relation_size('search_word')"
            ).scalar()
        backend.search("kommune")  # a first connection, as a running server has
        timings: dict[str, list[float]] = {q: [] for q in queries}
        totals = {}
        for _ in range(rounds):
            for query in queries:
                started = time.perf_counter()
                totals[query] = backend.search(query).total
                timings[query].append((time.perf_counter() - started) * 1000)
        similar_ms = []
        for doc_id in range(1, 21):
            started = time.perf_counter()
            backend.similar(docs[doc_id].kind, docs[doc_id].id)
            similar_ms.append((time.perf_counter() - started) * 1000)
    every = sorted(t for ts in timings.values() for t in ts)
    return {
        "documents": len(docs),
        "reindex_seconds": round(reindex, 2),
        "search_ms_p50": round(statistics.median(every), 2),
        "search_ms_p95": round(every[int(len(every) * 0.95) - 1], 2),
        "similar_ms_median": round(statistics.median(similar_ms), 2),
        "table_mb": round(size / 1e6, 1),
        "per_query_ms_median": {q: round(statistics.median(t), 2) for q, t in timings.items()},
        "per_query_total": totals,
    }
