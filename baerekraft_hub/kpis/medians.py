"""Peer medians per KPI and year: the network, each county, each population band.

Asked live, a municipality's status page would read every municipality's value of all 91 KPIs
(32,000 rows at the network's size) to compare with its peers. The medians change only when
values do, so they are kept in a table: recomputed in the same transaction as the values that
change them (session hooks see ORM objects flushed and bulk statements on kpi_value: the form,
the upload and the import all leave consistent medians behind them) and, as a safety net for
writes that bypass the session (raw SQL), by the worker when the values' fingerprint changes.
A page reads the few rows it shows: one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from baerekraft_hub.core.worker import WhenChanged, register_task
from baerekraft_hub.extensions import db
from baerekraft_hub.kpis.models import KpiValue
from baerekraft_hub.kpis.scoring import median_or_none, population_band
from baerekraft_hub.organisations.models import Organisation, OrgKind

NETWORK = "network"
COUNTY = "county"
BAND = "band"
EVERY_SECONDS = 60
AT_LEAST_EVERY = 3600.0
# More changed (KPI, year) pairs than this in one transaction: recompute everything at once.
PAIRS_BEFORE_ALL = 200
READ_BATCH = 2000  # value rows read at a time
_PENDING = "kpi_median_pairs"


class KpiMedian(db.Model):
    """The median of one KPI in one year over a group of municipalities, and how many report."""

    __tablename__ = "kpi_median"
    # A status page reads its scopes' rows across KPIs: by scope first, not by KPI.
    __table_args__ = (sa.Index("ix_kpi_median_scope_scope_key_year", "scope", "scope_key", "year"),)

    kpi_id: Mapped[int] = mapped_column(
        ForeignKey("u4ssc_kpi.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(10), primary_key=True)  # network, county, band
    # The county's organisation id, the band's lowest population, 0 for the network.
    scope_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    median: Mapped[float] = mapped_column(Float)
    reporting: Mapped[int] = mapped_column(Integer)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)  # demo values are among them


def scopes_of(organisation: Organisation) -> list[tuple[str, int]]:
    """The (scope, key) pairs an organisation is compared with: network, county, band (a county
    municipality only with the network: the bands and counties group municipalities)."""
    scopes = [(NETWORK, 0)]
    if organisation.is_county:
        return scopes
    if organisation.county_id is not None:
        scopes.append((COUNTY, organisation.county_id))
    band = population_band(organisation.population)
    if band is not None:
        scopes.append((BAND, band[0]))
    return scopes


def _values(session: Session, kpi_ids: set[int] | None, years: set[int] | None) -> sa.Select:
    query = (
        sa.select(
            KpiValue.kpi_id,
            KpiValue.year,
            KpiValue.value,
            KpiValue.demo,
            Organisation.county_id,
            Organisation.population,
        )
        .join(Organisation, Organisation.id == KpiValue.organisation_id)
        .where(Organisation.kind == OrgKind.MUNICIPALITY.value)
    )
    if kpi_ids is not None:
        query = query.where(KpiValue.kpi_id.in_(kpi_ids), KpiValue.year.in_(years))
    return query


def compute(session: Session, kpi_ids=None, years=None) -> Iterator[dict]:
    """Median rows for the given KPIs and years (all when None), one KPI after another.

    The values are read in KPI order, a few thousand rows at a time, and a KPI's groups are
    let go once its medians are out: all 260,000 values of the network at once, as rows and
    in groups, had put 70 MB on the worker's memory for a moment.
    """
    query = _values(session, kpi_ids, years).order_by(KpiValue.kpi_id)
    rows = session.execute(query.execution_options(yield_per=READ_BATCH))
    for _kpi_id, values in groupby(rows, key=itemgetter(0)):
        yield from _medians(values)


def _medians(values: Iterable[sa.Row]) -> Iterator[dict]:
    """The median rows of one KPI's values (every year, scope and group)."""
    groups: dict[tuple[int, int, str, int], list[float]] = defaultdict(list)
    demo: set[tuple[int, int, str, int]] = set()
    for kpi_id, year, value, is_demo, county_id, population in values:
        keys = [(kpi_id, year, NETWORK, 0)]
        if county_id is not None:
            keys.append((kpi_id, year, COUNTY, county_id))
        band = population_band(population)
        if band is not None:
            keys.append((kpi_id, year, BAND, band[0]))
        for key in keys:
            groups[key].append(value)
            if is_demo:
                demo.add(key)
    for (kpi_id, year, scope, scope_key), group in groups.items():
        yield {
            "kpi_id": kpi_id,
            "year": year,
            "scope": scope,
            "scope_key": scope_key,
            "median": median_or_none(group),
            "reporting": len(group),
            "demo": (kpi_id, year, scope, scope_key) in demo,
        }


def refresh(session: Session, kpi_ids: set[int] | None = None, years: set[int] | None = None):
    """Replace the stored medians of the given KPIs and years (all when None); no commit."""
    delete = sa.delete(KpiMedian)
    if kpi_ids is not None:
        delete = delete.where(KpiMedian.kpi_id.in_(kpi_ids), KpiMedian.year.in_(years))
    # Read before writing: on SQLite the first write takes the database's write lock, which
    # every saving request then waited for while 260,000 values were read (seconds).
    rows = list(compute(session, kpi_ids, years))
    session.execute(delete)
    if rows:
        session.execute(sa.insert(KpiMedian), rows)
    return len(rows)


class _Pending:
    """What this transaction changed: (KPI, year) pairs, ids of updated rows, or everything."""

    def __init__(self) -> None:
        self.pairs: set[tuple[int, int]] = set()
        self.updated_ids: set[int] = set()
        self.everything = False


def _pending(session: Session) -> _Pending:
    return session.info.setdefault(_PENDING, _Pending())


def _note_changed_values(session: Session, flush_context) -> None:
    # After a flush, new, dirty and deleted still list what the flush wrote.
    changed = [
        obj for obj in (*session.new, *session.dirty, *session.deleted) if isinstance(obj, KpiValue)
    ]
    if changed:
        _pending(session).pairs.update((v.kpi_id, v.year) for v in changed)


def _note_bulk_statements(state) -> None:
    """Bulk INSERT/UPDATE/DELETE of kpi_value (the import writes that way) bypass the flush."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if getattr(getattr(state.statement, "table", None), "name", None) != KpiValue.__tablename__:
        return
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if params else []
    pending = _pending(state.session)
    if state.is_insert and rows and all("kpi_id" in r and "year" in r for r in rows):
        pending.pairs.update((r["kpi_id"], r["year"]) for r in rows)
    elif state.is_update and rows and all("id" in r for r in rows):
        pending.updated_ids.update(r["id"] for r in rows)
    else:  # a DELETE, or a statement whose rows cannot be told: all medians again
        pending.everything = True


def values_changed(session: Session, pairs: Iterable[tuple[int, int]]) -> None:
    """Values of these (KPI, year) pairs were written on the session's connection, past the
    ORM (the import's bulk statements): recompute their medians before the commit, once."""
    _pending(session).pairs.update(pairs)


def _refresh_before_commit(session: Session) -> None:
    session.flush()  # so that the last changes are noted (and their rows are in the database)
    pending: _Pending | None = session.info.pop(_PENDING, None)
    if pending is None:
        return
    pairs = set(pending.pairs)
    ids = sorted(pending.updated_ids)
    for start in range(0, len(ids), 500):
        pairs.update(
            session.execute(
                sa.select(KpiValue.kpi_id, KpiValue.year).where(
                    KpiValue.id.in_(ids[start : start + 500])
                )
            ).tuples()
        )
    if pending.everything or len(pairs) > PAIRS_BEFORE_ALL:
        refresh(session)
    elif pairs:
        refresh(session, {k for k, _ in pairs}, {y for _, y in pairs})


def _forget(session: Session, *args) -> None:
    session.info.pop(_PENDING, None)


def listen(session_class=Session) -> None:
    """Keep the medians in step with the values in every ORM transaction."""
    if not event.contains(session_class, "after_flush", _note_changed_values):
        event.listen(session_class, "after_flush", _note_changed_values)
        event.listen(session_class, "do_orm_execute", _note_bulk_statements)
        event.listen(session_class, "before_commit", _refresh_before_commit)
        event.listen(session_class, "after_rollback", _forget)


def _fingerprint(session: Session) -> tuple:
    return tuple(
        session.execute(
            sa.select(sa.func.count(), sa.func.max(KpiValue.entered_at), sa.func.sum(KpiValue.id))
        ).one()
    )


def _refresh_all(session: Session) -> str:
    rows = refresh(session)
    session.commit()
    return f"computed {rows} KPI medians"


_refresh_in_worker = WhenChanged(_fingerprint, _refresh_all, AT_LEAST_EVERY)


def medians_for(
    kpi_ids: Iterable[int] | None, scopes: list[tuple[str, int]], years: Iterable[int] | None = None
) -> dict[tuple[int, int, str, int], sa.Row]:
    """Stored medians (rows with median, reporting, demo) keyed by (kpi_id, year, scope,
    scope_key), for some scopes (one query; plain rows, not objects: a page reads hundreds)."""
    conditions = [
        sa.and_(KpiMedian.scope == scope, KpiMedian.scope_key == key) for scope, key in scopes
    ]
    query = sa.select(
        KpiMedian.kpi_id,
        KpiMedian.year,
        KpiMedian.scope,
        KpiMedian.scope_key,
        KpiMedian.median,
        KpiMedian.reporting,
        KpiMedian.demo,
    ).where(sa.or_(*conditions))
    if kpi_ids is not None:
        query = query.where(KpiMedian.kpi_id.in_(list(kpi_ids)))
    if years is not None:
        query = query.where(KpiMedian.year.in_(list(years)))
    return {(m.kpi_id, m.year, m.scope, m.scope_key): m for m in db.session.execute(query)}


def init_app(app: Flask) -> None:
    """Medians follow the values: in each transaction, and in the worker as a safety net."""
    listen()
    register_task("kpi-medians", _refresh_in_worker, every_seconds=EVERY_SECONDS)
