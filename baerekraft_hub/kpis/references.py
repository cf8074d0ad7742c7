"""What a value table may call things: organisations and KPIs by their names and codes, and
each KPI's unit (its names, and the range its values lie in: `data/u4ssc_units.csv`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from baerekraft_hub.core.reference import read_csv
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.sdg.models import Kpi

PERCENT_UNITS = {"percent", "percentage", "%"}
COUNT_UNITS = {"count", "number"}
_SPACES = re.compile(r"[\s\u00a0\u202f]")


class References:
    """Every organisation and KPI, loaded once, found by what a file may call them."""

    def __init__(self) -> None:
        self.organisations: dict[str, Organisation] = {}
        for organisation in db.session.scalars(db.select(Organisation)):
            for key in (organisation.number, organisation.slug, organisation.name):
                if key:
                    self.organisations.setdefault(key.casefold(), organisation)
        self.kpis = {_kpi_key(kpi.code): kpi for kpi in db.session.scalars(db.select(Kpi))}
        # A file names the same few things on many rows: each text is looked up once.
        self._organisation_texts: dict[str, Organisation | None] = {}
        self._kpi_texts: dict[str, Kpi | None] = {}
        self._units: dict[int, tuple[set[str], bool, bool]] = {}
        self.ranges = unit_ranges()

    def organisation(self, text: str) -> Organisation | None:
        if text not in self._organisation_texts:
            found = self.organisations.get(text.strip().casefold())
            self._organisation_texts[text] = found
        return self._organisation_texts[text]

    def kpi(self, text: str) -> Kpi | None:
        if text not in self._kpi_texts:
            self._kpi_texts[text] = self.kpis.get(_kpi_key(text))
        return self._kpi_texts[text]

    def units(self, kpi: Kpi) -> UnitRule:
        """The units a file may name for the KPI, and the range its values lie in."""
        if kpi.id not in self._units:
            unit = self.ranges.get((kpi.unit_code or "").lower())
            names = {u.strip().lower() for u in (kpi.unit_code, kpi.unit) if u}
            if unit is not None:
                names |= unit.names
            low, high = (unit.low, unit.high) if unit else (None, None)
            if is_percentage(kpi):
                low, high = 0.0, 100.0
            elif is_count(kpi) and low is None:
                low = 0.0
            self._units[kpi.id] = UnitRule(names, low, high, is_percentage(kpi))
        return self._units[kpi.id]


@dataclass(frozen=True)
class UnitRule:
    names: set[str]
    low: float | None
    high: float | None
    percentage: bool = False


def unit_ranges() -> dict[str, UnitRule]:
    """The units of `data/u4ssc_units.csv`: their names and the range values lie in."""
    try:
        rows = list(read_csv("u4ssc_units.csv"))
    except FileNotFoundError:
        return {}
    return {
        row["code"].lower(): UnitRule(
            names={
                row[n].strip().lower()
                for n in ("code", "name_en", "name_nb", "name_nn")
                if row.get(n)
            },
            low=float(row["min_value"]) if row.get("min_value") else None,
            high=float(row["max_value"]) if row.get("max_value") else None,
        )
        for row in rows
    }


def _kpi_key(code: str) -> str:
    return _SPACES.sub("", code).upper()


def is_percentage(kpi: Kpi) -> bool:
    unit = (kpi.unit_code or kpi.unit or "").strip().lower()
    return unit in PERCENT_UNITS


def is_count(kpi: Kpi) -> bool:
    unit = (kpi.unit_code or kpi.unit or "").strip().lower()
    return unit in COUNT_UNITS or unit.startswith("number")
