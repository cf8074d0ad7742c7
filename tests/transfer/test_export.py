"""CSV export of the filtered project list."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from baerekraft_hub.projects.queries import ProjectFilters
from baerekraft_hub.transfer.export import COLUMNS, defuse, export_csv
from tests.factories import make_member, make_project, organisation


def read(text: str, delimiter: str = ";") -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def urls(project) -> str:
    return f"https://hub.example/prosjekter/{project.id}"


def test_export_round_trips_norwegian_letters_and_every_column(db):
    project = make_project(
        participants=[organisation("1547")],
        goal_numbers=[17],
        tags=["Klimatilpasning", "overvann"],
        published_at=datetime(2024, 6, 1, 10, 30, tzinfo=UTC),
    )
    rows = read(export_csv(ProjectFilters(), None, url_of=urls))
    assert list(rows[0]) == list(COLUMNS)
    assert rows == [
        {
            "id": str(project.id),
            "title": "Overvannshåndtering i Molde sentrum",
            "summary": "Regnbed og åpne vannveier tar unna styrtregn før det når kjellerne.",
            "owner": "Molde",
            "owner number": "1506",
            "county": "Møre og Romsdal",
            "status": "ongoing",
            "start": "2024-03-01",
            "end": "2026-12-31",
            "goals": "11, 13, 17",
            "targets": "11.5, 13.1",
            "tags": "klimatilpasning, overvann",
            "language": "nb",
            "url": f"https://hub.example/prosjekter/{project.id}",
            "published_at": "2024-06-01 12:30",  # Oslo summer time
        }
    ]


def test_the_file_is_utf8_with_a_byte_order_mark_for_excel(db):
    make_project()
    data = export_csv(ProjectFilters(), None).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Møre og Romsdal".encode() in data
    assert b"\r\n" in data


@pytest.mark.parametrize(
    "title",
    ['=HYPERLINK("http://evil.example","Klikk")', "+47 kommune", "-2+3", "@SUM(A1)"],
)
def test_formula_like_cells_are_defused(db, title):
    make_project(title=title, summary="=1+1")
    row = read(export_csv(ProjectFilters(), None))[0]
    assert row["title"] == "'" + title
    assert row["summary"] == "'=1+1"


def test_defuse_leaves_ordinary_text_alone():
    assert defuse("Grønn mobilitet") == "Grønn mobilitet"
    assert defuse("") == ""
    assert defuse("\t=1") == "'\t=1"


def test_multiline_text_and_delimiters_stay_inside_their_cell(db):
    make_project(summary='Første linje; andre "del"\nneste linje, med komma')
    row = read(export_csv(ProjectFilters(), None))[0]
    assert row["summary"] == 'Første linje; andre "del"\nneste linje, med komma'


def test_comma_delimiter_for_other_tools(db):
    make_project()
    rows = read(export_csv(ProjectFilters(), None, delimiter=","), delimiter=",")
    assert rows[0]["targets"] == "11.5, 13.1"


def test_export_uses_the_list_filters_and_visibility(db):
    molde = make_project("1506")
    make_project("4601", title="Solcelleanlegg på Bergen rådhus", target_ids=["7.2"])
    make_project("1506", published=False, title="Utkast i Molde")
    by_county = read(export_csv(ProjectFilters(county="15"), None))
    assert [r["id"] for r in by_county] == [str(molde.id)]
    by_target = read(export_csv(ProjectFilters(target="7.2"), None))
    assert [r["title"] for r in by_target] == ["Solcelleanlegg på Bergen rådhus"]

    molde_member = make_member("1506", "editor")
    titles = {r["title"] for r in read(export_csv(ProjectFilters(county="15"), molde_member))}
    assert titles == {"Overvannshåndtering i Molde sentrum", "Utkast i Molde"}


def test_every_match_is_exported_not_just_one_page(db):
    for n in range(25):
        make_project(title=f"Tiltak {n}")
    rows = read(export_csv(ProjectFilters(page=2), None))
    assert len(rows) == 25


def test_a_county_owner_is_its_own_county_and_a_partner_has_none(db):
    make_project("46", title="Fylkesprosjekt")
    make_project("ks", title="Nettverksprosjekt")
    rows = {r["title"]: r for r in read(export_csv(ProjectFilters(), None))}
    assert rows["Fylkesprosjekt"]["county"] == "Vestland"
    assert rows["Nettverksprosjekt"]["county"] == ""
    assert rows["Nettverksprosjekt"]["owner number"] == "ks"


def test_export_queries_do_not_grow_with_the_number_of_projects(db, app):
    from sqlalchemy import event

    def queries_for_export() -> int:
        statements = []

        def record(*args):
            statements.append(args)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            export_csv(ProjectFilters(), None)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    make_project(participants=[organisation("1547")])
    db.session.commit()
    db.session.expire_all()
    few = queries_for_export()
    for n in range(15):
        make_project(["4601", "5001", "46"][n % 3], title=f"Tiltak {n}", target_ids=["7.2"])
    db.session.commit()
    db.session.expire_all()
    assert queries_for_export() == few


def test_flask_projects_export_writes_a_file(runner, db, tmp_path):
    make_project()
    db.session.commit()
    out = tmp_path / "prosjekter.csv"
    result = runner.invoke(args=["projects", "export", "--county", "15", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 projects written" in result.output
    rows = read(out.read_text(encoding="utf-8"))
    assert rows[0]["title"] == "Overvannshåndtering i Molde sentrum"


def test_flask_projects_export_filters_and_prints_to_stdout(runner, db):
    make_project()
    db.session.commit()
    result = runner.invoke(args=["projects", "export", "--goal", "7"])
    assert result.exit_code == 0, result.output
    assert read(result.stdout) == []
    result = runner.invoke(args=["projects", "export", "--goal", "18"])
    assert result.exit_code == 2
