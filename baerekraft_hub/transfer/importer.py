"""Import projects and practices from a JSON file (`flask projects import`).

`import_format` reads the file and validates every row before anything is written; this module
decides, row by row, what to create, update or leave alone, and does it through the services.

How rows map onto the models:

- `external_id` identifies the row in its source: a second import with the same id updates the
  project or practice instead of creating another. An id belongs to one kind; a project id
  cannot be reused for a practice.
- A practice has no single description: `description` goes into its "activities" section
  ("what was done"); its other sections are left as they are. Practices have no participants,
  status or dates: those fields are ignored for them, with a warning.
- The first of `sdg_targets` becomes a new project's main target; on an update the main target is
  kept while it is still among the targets.
- Fields the format does not carry (budget, partners, contact, KPIs, the other practice
  sections...) are never touched, so an import does not wipe what editors added on the site.
- `published: true` publishes through `content.services.publish` (signals fire). `false` keeps a
  draft a draft and takes a published item down through `content.services.unpublish`, with
  `IMPORT_UNPUBLISH_REASON`. An item taken down on the site for another reason (by the
  coordinator, say) is not republished by an import: the row is reported with a warning.
- A row whose values already match what is stored is `unchanged`: nothing is written, the
  version does not move, no signal is sent. Re-importing the same file therefore reports
  `created 0, updated 0, skipped 0, unchanged N`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import selectinload

from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.content.services import announce_created, mark_published, publish, unpublish
from baerekraft_hub.core.progress import Advance, no_progress
from baerekraft_hub.extensions import db
from baerekraft_hub.practices.models import Practice
from baerekraft_hub.practices.services import (
    PracticeData,
    build_practice,
    practice_data_of,
    update_practice,
)
from baerekraft_hub.projects.models import Project
from baerekraft_hub.projects.services import (
    ProjectData,
    build_project,
    project_data_of,
    update_project,
)
from baerekraft_hub.transfer.import_format import ImportRow, Problem, validate_rows

IMPORT_UNPUBLISH_REASON = "Unpublished by import (published: false in the source file)."
BATCH = 500  # new items built, then inserted with one flush


@dataclass
class Outcome:
    """What the import did (or, in a dry run, would do) with one valid row."""

    row: int
    external_id: str
    kind: str
    action: str  # "created", "updated" or "unchanged"
    item: Project | Practice | None = None  # None for a dry run's "created"


@dataclass
class ImportReport:
    """Everything the command prints: outcomes, problems, warnings, counts."""

    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def blocked(self) -> bool:
        """Invalid rows stopped the import (no --skip-invalid)."""
        return bool(self.problems) and not self.skipped_rows

    def summary(self) -> str:
        return (
            f"created {self.count('created')}, updated {self.count('updated')}, "
            f"skipped {len(self.skipped_rows)}, unchanged {self.count('unchanged')}"
        )


def import_rows(
    rows: list[Any],
    *,
    user=None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Advance = no_progress,
) -> ImportReport:
    """Validate all rows, then create or update; flushes, never commits.

    With any invalid row nothing is written unless `skip_invalid`; with `dry_run` nothing is
    written at all, and the outcomes say what would have happened.
    """
    valid, problems, warnings = validate_rows(rows)
    report = ImportReport(dry_run=dry_run, problems=problems, warnings=warnings)
    invalid_rows = sorted({p.row for p in report.problems})
    if invalid_rows and not skip_invalid:
        return report
    report.skipped_rows = invalid_rows
    progress(len(rows) - len(valid))
    existing = _existing_items(valid)
    for start in range(0, len(valid), BATCH):
        rows_now = valid[start : start + BATCH]
        new = [r for r in rows_now if (r.kind, r.external_id) not in existing]
        created = {} if dry_run else _create_batch(new, user)
        for row in rows_now:
            item = existing.get((row.kind, row.external_id))
            if item is None:
                outcome = Outcome(
                    row.number, row.external_id, row.kind, "created", created.get(row.number)
                )
            else:
                outcome = _import_item(row, item, user, dry_run, report)
            report.outcomes.append(outcome)
            progress(1)
    return report


def _create_batch(rows: list[ImportRow], user) -> dict[int, Project | Practice]:
    """New items by row number: built (published ones already published), inserted with one
    flush, then announced; the signals' rows (index changes, activity events) in a second."""
    items: dict[int, Project | Practice] = {}
    with db.session.no_autoflush:  # the lookups while building must not flush item by item
        for row in rows:
            ops = _ops(row.kind)
            item = ops.build(ops.data(row, None), user, external_id=row.external_id)
            if row.published:
                mark_published(item)
            items[row.number] = item
        db.session.add_all(items.values())
    db.session.flush()
    announce_created(items.values(), user)
    db.session.flush()
    return items


def _existing_items(rows: list[ImportRow]) -> dict[tuple[str, str], Project | Practice]:
    """Already imported projects and practices by (kind, external id), with what we compare."""
    found: dict[tuple[str, str], Project | Practice] = {}
    for kind, model, options in (
        (
            "project",
            Project,
            (
                selectinload(Project.owner),
                selectinload(Project.participants),
                selectinload(Project.targets),
                selectinload(Project.goals),
                selectinload(Project.tags),
                selectinload(Project.partners),
                selectinload(Project.kpis),
            ),
        ),
        (
            "practice",
            Practice,
            (
                selectinload(Practice.owner),
                selectinload(Practice.targets),
                selectinload(Practice.goals),
                selectinload(Practice.tags),
                selectinload(Practice.projects),
            ),
        ),
    ):
        ids = [r.external_id for r in rows if r.kind == kind]
        for start in range(0, len(ids), 500):
            query = (
                db.select(model)
                .where(model.external_id.in_(ids[start : start + 500]))
                .options(*options)
            )
            for item in db.session.scalars(query):
                found[(kind, item.external_id)] = item
    return found


def _main_target(row: ImportRow, current: str | None) -> str | None:
    if current in row.target_ids:
        return current
    return row.target_ids[0] if row.target_ids else None


def _project_differs(project: Project, row: ImportRow) -> bool:
    return (
        project.title != row.title
        or project.summary != row.summary
        or (project.description or "") != row.description
        or project.owner_id != row.owner.id
        or {o.id for o in project.participants}
        != {o.id for o in row.participants if o.id != row.owner.id}
        or project.status != row.status
        or project.start_date != row.start_date
        or project.end_date != row.end_date
        or {t.id for t in project.targets} != set(row.target_ids)
        or {g.number for g in project.goals} != set(row.goal_numbers)
        or {t.name for t in project.tags} != set(row.tags)
        or project.language != row.language
    )


def _practice_differs(practice: Practice, row: ImportRow) -> bool:
    return (
        practice.title != row.title
        or practice.summary != row.summary
        or (practice.activities or "") != row.description
        or practice.owner_id != row.owner.id
        or {t.id for t in practice.targets} != set(row.target_ids)
        or {g.number for g in practice.goals} != set(row.goal_numbers)
        or {t.name for t in practice.tags} != set(row.tags)
        or practice.language != row.language
    )


def _project_data(row: ImportRow, project: Project | None) -> ProjectData:
    """The row's values over the project's own: fields the format lacks stay as they are."""
    data = project_data_of(project) if project else ProjectData(row.title, row.summary, row.owner)
    data.title, data.summary, data.owner = row.title, row.summary, row.owner
    data.description = row.description
    data.participants = list(row.participants)
    data.status = row.status
    data.start_date, data.end_date = row.start_date, row.end_date
    data.target_ids = list(row.target_ids)
    data.main_target_id = _main_target(row, project.main_target_id if project else None)
    data.goal_numbers = list(row.goal_numbers)
    data.tags = list(row.tags)
    data.language = row.language
    return data


def _practice_data(row: ImportRow, practice: Practice | None) -> PracticeData:
    """The row's values over the practice's own; `description` is the activities section."""
    data = (
        practice_data_of(practice) if practice else PracticeData(row.title, row.summary, row.owner)
    )
    data.title, data.summary, data.owner = row.title, row.summary, row.owner
    data.sections = {**data.sections, "activities": row.description}
    data.target_ids = list(row.target_ids)
    data.goal_numbers = list(row.goal_numbers)
    data.tags = list(row.tags)
    data.language = row.language
    return data


def _publication_change(item, row: ImportRow, report: ImportReport) -> str | None:
    """'publish', 'unpublish' or None, following the row's `published` flag."""
    if row.published:
        if item is None or item.state == PublicationState.DRAFT:
            return "publish"
        if item.state == PublicationState.UNPUBLISHED:
            if item.unpublished_reason == IMPORT_UNPUBLISH_REASON:
                return "publish"
            report.warnings.append(
                Problem(row.number, "published", "taken down on the site; left unpublished")
            )
        return None
    if item is not None and item.state == PublicationState.PUBLISHED:
        return "unpublish"
    return None


def _apply_publication(item, change: str | None, user) -> None:
    if change == "publish":
        publish(item, user)
    elif change == "unpublish":
        unpublish(item, user, IMPORT_UNPUBLISH_REASON)


@dataclass(frozen=True)
class _KindOps:
    """How one kind is built, updated, described as service data and compared to a row."""

    build: Any
    update: Any
    data: Any  # (row, item or None) -> ProjectData | PracticeData
    differs: Any  # (item, row) -> bool


def _ops(kind: str) -> _KindOps:
    if kind == "project":
        return _KindOps(build_project, update_project, _project_data, _project_differs)
    return _KindOps(build_practice, update_practice, _practice_data, _practice_differs)


def _import_item(row: ImportRow, item, user, dry_run: bool, report: ImportReport) -> Outcome:
    """Update or leave alone one existing project or practice, then set its publication."""
    ops = _ops(row.kind)
    change = _publication_change(item, row, report)
    differs = ops.differs(item, row)
    if not dry_run:
        if differs:
            ops.update(item, ops.data(row, item), user)
        _apply_publication(item, change, user)
    action = "updated" if differs or change else "unchanged"
    return Outcome(row.number, row.external_id, row.kind, action, item)
