"""Idempotent loading of shipped reference rows: create, update what changed, count both."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from typing import Any

from baerekraft_hub.core.progress import Advance, no_progress
from baerekraft_hub.extensions import db


def read_csv(name: str) -> Iterator[dict[str, str]]:
    """Rows of a CSV file shipped in `baerekraft_hub/data`."""
    with resources.files("baerekraft_hub.data").joinpath(name).open(encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


# Shipped CSV files read where they are used, never loaded into the database.
NOT_SEEDED = frozenset({"u4ssc_units.csv"})


def reference_row_count() -> int:
    """How many rows `flask seed reference` loads from the shipped CSV files: the length of
    its progress."""
    files = resources.files("baerekraft_hub.data").iterdir()
    seeded = [f.name for f in files if f.name.endswith(".csv") and f.name not in NOT_SEEDED]
    return sum(sum(1 for _ in read_csv(name)) for name in seeded)


def blank_to_none(value: str | None) -> str | None:
    """CSV cells are '' when empty; the database says NULL."""
    return value if value not in ("", None) else None


class Upserter:
    """Applies rows to a model by primary or natural key and counts what it changed."""

    def __init__(self, progress: Advance = no_progress) -> None:
        self.changes: Counter[str] = Counter()
        self.progress = progress

    def apply(self, model: type, key: dict[str, Any], values: dict[str, Any]) -> Any:
        """Insert the row, or update the fields that differ; return the instance."""
        self.progress(1)
        instance = db.session.scalars(db.select(model).filter_by(**key)).one_or_none()
        if instance is None:
            instance = model(**key, **values)
            db.session.add(instance)
            self.changes["created"] += 1
            return instance
        changed = False
        for field, value in values.items():
            if getattr(instance, field) != value:
                setattr(instance, field, value)
                changed = True
        if changed:
            self.changes["updated"] += 1
        return instance
