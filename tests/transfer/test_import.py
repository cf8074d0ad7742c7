"""`flask projects import`: importing, idempotency and dry runs."""

from __future__ import annotations

from datetime import date

from baerekraft_hub.practices.models import Practice
from baerekraft_hub.practices.services import practice_data_of, update_practice
from baerekraft_hub.projects.models import Project, StatusChange
from baerekraft_hub.projects.services import project_data_of, update_project
from tests.transfer.importing import count, make_rows, recorded_signals, run_import


def test_a_40_row_file_is_imported(runner, write_file, db):
    result = run_import(runner, write_file(make_rows()))
    assert result.exit_code == 0, result.output
    assert "created 40, updated 0, skipped 0, unchanged 0" in result.output
    assert count(Project) == 32 and count(Practice) == 8

    project = db.session.scalars(db.select(Project).where(Project.external_id == "kilde-001")).one()
    assert project.owner.number == "4601"
    assert [o.slug for o in project.participants] == ["ks"]
    assert [t.id for t in project.targets] == ["7.2"]
    assert project.main_target_id == "7.2"
    assert project.status == "planned"
    assert project.start_date == date(2021, 2, 15) and project.end_date is None
    assert {t.name for t in project.tags} == {"klimatilpasning", "tema 1"}
    assert project.language == "nn" and project.is_published

    practice = db.session.scalars(
        db.select(Practice).where(Practice.external_id == "kilde-009")
    ).one()
    assert practice.activities.startswith("## Bakgrunn") and practice.challenge is None
    assert practice.is_published and practice.owner.number == "3403"
    draft = db.session.scalars(db.select(Project).where(Project.external_id == "kilde-000")).one()
    assert draft.is_draft and [g.number for g in draft.goals] == [17]


def test_reimporting_the_same_file_changes_nothing(runner, write_file, db):
    path = write_file(make_rows())
    assert run_import(runner, path).exit_code == 0
    versions = dict(db.session.execute(db.select(Project.external_id, Project.version)).all())
    history = count(StatusChange)
    db.session.expire_all()

    with recorded_signals() as sent:
        result = run_import(runner, path)

    assert result.exit_code == 0, result.output
    assert "created 0, updated 0, skipped 0, unchanged 40" in result.output
    assert sent == []
    db.session.expire_all()
    assert dict(db.session.execute(db.select(Project.external_id, Project.version)).all()) == (
        versions
    )
    assert count(StatusChange) == history


def test_a_changed_row_updates_only_that_item(runner, write_file, db):
    rows = make_rows()
    run_import(runner, write_file(rows))
    rows[1]["title"] = "Nytt namn på tiltaket"
    rows[2]["status"] = "completed"
    rows[3]["published"] = False  # was published: taken down
    with recorded_signals() as sent:
        result = run_import(runner, write_file(rows))
    assert "created 0, updated 3, skipped 0, unchanged 37" in result.output
    names = [name for name, _ in sent]
    assert names.count("content-unpublished") == 1
    assert names.count("project-status-changed") == 1
    changed = db.session.scalars(db.select(Project).where(Project.external_id == "kilde-002")).one()
    assert [c.new_status for c in changed.status_history] == ["ongoing", "completed"]
    down = db.session.scalars(db.select(Project).where(Project.external_id == "kilde-003")).one()
    assert down.state == "unpublished" and down.unpublished_reason


def test_new_rows_publish_through_the_publish_service(runner, write_file, db):
    rows = make_rows(2)  # row 1 a draft, row 2 published
    with recorded_signals() as sent:
        run_import(runner, write_file(rows))
    published = [sender.external_id for name, sender in sent if name == "content-published"]
    assert published == ["kilde-001"]


def test_fields_the_format_lacks_survive_a_reimport(runner, write_file, db):
    rows = make_rows(5)
    run_import(runner, write_file(rows))
    project = db.session.scalars(db.select(Project).where(Project.external_id == "kilde-001")).one()
    data = project_data_of(project)
    data.budget_nok, data.contact_name = 250_000, "Prosjektleder, Bergen kommune"
    data.partners = [("Høgskulen på Vestlandet", "academia")]
    update_project(project, data, None)
    practice = db.session.scalars(
        db.select(Practice).where(Practice.external_id == "kilde-004")
    ).one()
    practice_data = practice_data_of(practice)
    practice_data.sections["lessons"] = "Start smått."
    update_practice(practice, practice_data, None)
    db.session.commit()

    rows[1]["summary"] = "Ny kortomtale."
    rows[4]["description"] = "Ny beskrivelse av hva som ble gjort."
    assert "updated 2" in run_import(runner, write_file(rows)).output

    db.session.expire_all()
    assert project.summary == "Ny kortomtale."
    assert project.budget_nok == 250_000 and project.contact_name.startswith("Prosjektleder")
    assert [p.name for p in project.partners] == ["Høgskulen på Vestlandet"]
    assert practice.activities == "Ny beskrivelse av hva som ble gjort."
    assert practice.lessons == "Start smått."


def test_a_file_with_one_bad_row_imports_nothing(runner, write_file, db):
    rows = make_rows()
    rows[16]["sdg_targets"] = ["11.6", "99.9"]
    result = run_import(runner, write_file(rows))
    assert result.exit_code == 1
    assert "row 17, sdg_targets: unknown target 99.9" in result.output
    assert "1 of 40 rows invalid: nothing imported" in result.output
    assert count(Project) == 0 and count(Practice) == 0


def test_skip_invalid_imports_the_good_rows(runner, write_file, db):
    rows = make_rows(10)
    rows[2]["title"] = ""
    rows[7]["organisation"] = "9999"
    result = run_import(runner, write_file(rows), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "row 3, title: missing" in result.output
    assert 'row 8, organisation: unknown organisation "9999"' in result.output
    assert "created 8, updated 0, skipped 2, unchanged 0" in result.output
    imported = set(db.session.scalars(db.select(Project.external_id)))
    assert "kilde-002" not in imported and "kilde-007" not in imported and len(imported) == 6


def test_dry_run_writes_nothing_and_says_what_would_happen(runner, write_file, db):
    rows = make_rows(6)
    run_import(runner, write_file(rows[:3]))
    rows[0]["title"] = "Endret tittel"
    db.session.expire_all()
    with recorded_signals() as sent:
        result = run_import(runner, write_file(rows), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "row 1 (project kilde-000): would be updated" in result.output
    assert "row 4 (project kilde-003): would be created" in result.output
    assert "dry run, nothing written: created 3, updated 1, skipped 0, unchanged 2" in (
        result.output
    )
    assert sent == []
    db.session.expire_all()
    assert count(Project) == 3
    assert db.session.scalar(db.select(Project.title).where(Project.external_id == "kilde-000"))
    assert "Endret" not in db.session.scalar(
        db.select(Project.title).where(Project.external_id == "kilde-000")
    )


def test_dry_run_with_a_bad_row_fails_like_the_real_run(runner, write_file, db):
    rows = make_rows(3)
    rows[1]["end_date"] = "2019-01-01"
    result = run_import(runner, write_file(rows), "--dry-run")
    assert result.exit_code == 1
    assert "row 2, end_date: 2019-01-01 is before start_date 2021-02-15" in result.output
