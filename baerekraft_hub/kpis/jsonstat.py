"""JSON-stat 2.0 (Statistics Norway's API format) read into the rows of a KPI value table.

pyjstat (the parser SSB's own API examples use) flattens the cube into one observation a row;
a mapping file (README "JSON-stat") says which KPI each table's content code is, which region
codes to leave out (the whole country) and which value to take of any other dimension. Every
dimension must be the region, the contents, the time, one the mapping fixes, or have a single
category: anything else would multiply values the mapping cannot tell apart.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from flask_babel import lazy_gettext as _l

from baerekraft_hub.kpis.table import Problem, RawRow, TableFileError

DEFAULT_MAPPING = "ssb_mapping.json"
GEO_NAMES = ("Region", "KOKkommuneregion0000", "KOKfylkesregion0000")
METRIC_NAMES = ("ContentsCode",)
TIME_NAMES = ("Tid",)
_TABLE_IN_LABEL = re.compile(r"^\s*(\d{5})\s*:")


@dataclass
class TableMapping:
    contents: dict[str, str]  # content code -> KPI code
    fixed: dict[str, str] = field(default_factory=dict)  # dimension -> the category to take
    quality: str = "high"


@dataclass
class Mapping:
    tables: dict[str, TableMapping]
    strip_prefixes: tuple[str, ...] = ("K-", "F-")
    skip_regions: frozenset[str] = frozenset({"0", "EAK", "Hele landet"})

    @classmethod
    def load(cls, path: Path | None = None) -> Mapping:
        """The mapping file at `path`, or the one shipped in baerekraft_hub/data."""
        try:
            if path is None:
                data = resources.files("baerekraft_hub.data").joinpath(DEFAULT_MAPPING)
                raw = json.loads(data.read_text(encoding="utf-8"))
            else:
                raw = json.loads(Path(path).read_text(encoding="utf-8"))
            tables = {
                str(table): TableMapping(
                    contents=dict(spec["contents"]),
                    fixed=dict(spec.get("fixed", {})),
                    quality=spec.get("quality", "high"),
                )
                for table, spec in raw.get("tables", {}).items()
            }
            regions = raw.get("regions", {})
            return cls(
                tables=tables,
                strip_prefixes=tuple(regions.get("strip_prefixes", cls.strip_prefixes)),
                skip_regions=frozenset(regions.get("skip", cls.skip_regions)),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise TableFileError(f"mapping file: {error}") from None

    def region(self, code: str) -> str | None:
        """The organisation number a region code names; None for one left out."""
        if code in self.skip_regions:
            return None
        for prefix in self.strip_prefixes:
            if code.startswith(prefix):
                return code[len(prefix) :]
        return code


def looks_like_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _role(dataset, role: str, names: tuple[str, ...]) -> str | None:
    ids = dataset.get("id", [])
    for name in (dataset.get("role") or {}).get(role) or []:
        if name in ids:
            return name
    return next((name for name in names if name in ids), None)


def _table_id(dataset) -> str | None:
    table = ((dataset.get("extension") or {}).get("px") or {}).get("tableid")
    if table:
        return str(table)
    match = _TABLE_IN_LABEL.match(str(dataset.get("label") or ""))
    return match.group(1) if match else None


def read_jsonstat(data: bytes, mapping: Mapping) -> tuple[list[RawRow], list[Problem]]:
    """The table rows of a JSON-stat 2.0 dataset, and what the mapping cannot place."""
    from pyjstat import pyjstat  # here, not at the top: it loads pandas, ~60 MB per worker

    try:
        dataset = pyjstat.Dataset.read(data.decode("utf-8-sig"))
        ids, sizes = list(dataset["id"]), list(dataset["size"])
    except Exception:  # noqa: BLE001 - any parser failure means "not JSON-stat"
        raise TableFileError(_l("The file is not a JSON-stat 2.0 dataset.")) from None
    table = _table_id(dataset)
    spec = mapping.tables.get(table or "")
    if spec is None:
        message = _l("Table %(table)s is not in the mapping file.", table=table or "?")
        return [], [Problem(None, "table", message)]
    geo = _role(dataset, "geo", GEO_NAMES)
    metric = _role(dataset, "metric", METRIC_NAMES)
    time = _role(dataset, "time", TIME_NAMES)
    problems = [
        Problem(None, name, _l("The dimension %(name)s is not in the mapping file.", name=name))
        for name, size in zip(ids, sizes, strict=True)
        if name not in (geo, metric, time) and name not in spec.fixed and size > 1
    ]
    for name, wanted in ((_l("region"), geo), (_l("contents"), metric), (_l("time"), time)):
        if wanted is None:
            problems.append(
                Problem(None, None, _l("The dataset has no %(role)s dimension.", role=name))
            )
    if problems:
        return [], problems
    frame = dataset.write("dataframe", naming="id")
    for name, category in spec.fixed.items():
        if name in frame.columns:
            frame = frame[frame[name] == category]
    unknown_contents = sorted(set(frame[metric]) - spec.contents.keys())
    problems = [
        Problem(
            None,
            metric,
            _l(
                "The content code %(code)s of table %(table)s is not in the mapping file.",
                code=code,
                table=table,
            ),
        )
        for code in unknown_contents
    ]
    rows = []
    source = f"Statistisk sentralbyrå, tabell {table}"
    for number, (region, contents, year, value) in enumerate(
        zip(frame[geo], frame[metric], frame[time], frame["value"], strict=True), start=1
    ):
        organisation = mapping.region(str(region))
        if organisation is None or value is None or contents not in spec.contents:
            continue
        if isinstance(value, float) and math.isnan(value):
            continue  # ".." in SSB's tables: no figure
        cells = {
            "organisation": organisation,
            "kpi": spec.contents[contents],
            "year": str(year),
            "value": repr(float(value)),
            "quality": spec.quality,
            "source": source,
        }
        rows.append(RawRow(number, cells))
    return rows, problems
