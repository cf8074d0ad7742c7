"""Helpers of the import tests: rows, counts, recorded signals, running the command."""

from __future__ import annotations

from contextlib import contextmanager

from baerekraft_hub.content import signals
from baerekraft_hub.extensions import db as _db

MUNICIPALITIES = ["1506", "4601", "0301", "5001", "1103", "1804", "4204", "1833", "5501", "3403"]
TARGETS = [["11.5", "13.1"], ["7.2"], ["12.5", "12.a"], ["3.4"], ["11.2", "9.1"]]


def make_rows(count: int = 40) -> list[dict]:
    """`count` valid rows: every fifth a practice, the rest projects in several states."""
    rows = []
    for i in range(count):
        kind = "practice" if i % 5 == 4 else "project"
        row = {
            "external_id": f"kilde-{i:03d}",
            "kind": kind,
            "title": f"Tiltak {i}: grønn omstilling i kommunen",
            "summary": f"Kort om tiltak {i}: hva det gjør og for hvem.",
            "description": f"## Bakgrunn\n\nTiltak nummer {i}, med **æøå**.",
            "organisation": MUNICIPALITIES[i % len(MUNICIPALITIES)],
            "sdg_targets": TARGETS[i % len(TARGETS)],
            "sdg_goals": [17] if i % 3 == 0 else [],
            "tags": ["Klimatilpasning", f"tema {i % 4}"],
            "language": ["nb", "nn", "en"][i % 3],
            "published": i % 4 != 0,
        }
        if kind == "project":
            row |= {
                "participants": ["ks"] if i % 2 else [],
                "status": ["idea", "planned", "ongoing", "completed", "stopped"][i % 5],
                "start_date": f"202{i % 5}-0{1 + i % 9}-15",
                "end_date": None if i % 2 else "2030-12-31",
            }
        rows.append(row)
    return rows


def count(model) -> int:
    return _db.session.scalar(_db.select(_db.func.count()).select_from(model))


@contextmanager
def recorded_signals():
    """Every content signal sent inside the block, as (signal name, sender)."""
    sent = []
    receivers = []
    for name in dir(signals):
        signal = getattr(signals, name)
        if hasattr(signal, "connect") and hasattr(signal, "name"):

            def receiver(sender, _name=signal.name, **kwargs):
                sent.append((_name, sender))

            signal.connect(receiver)
            receivers.append((signal, receiver))
    try:
        yield sent
    finally:
        for signal, receiver in receivers:
            signal.disconnect(receiver)


def run_import(runner, path, *args):
    return runner.invoke(args=["projects", "import", path, *args])
