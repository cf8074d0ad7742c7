"""The JSON import format: reading the file and validating its rows (`flask projects import`).

A file is a JSON array of objects with the fields in `FIELDS` (the format of issue 4). Rows are
numbered from 1 in the order they appear in the array; every problem names its row and field,
and all of a row's problems are reported, not only the first. `importer` writes the valid rows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from baerekraft_hub.content.models import ContentLanguage
from baerekraft_hub.content.services import MAX_TAG_LENGTH, normalise_tag
from baerekraft_hub.core.text import is_single_line
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices.models import Practice
from baerekraft_hub.projects.models import Project, ProjectStatus
from baerekraft_hub.sdg.models import Target

KINDS = ("project", "practice")
FIELDS = (
    "external_id",
    "kind",
    "title",
    "summary",
    "description",
    "organisation",
    "participants",
    "status",
    "start_date",
    "end_date",
    "sdg_targets",
    "sdg_goals",
    "tags",
    "language",
    "published",
)
PROJECT_ONLY_FIELDS = ("participants", "status", "start_date", "end_date")
# Shown in lists, headings and email subjects: one line each.
SINGLE_LINE_FIELDS = ("external_id", "title")
MAX_LENGTHS = {"external_id": 120, "title": 200, "summary": 500, "description": 100_000}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ImportFileError(Exception):
    """The file as a whole cannot be read as an import file."""


@dataclass(frozen=True)
class Problem:
    """Something wrong (or, as a warning, worth knowing) about one field of one row."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"


@dataclass
class ImportRow:
    """A valid row, its references resolved to models."""

    number: int
    external_id: str
    kind: str
    title: str
    summary: str
    description: str
    owner: Organisation
    participants: list[Organisation]
    status: str
    start_date: date | None
    end_date: date | None
    target_ids: list[str]
    goal_numbers: list[int]
    tags: list[str]
    language: str
    published: bool


def read_import_file(path: str | Path) -> list[Any]:
    """The file's JSON array; ImportFileError with a readable message for anything else."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path}: is a directory, not a file") from None
    except UnicodeDecodeError:
        raise ImportFileError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise ImportFileError(f"{path}: cannot be read ({error.strerror})") from None
    return parse_import_text(text, name=str(path))


def parse_import_text(text: str, name: str = "input") -> list[Any]:
    """The JSON array in `text`; ImportFileError if it is not JSON or not an array."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"{name}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise ImportFileError(f"{name}: JSON nested too deeply") from None
    if not isinstance(data, list):
        raise ImportFileError(f"{name}: expected a JSON array of objects, found {_json_type(data)}")
    return data


def _json_type(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def _unstorable(text: str) -> str | None:
    """Why the database would refuse the text (a NUL, a lone surrogate), or None."""
    if "\x00" in text:
        return "contains a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains invalid Unicode (a lone surrogate)"
    return None


class _References:
    """Organisations, targets and existing external ids, loaded once for the whole file."""

    def __init__(self, rows: list[Any]) -> None:
        organisations = list(db.session.scalars(db.select(Organisation)))
        self.by_number = {o.number: o for o in organisations if o.number}
        self.by_slug = {o.slug: o for o in organisations if o.kind == "partner"}
        self.target_ids = set(db.session.scalars(db.select(Target.id)))
        ids = [r.get("external_id") for r in rows if isinstance(r, dict)]
        ids = [i.strip() for i in ids if isinstance(i, str) and i.strip()]
        self.used_by: dict[str, str] = {}
        for model, kind in ((Project, "project"), (Practice, "practice")):
            for external_id in _chunked_scalars(model.external_id, ids):
                self.used_by[external_id] = kind

    def organisation(self, reference: str) -> Organisation | None:
        reference = reference.strip()
        if reference.isdigit():
            return self.by_number.get(reference)
        return self.by_slug.get(reference.casefold())


def _chunked_scalars(column, values: list[str], size: int = 500) -> list:
    found = []
    for start in range(0, len(values), size):
        chunk = values[start : start + size]
        found.extend(db.session.scalars(db.select(column).where(column.in_(chunk))))
    return found


class _RowChecker:
    """Validates one row, collecting every problem instead of stopping at the first."""

    def __init__(self, number: int, raw: dict, refs: _References) -> None:
        self.number = number
        self.raw = raw
        self.refs = refs
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def problem(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.number, name, message))

    def warn(self, name: str, message: str) -> None:
        self.warnings.append(Problem(self.number, name, message))

    def text(self, name: str, *, required: bool) -> str:
        value = self.raw.get(name)
        if value is None:
            if required:
                self.problem(name, "missing")
            return ""
        if not isinstance(value, str):
            self.problem(name, f"expected a string, found {_json_type(value)}")
            return ""
        value = value.strip()
        if _unstorable(value):
            self.problem(name, _unstorable(value))
            return ""
        if name in SINGLE_LINE_FIELDS and not is_single_line(value):
            self.problem(name, "must be one line (no line breaks, tabs or control characters)")
        if required and not value:
            self.problem(name, "missing (empty)")
        limit = MAX_LENGTHS.get(name)
        if limit and len(value) > limit:
            self.problem(name, f"too long ({len(value)} characters, at most {limit})")
        return value

    def choice(self, name: str, choices: tuple[str, ...], default: str | None) -> str:
        value = self.raw.get(name)
        if value is None and default is not None:
            return default
        if value is None:
            self.problem(name, f"missing (one of {', '.join(choices)})")
            return ""
        if not isinstance(value, str) or value not in choices:
            self.problem(name, f"{json.dumps(value)} is not one of {', '.join(choices)}")
            return ""
        return value

    def string_list(self, name: str) -> list[str]:
        value = self.raw.get(name)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(name, "expected a list of strings")
            return []
        for item in value:
            if _unstorable(item):
                self.problem(name, _unstorable(item))
                return []
        return [v.strip() for v in value if v.strip()]

    def date(self, name: str) -> date | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
            self.problem(name, f"{json.dumps(value)} is not a date as YYYY-MM-DD")
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            self.problem(name, f"{json.dumps(value)} is not a real date")
            return None

    def check(self) -> ImportRow | None:
        for name in self.raw:
            if name not in FIELDS:
                self.warn(name, "unknown field, ignored")
        external_id = self.text("external_id", required=True)
        kind = self.choice("kind", KINDS, default=None)
        title = self.text("title", required=True)
        summary = self.text("summary", required=True)
        description = self.text("description", required=False)
        owner = self._organisation()
        participants = self._participants()
        status = self.choice("status", tuple(ProjectStatus), default=ProjectStatus.ONGOING.value)
        start_date, end_date = self.date("start_date"), self.date("end_date")
        if start_date and end_date and end_date < start_date:
            self.problem("end_date", f"{end_date} is before start_date {start_date}")
        target_ids = self._targets()
        goal_numbers = self._goals()
        tags = self._tags()
        language = self.choice("language", tuple(ContentLanguage), default="nb")
        published = self.raw.get("published", False)
        if published is None:
            published = False
        if not isinstance(published, bool):
            self.problem("published", "expected true or false")
        if kind == "practice":
            for name in PROJECT_ONLY_FIELDS:
                if self.raw.get(name) not in (None, []):
                    self.warn(name, "practices have no such field; ignored")
        if self.problems:
            return None
        return ImportRow(
            number=self.number,
            external_id=external_id,
            kind=kind,
            title=title,
            summary=summary,
            description=description,
            owner=owner,
            participants=participants,
            status=status,
            start_date=start_date,
            end_date=end_date,
            target_ids=target_ids,
            goal_numbers=goal_numbers,
            tags=tags,
            language=language,
            published=published,
        )

    def _organisation(self) -> Organisation | None:
        value = self.raw.get("organisation")
        if value is None:
            self.problem("organisation", "missing")
            return None
        if not isinstance(value, str):
            self.problem(
                "organisation", 'expected a string: an official number ("1506") or a partner slug'
            )
            return None
        found = self.refs.organisation(value)
        if found is None:
            self.problem("organisation", f"unknown organisation {json.dumps(value)}")
        return found

    def _participants(self) -> list[Organisation]:
        found = []
        for reference in self.string_list("participants"):
            organisation = self.refs.organisation(reference)
            if organisation is None:
                self.problem("participants", f"unknown organisation {json.dumps(reference)}")
            else:
                found.append(organisation)
        return list(dict.fromkeys(found))

    def _targets(self) -> list[str]:
        ids = list(dict.fromkeys(i.lower() for i in self.string_list("sdg_targets")))
        unknown = [i for i in ids if i not in self.refs.target_ids]
        if unknown:
            self.problem("sdg_targets", f"unknown target {', '.join(unknown)}")
        return ids

    def _goals(self) -> list[int]:
        value = self.raw.get("sdg_goals")
        if value is None:
            return []
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            self.problem("sdg_goals", "expected a list of whole numbers 1–17")
            return []
        outside = [str(v) for v in value if not 1 <= v <= 17]
        if outside:
            self.problem("sdg_goals", f"no goal {', '.join(outside)} (goals are 1–17)")
        return list(dict.fromkeys(value))

    def _tags(self) -> list[str]:
        tags = []
        for tag in self.string_list("tags"):
            cleaned = " ".join(tag.lstrip("#").split())
            if len(cleaned) > MAX_TAG_LENGTH:
                self.problem(
                    "tags", f"tag too long ({len(cleaned)} characters, at most {MAX_TAG_LENGTH})"
                )
            elif normalise_tag(cleaned):
                tags.append(normalise_tag(cleaned))
        return list(dict.fromkeys(tags))


def validate_rows(rows: list[Any]) -> tuple[list[ImportRow], list[Problem], list[Problem]]:
    """Check every row: (the valid rows, resolved; the problems; the warnings)."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    refs = _References(rows)
    valid: list[ImportRow] = []
    first_seen: dict[str, int] = {}
    for number, raw in enumerate(rows, start=1):
        if not isinstance(raw, dict):
            problems.append(Problem(number, "row", f"expected an object, found {_json_type(raw)}"))
            continue
        checker = _RowChecker(number, raw, refs)
        row = checker.check()
        external_id = raw.get("external_id")
        if isinstance(external_id, str) and external_id.strip():
            key = external_id.strip()
            if key in first_seen:
                checker.problem("external_id", f"duplicate of row {first_seen[key]}")
                row = None
            else:
                first_seen[key] = number
                other = refs.used_by.get(key)
                kind = raw.get("kind")
                if other and kind in KINDS and other != kind:
                    checker.problem("external_id", f"already used by a {other}")
                    row = None
        problems.extend(checker.problems)
        warnings.extend(checker.warnings)
        if row is not None:
            valid.append(row)
    return valid, problems, warnings
