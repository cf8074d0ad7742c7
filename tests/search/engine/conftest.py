"""Search fixtures: the shipped test corpus as SearchDocuments, and engines built from it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from baerekraft_hub.search.engine import SearchDocument
from baerekraft_hub.search.engine.whoosh import WhooshEngine

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


@pytest.fixture(scope="session")
def engine(tmp_path_factory, corpus) -> WhooshEngine:
    """A read-only engine over the corpus, shared by tests that only search."""
    engine = WhooshEngine(tmp_path_factory.mktemp("search-index"))
    engine.rebuild(corpus)
    return engine


@pytest.fixture
def fresh_engine(tmp_path, corpus) -> WhooshEngine:
    """An engine of its own, for tests that write."""
    engine = WhooshEngine(tmp_path / "index")
    engine.rebuild(corpus)
    return engine
