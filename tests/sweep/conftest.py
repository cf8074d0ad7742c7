"""The world both sweeps read: demo and hostile content, built once for the package."""

from __future__ import annotations

import pytest

from baerekraft_hub.search.changes import apply_pending_changes
from tests.sweep.world import build_world, remove_world


@pytest.fixture(scope="package")
def world(app):
    with app.app_context():
        world = build_world()
        apply_pending_changes()
    yield world
    with app.app_context():
        remove_world()
