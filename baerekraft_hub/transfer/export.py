"""CSV export of the filtered project list: the list page's download and `flask projects export`.

The file is meant to be double-clicked into Excel by people in Norwegian municipalities, so:

- it starts with a UTF-8 byte order mark, without which Excel reads æøå as mojibake;
- cells are separated by semicolons by default: Norwegian Excel splits CSV on the list separator
  of the regional settings, which is ";" (the comma is the decimal mark). Pass `delimiter=","`
  for tools that want commas;
- a cell that starts with = + - @ (or a tab or carriage return) gets a leading apostrophe, so a
  title like `=HYPERLINK(...)` is shown as text instead of run as a formula (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, url_for
from sqlalchemy.orm import selectinload

from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.projects.models import Project
from baerekraft_hub.projects.queries import ProjectFilters, filtered

COLUMNS = (
    "id",
    "title",
    "summary",
    "owner",
    "owner number",
    "county",
    "status",
    "start",
    "end",
    "goals",
    "targets",
    "tags",
    "language",
    "url",
    "published_at",
)
# The project page's endpoint; `url` stays empty until that page exists.
PROJECT_ENDPOINT = "projects.show"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"

EXPORT_OPTIONS = (
    selectinload(Project.owner).selectinload(Organisation.county),
    selectinload(Project.targets),
    selectinload(Project.goals),
    selectinload(Project.tags),
)


def project_url(project: Project) -> str:
    """The project page's absolute URL (needs a request context or SERVER_NAME)."""
    if not has_request_context() and not current_app.config.get("SERVER_NAME"):
        return ""  # no site address known: the CLI passes --base-url to get one
    return url_for(PROJECT_ENDPOINT, project_id=project.id, _external=True)


def defuse(value: str) -> str:
    """The cell as text a spreadsheet will not evaluate as a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def csv_text(header: Iterable[str], rows: Iterable[list[str]]) -> str:
    """A whole CSV file as Norwegian Excel opens it: BOM, semicolons, formulas defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([defuse(cell) for cell in row])
    return BOM + buffer.getvalue()


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Oslo"))
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _county_of(owner: Organisation) -> str:
    if owner.is_county:
        return owner.name
    return owner.county.name if owner.county else ""


def project_row(project: Project, url: str) -> list[str]:
    """One project as the export's cells, in the order of COLUMNS."""
    goal_numbers = {g.number for g in project.goals} | {t.goal_number for t in project.targets}
    owner = project.owner
    cells = [
        str(project.id),
        project.title,
        project.summary,
        owner.name,
        owner.number or owner.slug,
        _county_of(owner),
        project.status,
        project.start_date.isoformat() if project.start_date else "",
        project.end_date.isoformat() if project.end_date else "",
        ", ".join(str(n) for n in sorted(goal_numbers)),
        ", ".join(t.id for t in sorted(project.targets, key=lambda t: (t.goal_number, t.position))),
        ", ".join(sorted(t.name for t in project.tags)),
        project.language,
        url,
        local_time(project.published_at),
    ]
    return [defuse(cell) for cell in cells]


def iter_csv(
    filters: ProjectFilters,
    user,
    *,
    delimiter: str = ";",
    url_of: Callable[[Project], str] = project_url,
) -> Iterator[str]:
    """The CSV in pieces (BOM and header first, then one line per project), for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")

    def line(cells: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield BOM + line(list(COLUMNS))
    query = filtered(filters, user).options(*EXPORT_OPTIONS)
    for project in db.session.scalars(query):
        yield line(project_row(project, url_of(project)))


def export_csv(
    filters: ProjectFilters,
    user,
    *,
    delimiter: str = ";",
    url_of: Callable[[Project], str] = project_url,
) -> str:
    """Every project the user may see that matches the filters (all pages), as CSV text."""
    return "".join(iter_csv(filters, user, delimiter=delimiter, url_of=url_of))
