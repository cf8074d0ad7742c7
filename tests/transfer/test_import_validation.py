"""`flask projects import`: bad rows and files get clear messages; hostile content is harmless."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from baerekraft_hub.content.services import unpublish
from baerekraft_hub.core.markdown import render_markdown
from baerekraft_hub.practices.models import Practice
from baerekraft_hub.projects.models import Project
from baerekraft_hub.projects.services import project_data_of, update_project
from baerekraft_hub.transfer import importer
from tests.transfer.importing import count, make_rows, run_import


def valid_row(**changes) -> dict:
    row = make_rows(2)[1]
    row.update(changes)
    return row


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": None}, "title: missing"),
        ({"title": "   "}, "title: missing (empty)"),
        ({"title": "x" * 201}, "title: too long (201 characters, at most 200)"),
        ({"summary": "s" * 501}, "summary: too long (501 characters, at most 500)"),
        ({"title": 5}, "title: expected a string, found a number"),
        ({"external_id": None}, "external_id: missing"),
        ({"external_id": "x" * 121}, "external_id: too long"),
        ({"kind": "event"}, 'kind: "event" is not one of project, practice'),
        ({"kind": None}, "kind: missing (one of project, practice)"),
        ({"organisation": "molde"}, 'organisation: unknown organisation "molde"'),
        ({"organisation": 1506}, "organisation: expected a string"),
        ({"participants": ["ks", "0000"]}, 'participants: unknown organisation "0000"'),
        ({"participants": "ks"}, "participants: expected a list of strings"),
        ({"status": "paused"}, 'status: "paused" is not one of idea, planned'),
        ({"start_date": "15.03.2024"}, 'start_date: "15.03.2024" is not a date as YYYY-MM-DD'),
        ({"start_date": "2024-02-30"}, 'start_date: "2024-02-30" is not a real date'),
        ({"end_date": 2024}, "end_date: 2024 is not a date as YYYY-MM-DD"),
        ({"sdg_targets": ["11.6", "18.1"]}, "sdg_targets: unknown target 18.1"),
        ({"sdg_targets": [11.6]}, "sdg_targets: expected a list of strings"),
        ({"sdg_goals": [0, 7, 18]}, "sdg_goals: no goal 0, 18 (goals are 1–17)"),
        ({"sdg_goals": ["7"]}, "sdg_goals: expected a list of whole numbers 1–17"),
        ({"sdg_goals": [True]}, "sdg_goals: expected a list of whole numbers 1–17"),
        ({"tags": ["t" * 61]}, "tags: tag too long (61 characters, at most 60)"),
        ({"language": "se"}, 'language: "se" is not one of nb, nn, en'),
        ({"published": "yes"}, "published: expected true or false"),
        ({"description": "d" * 100_001}, "description: too long"),
        ({"title": "før\u0000etter"}, "title: contains a NUL character"),
        ({"summary": "\ud800"}, "summary: contains invalid Unicode (a lone surrogate)"),
        ({"tags": ["ok", "a\u0000"]}, "tags: contains a NUL character"),
    ],
)
def test_each_bad_field_is_reported_with_row_and_field(runner, write_file, db, changes, expected):
    rows = [make_rows(1)[0], valid_row(**changes)]
    result = run_import(runner, write_file(rows))
    assert result.exit_code == 1
    assert f"row 2, {expected}" in result.output
    assert "Traceback" not in result.output
    assert count(Project) == 0


def test_all_problems_of_a_row_are_reported_at_once(runner, write_file, db):
    row = valid_row(title="", organisation="nowhere", sdg_goals=[99], language="de")
    result = run_import(runner, write_file([row]))
    for field in ("title", "organisation", "sdg_goals", "language"):
        assert f"row 1, {field}:" in result.output


def test_duplicate_external_ids_in_a_file_are_refused(runner, write_file, db):
    rows = make_rows(3)
    rows[2]["external_id"] = rows[0]["external_id"]
    result = run_import(runner, write_file(rows))
    assert result.exit_code == 1
    assert "row 3, external_id: duplicate of row 1" in result.output


def test_an_external_id_keeps_its_kind(runner, write_file, db):
    rows = make_rows(1)
    run_import(runner, write_file(rows))
    rows[0]["kind"] = "practice"
    result = run_import(runner, write_file(rows))
    assert result.exit_code == 1
    assert "row 1, external_id: already used by a project" in result.output


def test_unknown_fields_and_project_fields_on_practices_are_warned_about(runner, write_file, db):
    practice = make_rows(5)[4] | {"status": "ongoing", "budsjett": 100}
    result = run_import(runner, write_file([practice]))
    assert result.exit_code == 0, result.output
    assert "warning: row 1, budsjett: unknown field, ignored" in result.output
    assert "warning: row 1, status: practices have no such field; ignored" in result.output


def test_defaults_status_ongoing_language_nb_and_draft(runner, write_file, db):
    row = {
        "external_id": "minimal",
        "kind": "project",
        "title": "Minimalt tiltak",
        "summary": "Bare det som må til.",
        "organisation": "46",
    }
    assert run_import(runner, write_file([row])).exit_code == 0
    project = db.session.scalars(db.select(Project)).one()
    assert (project.status, project.language, project.state) == ("ongoing", "nb", "draft")
    assert project.owner.name == "Vestland"


def test_an_item_taken_down_on_the_site_is_not_republished(runner, write_file, db):
    rows = make_rows(2)
    path = write_file(rows)
    run_import(runner, path)
    project = db.session.scalars(db.select(Project).where(Project.external_id == "kilde-001")).one()
    unpublish(project, None, "Inneholder personopplysninger")
    db.session.commit()
    result = run_import(runner, path)
    assert "warning: row 2, published: taken down on the site; left unpublished" in result.output
    assert "unchanged 2" in result.output
    db.session.refresh(project)
    assert project.state == "unpublished"


def test_an_item_the_import_took_down_comes_back(runner, write_file, db):
    rows = make_rows(2)
    run_import(runner, write_file(rows))
    rows[1]["published"] = False
    run_import(runner, write_file(rows))
    rows[1]["published"] = True
    assert "updated 1" in run_import(runner, write_file(rows)).output
    project = db.session.scalars(db.select(Project).where(Project.external_id == "kilde-001")).one()
    assert project.is_published


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (line 1, column 2"),
        ('{"external_id": "a"}', "expected a JSON array of objects, found an object"),
        ('"tekst"', "expected a JSON array of objects, found a string"),
        ("[" * 100_000 + "]" * 100_000, "JSON nested too deeply"),
    ],
)
def test_a_file_that_is_not_a_json_array_gets_a_clear_message(runner, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = run_import(runner, str(path))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_rows_that_are_not_objects_are_reported(runner, write_file, db):
    result = run_import(runner, write_file([make_rows(1)[0], "a row", 7, None]))
    assert result.exit_code == 1
    assert "row 2, row: expected an object, found a string" in result.output
    assert "row 3, row: expected an object, found a number" in result.output
    assert "row 4, row: expected an object, found null" in result.output


def test_missing_unreadable_and_non_utf8_files(runner, tmp_path):
    result = run_import(runner, str(tmp_path / "finnes-ikke.json"))
    assert result.exit_code == 1 and "no such file" in result.output
    result = run_import(runner, str(tmp_path))
    assert result.exit_code == 1 and "is a directory" in result.output
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('[{"title": "Tromsø"}]'.encode("latin-1"))
    result = run_import(runner, str(latin1))
    assert result.exit_code == 1 and "not UTF-8 text" in result.output


def test_a_file_with_a_byte_order_mark_is_read(runner, tmp_path, db):
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(make_rows(1)), encoding="utf-8-sig")
    assert run_import(runner, str(path)).exit_code == 0


def test_an_empty_array_imports_nothing_and_says_so(runner, write_file, db):
    result = run_import(runner, write_file([]))
    assert result.exit_code == 0
    assert "created 0, updated 0, skipped 0, unchanged 0" in result.output


HOSTILE = (
    "<script>alert(1)</script>\n\n[klikk](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n"
    '<a href="javascript:alert(1)" onclick="alert(1)">a</a> [ok](https://example.no)'
)


class _Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML (not escaped text)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_harmless(html: str) -> None:
    for tag, attrs in _Elements(html).found:
        assert tag not in {"script", "img", "div", "iframe", "style"}
        for name, value in attrs.items():
            assert not name.startswith(("on", "hx-")), name
            assert not (value or "").strip().lower().startswith("javascript:"), value


def test_hostile_markdown_is_stored_as_text_and_made_harmless_on_render(runner, write_file, db):
    rows = make_rows(5)
    rows[0]["description"] = HOSTILE
    rows[4]["description"] = HOSTILE + '\n\n<div hx-get="/admin">x</div>'
    rows[1]["title"] = "<script>alert('tittel')</script>"
    assert run_import(runner, write_file(rows)).exit_code == 0

    project = db.session.scalars(db.select(Project).where(Project.external_id == "kilde-000")).one()
    assert project.description == HOSTILE  # stored as typed: nothing the user wrote is lost
    practice = db.session.scalars(db.select(Practice)).one()
    for text in (project.description, practice.activities):
        html = str(render_markdown(text))
        assert_harmless(html)
        assert '<a href="https://example.no"' in html  # the harmless link survives
    titled = db.session.scalars(db.select(Project).where(Project.external_id == "kilde-001")).one()
    assert titled.title == "<script>alert('tittel')</script>"


def test_import_rows_flushes_but_never_commits(db):
    report = importer.import_rows(make_rows(3))
    assert report.summary() == "created 3, updated 0, skipped 0, unchanged 0"
    db.session.rollback()
    assert count(Project) == 0


def test_project_data_of_round_trips_without_changes(db):
    importer.import_rows(make_rows(2))
    project = db.session.scalars(db.select(Project).where(Project.external_id == "kilde-001")).one()
    data = project_data_of(project)
    version = project.version
    update_project(project, data, None)
    assert project_data_of(project) == data
    assert project.version == version  # nothing changed, so SQLAlchemy wrote no UPDATE


def test_no_template_bypasses_markdown_sanitising():
    """User text reaches HTML only through `|markdown` (nh3) or autoescaping, never `|safe`."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    for path in templates.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        assert "|safe" not in source.replace(" ", ""), path
        assert "autoescape false" not in source, path


@pytest.mark.parametrize("field", ["title", "external_id"])
@pytest.mark.parametrize("text", ["Regnbed\r\nBcc: eve@example.no", "Regnbed\ni sentrum", "A\tB"])
def test_a_line_break_in_a_one_line_field_is_reported_for_its_row(
    runner, write_file, db, field, text
):
    rows = make_rows(3)
    rows[1][field] = text
    result = run_import(runner, write_file(rows))
    assert result.exit_code == 1
    assert f"row 2, {field}: must be one line" in result.output
    assert count(Project) == 0 and count(Practice) == 0
