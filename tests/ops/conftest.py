"""Fixtures of the operations tests."""

from __future__ import annotations

import pytest

from baerekraft_hub.search.changes import rebuild_index


@pytest.fixture()
def search_index(app, db):
    """A search index in place, so that /readyz finds one."""
    rebuild_index()
