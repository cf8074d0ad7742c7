"""The bench's table: every row prints, whatever a page was measured in."""

from __future__ import annotations

from benchmarks import report


def _load(rps: float) -> dict:
    return {"rps": rps, "share": rps / 7000, "errors": 0, "requests": int(rps * 3),
            "p50": 10.0, "p95": 20.0, "p99": 30.0}  # fmt: skip


def test_a_page_measured_only_without_the_cache_prints_dashes_for_the_rest():
    figures = {
        "wrk_seconds": 3,
        "statements": {"home": 7, "probe: healthz": 0},
        "runs": {
            "cache_false": {"pages": {"home": _load(300), "probe: healthz": _load(3700)}},
            "cache_true": {"pages": {"home": _load(5000)}},
            "pathological": {"pages": {"home": _load(150)}},
        },
    }
    rows = {row[0]: row for row in report.page_rows(figures)}
    assert rows["probe: healthz"][-1] == "–"
    assert rows["probe: healthz"][7] == "–"
    assert rows["home"][-1] == "2.0"
    assert rows["home"][3] == "0.043 ✗"
