"""What the KPI domain does: store checked values (creating, updating with versions kept, or
leaving them alone), in bulk, and say what it did.

Rows come checked from `table.check_rows`. A row whose stored fields already match is
`unchanged`: nothing is written, no version is kept. An update first copies the value as it was
into `kpi_value_version`. Writes are bulk statements (a whole-country table is ~260,000 rows),
and each organisation whose values changed gets one activity event per batch.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from baerekraft_hub.activity.recorder import record_organisation_event
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.progress import Advance, no_progress
from baerekraft_hub.extensions import db
from baerekraft_hub.kpis import medians
from baerekraft_hub.kpis.jsonstat import Mapping, looks_like_json, read_jsonstat
from baerekraft_hub.kpis.models import VALUE_FIELDS, KpiValue, KpiValueVersion
from baerekraft_hub.kpis.table import Problem, ValueRow, check_rows, read_csv_table
from baerekraft_hub.sdg.models import Kpi

CHUNK = 500  # ids per IN (...): well under every database's limit on parameters
WRITE_BATCH = 5000


@dataclass
class Outcome:
    row: ValueRow
    action: str  # "created", "updated" or "unchanged"


@dataclass
class ImportReport:
    """What an import did (or, dry, would do), row by row, and the problems found."""

    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skip_invalid: bool = False

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def skipped(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})

    @property
    def blocked(self) -> bool:
        """Problems and no --skip-invalid: nothing may be written."""
        return bool(self.problems) and not self.skip_invalid

    def summary(self) -> str:
        return (
            f"created {self.count('created')}, updated {self.count('updated')}, "
            f"unchanged {self.count('unchanged')}, skipped {self.skipped}"
        )


def existing_values(rows: list[ValueRow]) -> dict[tuple[int, int, int], sa.Row]:
    """The stored values the rows may replace, by (organisation, KPI, year): their id and the
    fields an import compares."""
    organisation_ids = sorted({r.key[0] for r in rows})
    kpi_ids = {r.key[1] for r in rows}
    columns = [KpiValue.id, KpiValue.organisation_id, KpiValue.kpi_id, KpiValue.year]
    columns += [getattr(KpiValue, name) for name in (*VALUE_FIELDS, "demo")]
    connection = db.session.connection()
    found: dict[tuple[int, int, int], sa.Row] = {}
    for start in range(0, len(organisation_ids), CHUNK):
        chunk = organisation_ids[start : start + CHUNK]
        result = connection.execute(sa.select(*columns).where(KpiValue.organisation_id.in_(chunk)))
        for stored in result:
            if stored.kpi_id in kpi_ids:
                found[(stored.organisation_id, stored.kpi_id, stored.year)] = stored
    return found


def store_values(
    rows: list[ValueRow],
    user=None,
    *,
    dry_run: bool = False,
    demo: bool = False,
    progress: Advance = no_progress,
) -> list[Outcome]:
    """Create, update (keeping the earlier version) or leave each row's value; flush only."""
    stored = existing_values(rows)
    now = utcnow()
    user_id = getattr(user, "id", None)
    inserts: list[dict] = []
    updates: list[dict] = []
    outcomes: list[Outcome] = []
    for row in rows:
        new = row.fields()
        old = stored.get(row.key)
        if old is None:
            action = "created"
            inserts.append(
                {
                    "organisation_id": row.key[0],
                    "kpi_id": row.key[1],
                    "year": row.year,
                    **new,
                    "entered_by_id": user_id,
                    "entered_at": now,
                    "demo": demo,
                }
            )
        elif old.demo != demo or any(getattr(old, name) != value for name, value in new.items()):
            # A real value over a demo one stops being demo: removing the demo keeps it.
            action = "updated"
            updates.append({"id": old.id, **new, "demo": demo})
        else:
            action = "unchanged"
        outcomes.append(Outcome(row, action))
        progress(1)
    if not dry_run:
        connection = db.session.connection()
        for start in range(0, len(inserts), WRITE_BATCH):
            connection.execute(sa.insert(KpiValue.__table__), inserts[start : start + WRITE_BATCH])
        if updates:
            _replace(connection, updates, user_id, now)
        changed = {(o.row.kpi.id, o.row.year) for o in outcomes if o.action != "unchanged"}
        medians.values_changed(db.session, changed)
        _record_events(outcomes, user)
        db.session.flush()
    return outcomes


# The new fields of the values an import updates, by id: written in bulk, then applied by two
# statements (the old versions kept, the values replaced) rather than 2 x 260,000 rows.
_INCOMING = sa.Table(
    "kpi_value_incoming",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    *(sa.Column(name, KpiValue.__table__.c[name].type) for name in (*VALUE_FIELDS, "demo")),
    prefixes=["TEMPORARY"],
)


def _to_driver(connection: sa.Connection, insert: sa.Insert, rows: list[dict]) -> None:
    """Plain rows (numbers, text, booleans: nothing to convert) handed to the driver's
    executemany as they are: SQLAlchemy's parameter processing per row cost more than the
    database took to store them."""
    compiled = insert.compile(dialect=connection.dialect)
    sql = str(compiled)
    for start in range(0, len(rows), WRITE_BATCH):
        batch = rows[start : start + WRITE_BATCH]
        if compiled.positional:
            keys = compiled.positiontup
            batch = [tuple(row[key] for key in keys) for row in batch]
        connection.exec_driver_sql(sql, batch)


def _replace(connection: sa.Connection, updates: list[dict], user_id: int | None, now) -> None:
    """Keep the current version of each value in `updates` and write its new fields."""
    value, version, incoming = KpiValue.__table__, KpiValueVersion.__table__, _INCOMING
    _INCOMING.drop(connection, checkfirst=True)  # left by an import that failed on this connection
    _INCOMING.create(connection)
    _to_driver(connection, incoming.insert(), updates)
    kept = (*VALUE_FIELDS, "entered_by_id", "entered_at")
    connection.execute(
        version.insert().from_select(
            ["value_id", *kept, "replaced_at", "replaced_by_id"],
            sa.select(
                value.c.id,
                *(value.c[name] for name in kept),
                sa.literal(now, version.c.replaced_at.type),
                sa.literal(user_id, sa.Integer),
            ).join(incoming, incoming.c.id == value.c.id),
        )
    )
    connection.execute(
        value.update()
        .values(
            {name: incoming.c[name] for name in (*VALUE_FIELDS, "demo")}
            | {"entered_by_id": user_id, "entered_at": now}
        )
        .where(value.c.id == incoming.c.id)
    )
    _INCOMING.drop(connection)


def _record_events(outcomes: list[Outcome], user) -> None:
    """One event per organisation whose values changed: "12 new indicator values for 2025"."""
    changed: dict[int, Counter] = defaultdict(Counter)
    organisations = {}
    years: dict[int, set[int]] = defaultdict(set)
    for outcome in outcomes:
        if outcome.action == "unchanged":
            continue
        organisation = outcome.row.organisation
        organisations[organisation.id] = organisation
        changed[organisation.id][outcome.action] += 1
        years[organisation.id].add(outcome.row.year)
    for organisation_id, counts in changed.items():
        record_organisation_event(
            organisations[organisation_id],
            "kpi_values",
            user,
            details={
                "created": counts["created"],
                "updated": counts["updated"],
                "years": sorted(years[organisation_id]),
            },
        )


def all_kpis() -> list[Kpi]:
    """Every KPI, by code."""
    return list(db.session.scalars(db.select(Kpi).order_by(Kpi.code)))


def values_of(organisation, *, demo: bool | None = None) -> list[KpiValue]:
    """An organisation's values, newest year first, with their KPIs (one query)."""
    query = (
        db.select(KpiValue)
        .where(KpiValue.organisation_id == organisation.id)
        .options(joinedload(KpiValue.kpi))
        .order_by(KpiValue.year.desc(), KpiValue.kpi_id)
    )
    if demo is not None:
        query = query.where(KpiValue.demo.is_(demo))
    return list(db.session.scalars(query))


def get_value(organisation, value_id: int) -> KpiValue | None:
    """One value of the organisation with its KPI and earlier versions, or None."""
    value = db.session.scalars(
        db.select(KpiValue)
        .where(KpiValue.id == value_id, KpiValue.organisation_id == organisation.id)
        .options(joinedload(KpiValue.kpi), selectinload(KpiValue.versions))
    ).one_or_none()
    return value


def remove_demo_values() -> int:
    """Delete every demo value (and its versions); how many."""
    ids = list(db.session.scalars(db.select(KpiValue.id).where(KpiValue.demo.is_(True))))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        db.session.execute(sa.delete(KpiValueVersion).where(KpiValueVersion.value_id.in_(chunk)))
        db.session.execute(sa.delete(KpiValue).where(KpiValue.id.in_(chunk)))
    return len(ids)


def check_file(data: bytes, mapping=None) -> tuple[list[ValueRow], list[Problem]]:
    """A CSV or JSON-stat file read and checked: the valid rows and every problem.

    Raises TableFileError when the file as a whole cannot be read.
    """
    if looks_like_json(data):
        raw_rows, problems = read_jsonstat(data, mapping or Mapping.load())
    else:
        raw_rows, problems = read_csv_table(data), []
    valid, row_problems = check_rows(raw_rows)
    return valid, problems + row_problems


def import_file(
    data: bytes,
    user=None,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    mapping=None,
    only_organisations: set[int] | None = None,
    progress: Advance = no_progress,
) -> ImportReport:
    """Check the file and, unless a problem blocks it, store its values (flush, no commit).

    With `only_organisations`, a row for any other organisation is a problem (an editor's
    upload may only change their own organisation's values).
    """
    valid, problems = check_file(data, mapping)
    return store_checked(
        valid,
        problems,
        user,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        only_organisations=only_organisations,
        progress=progress,
    )


def store_checked(
    valid: list[ValueRow],
    problems: list[Problem],
    user=None,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    only_organisations: set[int] | None = None,
    progress: Advance = no_progress,
) -> ImportReport:
    """`import_file` for rows already checked."""
    if only_organisations is not None:
        allowed = [row for row in valid if row.organisation.id in only_organisations]
        problems += [
            Problem(
                row.number,
                "organisation",
                _l("You may not change the values of %(name)s.", name=row.organisation.name),
            )
            for row in valid
            if row.organisation.id not in only_organisations
        ]
        valid = allowed
    report = ImportReport(problems=sorted(problems, key=_problem_order), skip_invalid=skip_invalid)
    if any(p.row is None for p in problems):
        report.skip_invalid = False  # the file as a whole is wrong: no row is safe to take
    if report.blocked:
        return report
    report.outcomes = store_values(valid, user, dry_run=dry_run, progress=progress)
    return report


def _problem_order(problem: Problem) -> tuple[int, str]:
    return (problem.row or 0, problem.field or "")
