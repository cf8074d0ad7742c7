"""Every backend provides the whole `SearchBackend` interface the app talks to."""

from __future__ import annotations

import inspect

import pytest

from baerekraft_hub.search.engine import IndexBatch, SearchBackend
from baerekraft_hub.search.engine.postgresql import PostgresEngine
from baerekraft_hub.search.engine.postgresql.engine import PostgresBatch
from baerekraft_hub.search.engine.whoosh import WhooshEngine
from baerekraft_hub.search.engine.whoosh.store import IndexBatch as WhooshBatch


def interface(protocol: type) -> list[str]:
    return [name for name in vars(protocol) if not name.startswith("_")]


@pytest.mark.parametrize(
    ("protocol", "implementation"),
    [
        (SearchBackend, WhooshEngine),
        (IndexBatch, WhooshBatch),
        (SearchBackend, PostgresEngine),
        (IndexBatch, PostgresBatch),
    ],
)
def test_every_backend_has_every_method_of_the_interface(protocol, implementation):
    assert interface(protocol)
    for name in interface(protocol):
        expected = inspect.signature(getattr(protocol, name)).parameters
        assert inspect.signature(getattr(implementation, name)).parameters == expected, name


def test_a_write_block_gives_a_batch_of_the_interface(fresh_engine, corpus):
    with fresh_engine.writing() as batch:
        assert batch.index(corpus[:1]) == 1
        batch.remove(corpus[1].kind, corpus[1].id)
    assert fresh_engine.doc_count() == len(corpus) - 1
