"""Reading and checking KPI values: the one place the CLI, the upload and the form use.

A table has one row per organisation × KPI × year (the columns in `COLUMNS`, README "KPI
values"). `read_csv_table` turns a CSV file (`;` or `,`, UTF-8 with or without BOM) into raw
rows numbered as a spreadsheet shows them (the header is row 1); `jsonstat.read_jsonstat`
gives the same raw rows from a JSON-stat file. `check_rows` validates every row against the
KPIs and organisations and returns the valid ones and every problem, each naming its row and
field. Messages are lazy strings: the browser shows them in the reader's language, the CLI in
English.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from baerekraft_hub.core.text import is_single_line
from baerekraft_hub.kpis.models import Quality
from baerekraft_hub.kpis.references import References, UnitRule, is_count
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.sdg.models import Kpi

COLUMNS = (
    "organisation",
    "kpi",
    "year",
    "value",
    "numerator",
    "denominator",
    "unit",
    "quality",
    "source",
    "verified",
    "comment",
)
REQUIRED = ("organisation", "kpi", "year", "value")
# What the preview calls each column in the reader's language (a file may name it in English
# or Norwegian, `ALIASES`); the CLI names the column itself.
COLUMN_LABELS = {
    "organisation": _l("Organisation"),
    "kpi": _l("Indicator"),
    "year": _l("Year"),
    "value": _l("Value"),
    "numerator": _l("Numerator"),
    "denominator": _l("Denominator"),
    "unit": _l("Unit"),
    "quality": _l("Data quality"),
    "source": _l("Source"),
    "verified": _l("Verified"),
    "comment": _l("Comment"),
}
# Norwegian headers a spreadsheet may already have.
ALIASES = {
    "kommune": "organisation",
    "kommunenummer": "organisation",
    "organisasjon": "organisation",
    "municipality": "organisation",
    "indikator": "kpi",
    "kpi_code": "kpi",
    "år": "year",
    "verdi": "value",
    "teller": "numerator",
    "nevner": "denominator",
    "enhet": "unit",
    "kvalitet": "quality",
    "kilde": "source",
    "verifisert": "verified",
    "kommentar": "comment",
}
FIRST_YEAR = 2000
MAX_SOURCE = 300
MAX_COMMENT = 2000
QUALITY_WORDS = {
    "high": Quality.HIGH,
    "høy": Quality.HIGH,
    "hoy": Quality.HIGH,
    "medium": Quality.MEDIUM,
    "middels": Quality.MEDIUM,
    "low": Quality.LOW,
    "lav": Quality.LOW,
}
TRUE_WORDS = {"1", "true", "yes", "ja", "x", "y", "j"}
FALSE_WORDS = {"", "0", "false", "no", "nei", "n"}
_SPACES = re.compile(r"[\s\u00a0\u202f]")


class TableFileError(Exception):
    """The file as a whole cannot be read (not CSV, missing columns, not JSON-stat)."""


@dataclass(frozen=True)
class Problem:
    """Something wrong with one field of one row (row None: the file as a whole)."""

    row: int | None
    field: str | None
    message: str

    @property
    def field_label(self) -> object:
        """The field as the reader calls it: a column's name in their language (a JSON-stat
        dimension keeps its own name)."""
        return COLUMN_LABELS.get(self.field or "", self.field)

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        return (
            f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass
class RawRow:
    number: int
    cells: dict[str, str]


@dataclass
class ValueRow:
    """A valid row: what a value becomes."""

    number: int
    organisation: Organisation
    kpi: Kpi
    year: int
    value: float
    numerator: float | None = None
    denominator: float | None = None
    quality: str = Quality.MEDIUM.value
    source: str | None = None
    verified: bool = False
    comment: str | None = None
    unit: str | None = field(default=None, compare=False)
    key: tuple[int, int, int] = field(init=False, compare=False)  # (organisation, KPI, year)

    def __post_init__(self) -> None:
        self.key = (self.organisation.id, self.kpi.id, self.year)

    def fields(self) -> dict[str, object]:
        """The stored fields (models.VALUE_FIELDS) of this row."""
        return {
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "quality": self.quality,
            "source": self.source,
            "verified": self.verified,
            "comment": self.comment,
        }


def parse_number(text: str | None) -> float | None:
    """'12,5', '12.5', '1 234,5' -> float; '' -> None; ValueError when it is no number."""
    if text is None:
        return None
    text = _SPACES.sub("", str(text))
    if not text:
        return None
    if "," in text:
        if "." in text:  # 1.234,5: the dot groups thousands
            text = text.replace(".", "")
        text = text.replace(",", ".")
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def read_csv_table(data: bytes) -> list[RawRow]:
    """The rows of a CSV file, `;`, `,` or tab separated, UTF-8 with or without BOM."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableFileError(_l("The file is not UTF-8 text. Save it as “CSV UTF-8”.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise TableFileError(_l("The file is empty.")) from None
    names = [_column_name(cell) for cell in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise TableFileError(
            _l("The file lacks the columns: %(columns)s.", columns=", ".join(missing))
        )
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = {name: cell.strip() for name, cell in zip(names, cells, strict=False) if name}
        rows.append(RawRow(number, row))
    return rows


def _column_name(header: str) -> str | None:
    name = header.strip().lower().replace(" ", "_")
    name = ALIASES.get(name, name)
    return name if name in COLUMNS else None


def check_rows(
    rows: list[RawRow], references: References | None = None, *, today: date | None = None
) -> tuple[list[ValueRow], list[Problem]]:
    """The valid rows, and every problem of the others (a row with problems is left out)."""
    references = references or References()
    this_year = (today or date.today()).year
    valid: list[ValueRow] = []
    problems: list[Problem] = []
    first_row_of: dict[tuple[int, int, int], int] = {}
    for raw in rows:
        row_problems: list[Problem] = []
        checked = check_row(raw, references, this_year, row_problems)
        if checked is not None:
            earlier = first_row_of.setdefault(checked.key, raw.number)
            if earlier != raw.number:
                row_problems.append(
                    Problem(
                        raw.number,
                        "year",
                        _l(
                            "The same organisation, KPI and year as row %(row)s.",
                            row=earlier,
                        ),
                    )
                )
        problems.extend(row_problems)
        if checked is not None and not row_problems:
            valid.append(checked)
    return valid, problems


def check_row(
    raw: RawRow, references: References, this_year: int, problems: list[Problem]
) -> ValueRow | None:
    """One row checked: a ValueRow, or None with its problems appended."""
    cells = raw.cells
    start = len(problems)

    def problem(name: str, message) -> None:
        problems.append(Problem(raw.number, name, message))

    def number(name: str) -> float | None:
        try:
            return parse_number(cells.get(name))
        except ValueError:
            problem(name, _l("“%(text)s” is not a number.", text=cells.get(name, "")[:40]))
            return None

    organisation = kpi = None
    for name in REQUIRED:
        if not cells.get(name, "").strip():
            problem(name, _l("This field is required."))
    if cells.get("organisation", "").strip():
        organisation = references.organisation(cells["organisation"])
        if organisation is None:
            problem(
                "organisation",
                _l(
                    "No municipality or organisation “%(text)s” (use its number, e.g. 1506).",
                    text=cells["organisation"][:80],
                ),
            )
    if cells.get("kpi", "").strip():
        kpi = references.kpi(cells["kpi"])
        if kpi is None:
            problem("kpi", _l("No U4SSC KPI has the code “%(code)s”.", code=cells["kpi"][:60]))
    year = None
    if cells.get("year", "").strip():
        try:
            year = int(cells["year"].strip())
        except ValueError:
            problem("year", _l("“%(text)s” is not a year.", text=cells["year"][:40]))
        else:
            if year > this_year:
                problem("year", _l("%(year)s is in the future.", year=year))
            elif year < FIRST_YEAR:
                problem("year", _l("Years before %(first)s are not taken.", first=FIRST_YEAR))
    value = number("value")
    numerator = number("numerator")
    denominator = number("denominator")
    if denominator == 0:
        problem("denominator", _l("The denominator cannot be zero."))
    unit = cells.get("unit", "").strip() or None
    if kpi is not None:
        _check_unit_and_range(
            kpi, references.units(kpi), unit, value, numerator, denominator, problem
        )
    quality = _quality(cells.get("quality", ""), problem)
    verified = _flag(cells.get("verified", ""), problem)
    source = cells.get("source", "").strip() or None
    if source is not None and (len(source) > MAX_SOURCE or not _one_line(source)):
        problem("source", _l("One line of at most %(n)s characters.", n=MAX_SOURCE))
    comment = cells.get("comment", "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT:
        problem("comment", _l("At most %(n)s characters.", n=MAX_COMMENT))
    if len(problems) > start or organisation is None or kpi is None or year is None:
        return None
    assert value is not None
    return ValueRow(
        number=raw.number,
        organisation=organisation,
        kpi=kpi,
        year=year,
        value=value,
        numerator=numerator,
        denominator=denominator,
        quality=quality,
        source=source,
        verified=verified,
        comment=comment,
        unit=unit,
    )


def _check_unit_and_range(kpi: Kpi, rule: UnitRule, unit, value, numerator, denominator, problem):
    if unit is not None and unit.lower() not in rule.names:
        problem(
            "unit",
            _l(
                "The unit of %(code)s is “%(expected)s”, not “%(unit)s”.",
                code=kpi.code,
                expected=kpi.unit_code or kpi.unit or "–",
                unit=unit[:40],
            ),
        )
    if value is not None and rule.percentage and not 0 <= value <= 100:
        problem("value", _l("A percentage is between 0 and 100."))
    elif value is not None and rule.low is not None and value < rule.low:
        if rule.low == 0 and is_count(kpi):
            problem("value", _l("A count cannot be negative."))
        elif rule.low == 0:
            problem("value", _l("The value cannot be negative."))
        else:
            problem("value", _l("The value cannot be below %(low)s.", low=f"{rule.low:g}"))
    elif value is not None and rule.high is not None and value > rule.high:
        problem("value", _l("The value cannot be above %(high)s.", high=f"{rule.high:g}"))
    for name, part in (("numerator", numerator), ("denominator", denominator)):
        if part is not None and part < 0:
            problem(name, _l("A count cannot be negative."))


def _one_line(text: str) -> bool:
    return text.isprintable() or is_single_line(text)


def _quality(text: str, problem) -> str:
    text = text.strip().casefold()
    if not text:
        return Quality.MEDIUM.value
    if text not in QUALITY_WORDS:
        problem("quality", _l("Quality is high, medium or low."))
        return Quality.MEDIUM.value
    return QUALITY_WORDS[text].value


def _flag(text: str, problem) -> bool:
    text = text.strip().casefold()
    if text in TRUE_WORDS:
        return True
    if text not in FALSE_WORDS:
        problem("verified", _l("Verified is yes or no."))
    return False
