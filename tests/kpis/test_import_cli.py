"""`flask kpis import`: idempotent, every problem named by row and field, nothing written
when anything is wrong (unless --skip-invalid)."""

from __future__ import annotations

from pathlib import Path

import pytest

from baerekraft_hub.extensions import db as _db
from baerekraft_hub.kpis.models import KpiValue, KpiValueVersion
from baerekraft_hub.kpis.services import import_file
from tests.factories import make_user
from tests.kpis.conftest import COUNT_KPI, PERCENT_KPI, write

HEADER = "organisation;kpi;year;value;numerator;denominator;unit;quality;source;verified;comment\n"
GOOD = (
    HEADER
    + f"1506;{PERCENT_KPI};2023;91,5;;;percent;high;SSB;ja;\n"
    + f"molde;{PERCENT_KPI};2024;92,25;;;;;;;Fra kommunens egen undersøkelse\n"
    + f"Bergen;{COUNT_KPI};2024;1 234;;;;low;;nei;\n"
)


def count(model) -> int:
    return _db.session.scalar(_db.select(_db.func.count()).select_from(model))


def run(runner, path: Path, *options: str):
    return runner.invoke(args=["kpis", "import", str(path), *options])


def test_import_creates_then_reimport_leaves_unchanged(runner, kpis, tmp_path):
    path = write(tmp_path, GOOD)
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert "created 3, updated 0, unchanged 0, skipped 0" in result.output
    values = {(v.organisation.slug, v.year): v for v in _db.session.scalars(_db.select(KpiValue))}
    assert values[("molde", 2023)].value == 91.5
    assert values[("molde", 2023)].verified is True
    assert values[("molde", 2023)].quality == "high"
    assert values[("molde", 2024)].value == 92.25
    assert values[("molde", 2024)].comment == "Fra kommunens egen undersøkelse"
    assert values[("bergen", 2024)].value == 1234

    again = run(runner, path)
    assert "created 0, updated 0, unchanged 3, skipped 0" in again.output
    assert count(KpiValueVersion) == 0


def test_a_changed_value_is_updated_and_its_earlier_version_kept(runner, kpis, tmp_path):
    run(runner, write(tmp_path, GOOD))
    changed = GOOD.replace("91,5", "93")
    result = run(runner, write(tmp_path, changed, "changed.csv"))
    assert "created 0, updated 1, unchanged 2, skipped 0" in result.output
    value = _db.session.scalars(_db.select(KpiValue).where(KpiValue.year == 2023)).one()
    assert value.value == 93
    assert [v.value for v in value.versions] == [91.5]


def test_comma_separated_with_excel_bom(runner, kpis, tmp_path):
    text = f'\ufefforganisation,kpi,year,value\n1506,{PERCENT_KPI},2022,"88,5"\n'
    result = run(runner, write(tmp_path, text))
    assert "created 1" in result.output, result.output
    assert _db.session.scalars(_db.select(KpiValue.value)).one() == 88.5


def test_dry_run_writes_nothing(runner, kpis, tmp_path):
    result = run(runner, write(tmp_path, GOOD), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run, nothing written: created 3" in result.output
    assert count(KpiValue) == 0


BAD_CASES = [
    (f"9999;{PERCENT_KPI};2023;50", "row 2, organisation: No municipality or organisation"),
    ("1506;XX: 1;2023;50", "row 2, kpi: No U4SSC KPI has the code “XX: 1”"),
    (f"1506;{PERCENT_KPI};2999;50", "row 2, year: 2999 is in the future"),
    (f"1506;{PERCENT_KPI};1999;50", "row 2, year: Years before 2000 are not taken"),
    (f"1506;{PERCENT_KPI};2023;101", "row 2, value: A percentage is between 0 and 100"),
    (f"1506;{COUNT_KPI};2023;-3", "row 2, value: A count cannot be negative"),
    (f"1506;{PERCENT_KPI};2023;50;;;tonnes", "row 2, unit: The unit of EC: ICT: ICT: 1C is"),
    (f"1506;{PERCENT_KPI};2023;50;5;0", "row 2, denominator: The denominator cannot be zero"),
    (f"1506;{PERCENT_KPI};2023;mye", "row 2, value: “mye” is not a number"),
    (f"1506;{PERCENT_KPI};tjue;50", "row 2, year: “tjue” is not a year"),
    (f"1506;{PERCENT_KPI};2023;50;;;;best", "row 2, quality: Quality is high, medium or low"),
]


@pytest.mark.parametrize(("line", "message"), BAD_CASES)
def test_bad_input_is_named_by_row_and_field_and_nothing_is_written(
    runner, kpis, tmp_path, line, message
):
    text = HEADER + line + "\n" + f"4601;{PERCENT_KPI};2023;40\n"
    result = run(runner, write(tmp_path, text))
    assert result.exit_code == 1
    assert message in result.output
    assert "nothing imported" in result.output
    assert count(KpiValue) == 0


def test_duplicate_row_names_the_first(runner, kpis, tmp_path):
    text = (
        HEADER
        + f"1506;{PERCENT_KPI};2023;50\n4601;{PERCENT_KPI};2023;1\nmolde;{PERCENT_KPI};2023;51\n"
    )
    result = run(runner, write(tmp_path, text))
    assert result.exit_code == 1
    assert "row 4, year: The same organisation, KPI and year as row 2" in result.output
    assert count(KpiValue) == 0


def test_skip_invalid_imports_the_valid_rows(runner, kpis, tmp_path):
    text = HEADER + f"1506;{PERCENT_KPI};2023;150\n4601;{PERCENT_KPI};2023;40\n"
    result = run(runner, write(tmp_path, text), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "row 2, value: A percentage is between 0 and 100" in result.output
    assert "created 1, updated 0, unchanged 0, skipped 1" in result.output
    assert count(KpiValue) == 1


def test_every_problem_of_a_row_is_reported(runner, kpis, tmp_path):
    text = HEADER + "9999;XX;1990;abc;;0\n"
    result = run(runner, write(tmp_path, text))
    for field in ("organisation", "kpi", "year", "value", "denominator"):
        assert f"row 2, {field}:" in result.output


def test_a_file_without_the_required_columns_is_refused(runner, kpis, tmp_path):
    result = run(runner, write(tmp_path, "kommune;verdi\n1506;3\n"))
    assert result.exit_code == 1
    assert "The file lacks the columns: kpi, year" in result.output


def test_not_utf8_is_refused_with_advice(runner, kpis, tmp_path):
    text = HEADER + f"Bærum;{PERCENT_KPI};2023;50\n"
    result = run(runner, write(tmp_path, text, encoding="latin-1"))
    assert result.exit_code == 1
    assert "CSV UTF-8" in result.output


def test_norwegian_headers_are_understood(runner, kpis, tmp_path):
    text = f"kommunenummer;indikator;år;verdi;kilde\n1506;{PERCENT_KPI};2021;77,7;SSB\n"
    result = run(runner, write(tmp_path, text))
    assert "created 1" in result.output, result.output


def test_an_import_is_one_activity_event_per_organisation(runner, kpis, tmp_path):
    from baerekraft_hub.activity.models import ActivityEvent

    run(runner, write(tmp_path, GOOD))
    events = list(_db.session.scalars(_db.select(ActivityEvent)))
    assert sorted((e.organisation.slug, e.details["created"]) for e in events) == [
        ("bergen", 1),
        ("molde", 2),
    ]
    assert {e.kind for e in events} == {"kpi_values"}
    run(runner, write(tmp_path, GOOD))  # unchanged: no news
    assert count(ActivityEvent) == 2


def test_demo_values_are_labelled_idempotent_and_removed_with_the_demo(runner, client, kpis):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    demo_values = list(_db.session.scalars(_db.select(KpiValue)))
    municipalities = {v.organisation_id for v in demo_values}
    assert len(municipalities) >= 3
    assert {v.year for v in demo_values} >= {2022, 2023, 2024}  # trends need several years
    assert all(v.demo for v in demo_values)
    percent = [v.value for v in demo_values if v.kpi.code == PERCENT_KPI]
    assert percent and all(0 <= p <= 100 for p in percent)
    slug = demo_values[0].organisation.slug
    page = client.get(f"/organisasjoner/{slug}/indikatorverdier/").get_data(as_text=True)
    assert ">demo<" in page

    again = runner.invoke(args=["seed", "demo"])
    assert f"demo KPI values: created 0, updated 0, unchanged {len(demo_values)}" in again.output

    removed = runner.invoke(args=["seed", "demo", "--remove"])
    assert f"{len(demo_values)} demo KPI values" in removed.output
    assert count(KpiValue) == 0


def test_each_unit_has_its_range_and_its_names(runner, kpis, tmp_path):
    """data/u4ssc_units.csv: an index lies in 0-1; a unit may be named in Norwegian."""
    text = HEADER + "1506;SC: SH: SI: 2C;2023;1,5\n" + f"1506;{PERCENT_KPI};2023;50;;;Prosent\n"
    result = run(runner, write(tmp_path, text))
    assert "row 2, value: The value cannot be above 1." in result.output
    assert "row 3" not in result.output


def test_a_real_value_over_a_demo_one_survives_the_demo(runner, kpis, tmp_path):
    runner.invoke(args=["seed", "demo"])
    demo_value = _db.session.scalars(
        _db.select(KpiValue).where(KpiValue.year == 2024).order_by(KpiValue.id)
    ).first()
    number, code = demo_value.organisation.number, demo_value.kpi.code
    text = f"organisation;kpi;year;value\n{number};{code};2024;42\n"
    assert "updated 1" in run(runner, write(tmp_path, text)).output
    again = runner.invoke(args=["seed", "demo"])
    assert "updated 0" in again.output
    runner.invoke(args=["seed", "demo", "--remove"])
    (kept,) = _db.session.scalars(_db.select(KpiValue)).all()
    assert (kept.value, kept.demo) == (42, False)


def test_an_update_keeps_the_whole_earlier_version_and_who_replaced_it(db, kpis):
    """The import writes updates in bulk (the old rows copied to versions by one statement):
    each field of the earlier version, who entered it and when, and who replaced it."""
    first, second = make_user(), make_user()
    import_file(GOOD.encode(), first)
    db.session.commit()
    molde_2023 = _db.select(KpiValue).where(KpiValue.year == 2023)
    entered_at = db.session.scalars(molde_2023).one().entered_at
    changed = GOOD.replace("2023;91,5;;;percent;high;SSB;ja;", "2023;93;;;percent;low;Egen;nei;Ny")
    report = import_file(changed.encode(), second)
    db.session.commit()
    assert report.summary() == "created 0, updated 1, unchanged 2, skipped 0"
    value = db.session.scalars(molde_2023).one()
    fields = ("value", "quality", "source", "verified", "comment", "entered_by_id")
    assert [getattr(value, f) for f in fields] == [93, "low", "Egen", False, "Ny", second.id]
    (version,) = value.versions
    assert [getattr(version, f) for f in fields] == [91.5, "high", "SSB", True, None, first.id]
    assert version.entered_at == entered_at and version.replaced_by_id == second.id
    assert version.replaced_at == value.entered_at > entered_at
    assert count(KpiValueVersion) == 1  # the two unchanged values kept no version
