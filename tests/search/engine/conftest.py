"""Search fixtures: the shipped test corpus as SearchDocuments, and engines built from it.

`engine` and `fresh_engine` are every backend in turn (Whoosh, and PostgreSQL when the suite
runs on it): a test of what search does takes them and so holds for both. `whoosh_engine` and
`fresh_whoosh` are for tests of how the Whoosh backend works inside.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from baerekraft_hub.search.engine import SearchBackend, SearchDocument
from baerekraft_hub.search.engine.postgresql import PostgresEngine
from baerekraft_hub.search.engine.whoosh import WhooshEngine
from benchmarks.search_postgresql import postgres_schema

HERE = Path(__file__).parent


def load_corpus() -> list[SearchDocument]:
    """The relevance corpus; updated_at spreads the documents over time, newest last."""
    rows = json.loads((HERE / "corpus.json").read_text("utf-8"))
    start = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        SearchDocument(
            **row,
            url=f"/{row['kind']}/{row['id']}",
            updated_at=start + timedelta(days=row["id"]),
        )
        for row in rows
    ]


def load_queries() -> list[dict]:
    """Queries with the ids of the documents that should be found."""
    return json.loads((HERE / "queries.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def corpus() -> list[SearchDocument]:
    return load_corpus()


def on_postgresql() -> bool:
    """Whether this run's database (DATABASE_URL) is PostgreSQL."""
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


# Every backend, for the tests of the one contract. The PostgreSQL backend runs only when the
# suite runs on PostgreSQL (DATABASE_URL), in a schema of its own on the suite's database.
BACKENDS = [
    "whoosh",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not on_postgresql(), reason="DATABASE_URL is not PostgreSQL"),
    ),
]


@contextmanager
def backend_of(name: str, folder: Path, schema: str) -> Iterator[SearchBackend]:
    """A backend of the named kind, empty."""
    if name == "whoosh":
        yield WhooshEngine(folder)
        return
    with postgres_schema(schema) as engine:
        yield PostgresEngine(engine)


@pytest.fixture(scope="session", params=BACKENDS)
def engine(request, tmp_path_factory, corpus) -> Iterator[SearchBackend]:
    """A read-only backend over the corpus, shared by tests that only search."""
    folder = tmp_path_factory.mktemp("search-index")
    with backend_of(request.param, folder, "search_engine_shared") as backend:
        backend.rebuild(corpus)
        yield backend


@pytest.fixture(params=BACKENDS)
def fresh_engine(request, tmp_path, corpus) -> Iterator[SearchBackend]:
    """A backend of its own, for tests that write."""
    with backend_of(request.param, tmp_path / "index", "search_engine_fresh") as backend:
        backend.rebuild(corpus)
        yield backend


@pytest.fixture(scope="session")
def whoosh_engine(tmp_path_factory, corpus) -> WhooshEngine:
    """A read-only Whoosh engine, for tests of how the Whoosh backend works inside."""
    engine = WhooshEngine(tmp_path_factory.mktemp("whoosh-index"))
    engine.rebuild(corpus)
    return engine


@pytest.fixture
def fresh_whoosh(tmp_path, corpus) -> WhooshEngine:
    """A Whoosh engine of its own, for tests of its storage."""
    engine = WhooshEngine(tmp_path / "index")
    engine.rebuild(corpus)
    return engine
