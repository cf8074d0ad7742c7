from datetime import date
from decimal import Decimal

import pytest

from baerekraft_hub.content.services import EditConflict, publish, split_tags
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.projects import services
from baerekraft_hub.projects.models import Project
from tests.factories import make_member, organisation


def project_data(**overrides):
    values = dict(
        title="Overvannshåndtering i sentrum",
        summary="Regnbed og åpne vannveier tar unna styrtregn.",
        owner=organisation("1506"),
        target_ids=["11.5", "13.1"],
        main_target_id="11.5",
        tags=["Klimatilpasning", " overvann ", "klimatilpasning"],
        start_date=date(2024, 3, 1),
    )
    values.update(overrides)
    return services.ProjectData(**values)


def test_create_project_links_targets_tags_and_keeps_the_status_history(db):
    editor = make_member("1506", "editor")
    project = services.create_project(project_data(), editor)
    assert [t.id for t in project.targets] == ["11.5", "13.1"]
    assert [g.number for g in project.all_goals] == [11, 13]
    assert sorted(t.name for t in project.tags) == ["klimatilpasning", "overvann"]
    assert project.is_draft
    assert [(c.old_status, c.new_status) for c in project.status_history] == [(None, "ongoing")]


def test_status_change_is_recorded(db):
    editor = make_member("1506", "editor")
    project = services.create_project(project_data(), editor)
    services.update_project(project, project_data(status="completed"), editor)
    assert [c.new_status for c in project.status_history] == ["ongoing", "completed"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": date(2020, 1, 1)}, "end_date"),
        ({"budget_nok": -5}, "budget_nok"),
        ({"target_ids": ["11.6", "99.9"], "main_target_id": None}, "targets"),
        ({"main_target_id": "7.2"}, "main_target"),
        ({"status": "forgotten"}, "status"),
    ],
)
def test_bad_data_is_refused_with_the_field_named(db, overrides, field):
    with pytest.raises(ValidationError) as error:
        services.create_project(project_data(**overrides), None)
    assert error.value.field == field


def test_an_edit_from_an_older_version_is_refused(db):
    editor = make_member("1506", "editor")
    project = services.create_project(project_data(), editor)
    db.session.commit()
    opened_at = project.version
    services.update_project(project, project_data(title="Saved first"), editor, opened_at)
    db.session.commit()
    with pytest.raises(EditConflict):
        services.update_project(project, project_data(title="Saved second"), editor, opened_at)


def test_indicator_progress_runs_from_baseline_to_target(db):
    project = services.create_project(project_data(), None)
    indicator = services.add_indicator(
        project,
        name="Andel tette flater",
        unit="%",
        baseline_value=Decimal(60),
        baseline_year=2022,
        target_value=Decimal(40),
        target_year=2030,
    )
    assert indicator.progress is None
    services.record_indicator_value(indicator, Decimal(50), date(2025, 6, 1), None)
    assert indicator.progress == pytest.approx(0.5)


def test_tags_are_normalised_once_each():
    assert split_tags("#Klima, klima ,  Grønn   mobilitet,,") == ["klima", "grønn mobilitet"]


def test_publish_sets_the_date_once(db):
    project = services.create_project(project_data(), None)
    publish(project, None)
    first = project.published_at
    publish(project, None)
    assert project.is_published and project.published_at == first
    assert db.session.get(Project, project.id).state == "published"
