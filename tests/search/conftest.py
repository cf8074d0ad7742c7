"""Fixtures for search in the app: the app's own index, rebuilt from the test database."""

from __future__ import annotations

import pytest

from baerekraft_hub.search.changes import rebuild_index, search_engine


@pytest.fixture()
def index(app, db):
    """The app's engine over an index rebuilt from the (emptied) database."""
    rebuild_index()
    return search_engine(app)
