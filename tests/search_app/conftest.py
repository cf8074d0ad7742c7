"""Fixtures for search in the app: the app's own index, rebuilt from the test database."""

from __future__ import annotations

from datetime import date

import pytest

from baerekraft_hub.content.services import publish
from baerekraft_hub.practices import services as practice_services
from baerekraft_hub.projects import services as project_services
from baerekraft_hub.search.changes import rebuild_index, search_engine
from tests.factories import organisation


@pytest.fixture()
def index(app, db):
    """The app's engine over an index rebuilt from the (emptied) database."""
    rebuild_index()
    return search_engine(app)


def make_project(owner="1506", *, published=True, **overrides):
    values = dict(
        title="Overvannshåndtering i Molde sentrum",
        summary="Regnbed og åpne vannveier tar unna styrtregn.",
        description="Vi bygger **regnbed** i Storgata.",
        owner=organisation(owner),
        target_ids=["11.5", "13.1"],
        start_date=date(2024, 3, 1),
        tags=["klimatilpasning"],
    )
    values.update(overrides)
    project = project_services.create_project(project_services.ProjectData(**values), None)
    if published:
        publish(project, None)
    return project


def make_practice(owner="4601", *, published=True, **overrides):
    values = dict(
        title="Skulemat utan matsvinn",
        summary="Kantina på skulen kastar mindre mat.",
        owner=organisation(owner),
        language="nn",
        sections={"challenge": "For mykje mat vart kasta.", "lessons": "Elevane må vere med."},
        target_ids=["12.3"],
    )
    values.update(overrides)
    practice = practice_services.create_practice(practice_services.PracticeData(**values), None)
    if published:
        publish(practice, None)
    return practice
