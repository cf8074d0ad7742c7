"""Fixtures of the operations tests."""

from __future__ import annotations

import logging

import pytest

from baerekraft_hub import create_app
from baerekraft_hub.ops.logs import _OurHandler
from baerekraft_hub.search.changes import rebuild_index


@pytest.fixture()
def search_index(app, db):
    """A search index in place, so that /readyz finds one."""
    rebuild_index()


@pytest.fixture()
def fresh_app(tmp_path, monkeypatch):
    """A new app (no database needed) with extra settings; its log handler removed after."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))

    def make(**settings):
        uri = f"sqlite:///{tmp_path / 'none.sqlite'}"
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": uri, **settings})
        app.config["PROPAGATE_EXCEPTIONS"] = False  # the 500 page, as in production

        @app.get("/boom")
        def boom():
            raise RuntimeError("boom")

        return app

    yield make
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(handler)
