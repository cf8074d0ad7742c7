"""JSON-stat 2.0 from Statistics Norway: mapped to KPI values with the CSV's checks."""

from __future__ import annotations

import json
from pathlib import Path

from baerekraft_hub.extensions import db as _db
from baerekraft_hub.kpis.models import KpiValue
from tests.kpis.conftest import write

HERE = Path(__file__).parent
FIXTURE = HERE / "ssb_12345.json"
MAPPING = HERE / "ssb_mapping.json"


def run(runner, path: Path, *options: str):
    return runner.invoke(args=["kpis", "import", str(path), "--mapping", str(MAPPING), *options])


def test_an_ssb_table_is_imported_through_the_mapping(runner, kpis):
    percent_kpi, _ = kpis
    percent_kpi.unit_code = "percent"
    result = run(runner, FIXTURE)
    # 12 cells; Drammen's 2023 broadband figure is ".." (null): 11 values
    assert "created 11, updated 0, unchanged 0, skipped 0" in result.output, result.output
    values = {
        (v.organisation.number, v.kpi.code, v.year): v
        for v in _db.session.scalars(_db.select(KpiValue))
    }
    internet = values[("1506", "EC: ICT: ICT: 1C", 2023)]
    assert internet.value == 96.5
    assert internet.quality == "high"
    assert internet.source == "Statistisk sentralbyrå, tabell 12345"
    assert ("3301", "EC: ICT: ICT: 2C", 2023) not in values
    assert "created 0, updated 0, unchanged 11" in run(runner, FIXTURE).output


def test_a_dimension_the_mapping_does_not_know_is_refused(runner, kpis, tmp_path):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["id"].insert(1, "Kjonn")
    data["size"].insert(1, 2)
    data["dimension"]["Kjonn"] = {
        "label": "kjønn",
        "category": {"index": {"1": 0, "2": 1}, "label": {"1": "Menn", "2": "Kvinner"}},
    }
    data["value"] = data["value"] * 2
    path = write(tmp_path, json.dumps(data), "ssb.json")
    result = run(runner, path, "--skip-invalid")
    assert result.exit_code == 1
    assert "file, Kjonn: The dimension Kjonn is not in the mapping file" in result.output
    assert _db.session.scalar(_db.select(_db.func.count()).select_from(KpiValue)) == 0


def test_a_fixed_dimension_in_the_mapping_picks_its_category(runner, kpis, tmp_path):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["id"].append("Kjonn")
    data["size"].append(2)
    data["dimension"]["Kjonn"] = {"category": {"index": {"0": 0, "2": 1}}}
    data["value"] = [v for v in data["value"] for _ in (0, 1)]
    mapping = json.loads(MAPPING.read_text(encoding="utf-8"))
    mapping["tables"]["12345"]["fixed"] = {"Kjonn": "0"}
    result = runner.invoke(
        args=[
            "kpis",
            "import",
            str(write(tmp_path, json.dumps(data), "ssb.json")),
            "--mapping",
            str(write(tmp_path, json.dumps(mapping), "mapping.json")),
        ]
    )
    assert "created 11" in result.output, result.output


def test_unknown_municipality_in_the_region_dimension(runner, kpis, tmp_path):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["dimension"]["Region"]["category"]["index"] = {"1506": 0, "4601": 1, "9998": 2}
    result = run(runner, write(tmp_path, json.dumps(data), "ssb.json"))
    assert result.exit_code == 1
    assert "row 9, organisation: No municipality or organisation “9998”" in result.output


def test_a_table_not_in_the_mapping(runner, kpis, tmp_path):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["extension"]["px"]["tableid"] = "99999"
    result = run(runner, write(tmp_path, json.dumps(data), "ssb.json"))
    assert result.exit_code == 1
    assert "Table 99999 is not in the mapping file" in result.output


def test_not_json_stat(runner, kpis, tmp_path):
    result = run(runner, write(tmp_path, '{"hello": "world"}', "x.json"))
    assert result.exit_code == 1
    assert "not a JSON-stat 2.0 dataset" in result.output


def test_creating_the_app_does_not_load_pandas():
    """pyjstat brings pandas; a web worker that never reads JSON-stat must not pay for it."""
    import subprocess
    import sys

    code = (
        "import sys; from baerekraft_hub import create_app; create_app('testing'); "
        "print(sorted(m for m in ('pandas', 'numpy', 'pyjstat') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
