"""Demo content, so that a new site looks alive (`flask seed demo`, run once by `make run`).

The content is `baerekraft_hub/data/demo_content.json`: 30 projects and practices in the import
format, loaded through the importer, so a second load changes nothing. Each row also carries
fields the import format lacks, which this module applies through the services and which the
importer never sees:

- projects: contact_name, budget_nok, funding_sources, partners ([name, type]), involved,
  updates ([{date, title, body}], added once by title), indicators (added once by name; the
  latest value kept in step with the file);
- practices: sections (challenge, results, lessons ...; `description` is the activities
  section), contact_name, projects (external ids of linked projects), reused_by (organisation
  numbers marked as reusing the practice);
- both: published_at (a date), applied once when the item is created so the list does not show
  thirty items published the same second.

The organisations that own demo content are marked members of the network since their first
demo item's date, unless they already were; removing the demo content takes back those marks.

Demo content is labelled so that nobody takes it for real: its external id starts with `demo-`,
its title ends with "(demo)", and it has the tag "demo" (so `?tag=demo` lists all of it).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from importlib import resources
from zoneinfo import ZoneInfo

from baerekraft_hub.content.services import delete
from baerekraft_hub.core.progress import Advance, no_progress
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import OrgKind
from baerekraft_hub.organisations.services import get_by_reference, set_network_member
from baerekraft_hub.practices.models import Practice
from baerekraft_hub.practices.services import mark_reused, practice_data_of, update_practice
from baerekraft_hub.projects.models import Project
from baerekraft_hub.projects.services import (
    add_indicator,
    post_update,
    project_data_of,
    record_indicator_value,
    update_project,
)
from baerekraft_hub.transfer.import_format import FIELDS
from baerekraft_hub.transfer.importer import import_rows

DEMO_FILE = "demo_content.json"
DEMO_PREFIX = "demo-"
DEMO_TAG = "demo"
_OSLO = ZoneInfo("Europe/Oslo")


class DemoContentError(Exception):
    """The shipped demo file does not import (a bug in the file, or no reference data)."""


def demo_rows() -> list[dict]:
    """The rows of the shipped demo file."""
    text = resources.files("baerekraft_hub.data").joinpath(DEMO_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def demo_loaded() -> bool:
    """Whether any demo project or practice is in the database."""
    return any(
        db.session.scalar(
            db.select(model.id).where(model.external_id.startswith(DEMO_PREFIX)).limit(1)
        )
        for model in (Project, Practice)
    )


def load_demo(user=None, progress: Advance = no_progress) -> Counter[str]:
    """Create or update the demo content; counts items 'created', 'updated', 'unchanged'.

    Flushes, never commits. A second call with the same file changes nothing.
    """
    rows = demo_rows()
    report = import_rows(
        [{k: v for k, v in row.items() if k in FIELDS} for row in rows],
        user=user,
        progress=progress,
    )
    if report.problems:
        raise DemoContentError("; ".join(str(p) for p in report.problems))
    outcomes = {o.external_id: o for o in report.outcomes}
    projects = {o.external_id: o.item for o in report.outcomes if o.kind == "project"}
    counts: Counter[str] = Counter()
    for row in rows:
        outcome = outcomes[row["external_id"]]
        if outcome.kind == "project":
            changed = _apply_project_extras(outcome.item, row, user)
        else:
            changed = _apply_practice_extras(outcome.item, row, projects, user)
        if outcome.action == "created":
            _backdate(outcome.item, row)
        counts["updated" if outcome.action == "unchanged" and changed else outcome.action] += 1
    for organisation, since in _demo_network_members(rows):
        if organisation.network_member_since is None:
            set_network_member(organisation, since)
    return counts


def remove_demo(user=None) -> int:
    """Delete every demo project and practice (and what hangs on them); how many."""
    removed = 0
    for model in (Practice, Project):
        query = db.select(model).where(model.external_id.startswith(DEMO_PREFIX))
        for item in db.session.scalars(query).all():
            delete(item, user)
            removed += 1
    for organisation, since in _demo_network_members(demo_rows()):
        if organisation.network_member_since == since:  # a date set by hand stays
            set_network_member(organisation, None)
    return removed


def _demo_network_members(rows: list[dict]) -> list[tuple]:
    """The municipalities and counties owning demo rows, each with its first demo date."""
    first: dict[str, date] = {}
    for row in rows:
        day = date.fromisoformat(row.get("published_at") or "2019-06-01")
        first[row["organisation"]] = min(day, first.get(row["organisation"], day))
    pairs = [(get_by_reference(ref), day) for ref, day in sorted(first.items())]
    return [(org, day) for org, day in pairs if org and org.kind != OrgKind.PARTNER.value]


def _at(day: str, hour: int = 9) -> datetime:
    """That day at `hour` in Oslo, in UTC: SQLite keeps no offset, so we store UTC throughout."""
    return datetime.combine(date.fromisoformat(day), time(hour), tzinfo=_OSLO).astimezone(UTC)


def _backdate(item: Project | Practice, row: dict) -> None:
    """Give a new demo item the dates in the file instead of 'now'."""
    if not row.get("published_at"):
        return
    moment = _at(row["published_at"])
    item.created_at = moment
    if item.published_at:
        item.published_at = moment
    for change in getattr(item, "status_history", []):
        change.changed_at = moment
    db.session.flush()


def _apply_project_extras(project: Project, row: dict, user) -> bool:
    """Details, updates and indicators from the demo row; whether anything changed."""
    current = project_data_of(project)
    wanted = replace(
        current,
        contact_name=row.get("contact_name", ""),
        budget_nok=row.get("budget_nok"),
        funding_sources=row.get("funding_sources", ""),
        partners=[(name, kind) for name, kind in row.get("partners", [])],
        involved=list(row.get("involved", [])),
    )
    changed = False
    if _project_details(wanted) != _project_details(current):
        update_project(project, wanted, user)
        changed = True
    posted = {u.title for u in project.updates}
    for spec in row.get("updates", []):
        if spec["title"] not in posted:
            update = post_update(project, spec["title"], spec["body"], user)
            update.posted_at = _at(spec["date"], hour=12)
            changed = True
    existing = {i.name: i for i in project.indicators}
    for spec in row.get("indicators", []):
        indicator = existing.get(spec["name"])
        if indicator is None:
            indicator = add_indicator(
                project,
                name=spec["name"],
                unit=spec["unit"],
                baseline_value=Decimal(str(spec["baseline_value"])),
                baseline_year=spec["baseline_year"],
                target_value=Decimal(str(spec["target_value"])),
                target_year=spec["target_year"],
            )
            changed = True
        if spec.get("latest_value") is not None:
            value = Decimal(str(spec["latest_value"]))
            measured = date.fromisoformat(spec["latest_date"])
            if indicator.latest_value != value or indicator.latest_date != measured:
                record_indicator_value(indicator, value, measured, user)
                changed = True
    return changed


def _project_details(data) -> tuple:
    return (
        data.contact_name or "",
        data.budget_nok,
        data.funding_sources or "",
        frozenset(data.partners),
        frozenset(data.involved),
    )


def _apply_practice_extras(
    practice: Practice, row: dict, projects: dict[str, Project], user
) -> bool:
    """Sections, contact, linked projects and reuse from the demo row; whether anything changed."""
    current = practice_data_of(practice)
    wanted = replace(
        current,
        sections={**current.sections, **row.get("sections", {})},
        contact_name=row.get("contact_name", ""),
        project_ids=[projects[external_id].id for external_id in row.get("projects", [])],
    )
    changed = False
    if _practice_details(wanted) != _practice_details(current):
        update_practice(practice, wanted, user)
        changed = True
    for reference in row.get("reused_by", []):
        organisation = get_by_reference(reference)
        if organisation is None:
            raise DemoContentError(f"{row['external_id']}: unknown organisation {reference}")
        if mark_reused(practice, organisation, user) is not None:
            changed = True
    return changed


def _practice_details(data) -> tuple:
    sections = {k: v.strip() for k, v in data.sections.items() if v and v.strip()}
    return (sections, data.contact_name or "", frozenset(data.project_ids))
