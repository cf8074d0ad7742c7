"""Keeping the index true: index changes are recorded with the content change, applied after.

With the PostgreSQL backend (`SEARCH_BACKEND=postgresql`) the documents live in the database,
so steps 1-3 collapse into one: just before the transaction commits, the recorded items'
documents are written in it (`_write_in_transaction`), and the commit makes them searchable on
every web server at once. No row is queued, and nothing is left for the worker.

With the Whoosh backend, an index folder outside the database:

1. Receivers of the content signals add a `SearchIndexChange` row to the same session, so the
   row commits or rolls back with the change (never indexing on flush: a rolled-back draft
   must not become searchable).
2. Session events note whether a transaction that recorded changes committed.
3. After the commit, the request (or CLI command) calls `apply_pending_changes`, the one
   deliverer: under the index's write lock it reads pending rows and the items' current
   state, indexes published items and removes the rest, commits the index, then deletes
   exactly the rows it applied. When the lock stays taken, rows stay pending for the next
   pass (the next saving request, `flask search apply` or the worker); nobody sees an error.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from contextvars import ContextVar
from pathlib import Path

import click
from flask import Flask, current_app, has_request_context
from flask_sqlalchemy.session import Session as AppSession
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from baerekraft_hub.content import signals
from baerekraft_hub.core.progress import Advance, no_progress
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.search.builder import (
    KINDS,
    MODELS,
    ORGANISATION,
    all_documents,
    build_document,
    kind_of,
    load_published,
)
from baerekraft_hub.search.engine import SearchBackend, SearchBusy, SearchUnavailable, synonyms
from baerekraft_hub.search.engine.postgresql import PostgresEngine
from baerekraft_hub.search.engine.whoosh import WhooshEngine
from baerekraft_hub.search.models import SearchIndexChange

log = logging.getLogger(__name__)

RECORDED = "search_changes_recorded"  # session.info: (kind, id) recorded in this transaction
WRITTEN = "search_documents_written"  # session.info: keys written in this transaction
COMMITTED = "search_changes_committed"  # session.info: a transaction with changes committed
BATCH = 500  # rows applied per index commit
REQUEST_WRITE_TIMEOUT = 1.0  # seconds a saving request waits for the lock before leaving it
# A change a saving request left (the index was busy) is searchable within about this long
# after it (at 2 s, the soak's "published to searchable" came to 2.05 s): one read of an
# almost always empty table each time.
WORKER_EVERY_SECONDS = 0.5
_applying: ContextVar[bool] = ContextVar("search_applying", default=False)


def search_engine(app: Flask | None = None) -> SearchBackend:
    """The app's search backend (one per process: Whoosh keeps one searcher per thread), with
    the analysis reading this app's synonym file (a process may hold several apps: tests)."""
    extensions = (app or current_app).extensions
    synonyms.use_extra_files(extensions["search_synonym_files"])
    return extensions["search_engine"]


BACKENDS = ("whoosh", "postgresql")


def create_backend(app: Flask) -> SearchBackend:
    """The search backend the app's settings ask for (SEARCH_BACKEND; `flask doctor` checks it)."""
    if app.config.get("SEARCH_BACKEND") == "postgresql":
        with app.app_context():
            return PostgresEngine(db.engine)
    if app.config.get("SEARCH_BACKEND", "whoosh") != "whoosh":
        log.error("search: unknown SEARCH_BACKEND %r, using whoosh", app.config["SEARCH_BACKEND"])
    return WhooshEngine(app.config["SEARCH_INDEX_DIR"])


def in_transaction(engine: SearchBackend) -> bool:
    """Whether the backend's documents are written in the transaction of the change."""
    return getattr(engine, "in_transaction", False)


# -- 1. recording ------------------------------------------------------------------------------


def record_change(kind: str, item_id: int, session: Session | None = None) -> None:
    """Note, in the current transaction, that the item's document must be refreshed."""
    session = session or db.session()
    recorded = session.info.setdefault(RECORDED, set())
    if (kind, item_id) in recorded:
        return
    recorded.add((kind, item_id))
    if not in_transaction(search_engine()):
        session.add(SearchIndexChange(kind=kind, item_id=item_id))


@signals.content_changed.connect
@signals.content_published.connect
@signals.content_unpublished.connect
def _content_saved(item, **_: object) -> None:
    record_change(kind_of(item), item.id)


@signals.content_deleted.connect
def _content_deleted(model, *, kind: str, id: int, **_: object) -> None:  # noqa: A002
    record_change(kind, id)


_ORG_NAMES = ("name", "county_id")  # what other documents carry of an organisation
_ORG_OWN = ("official_name", "alt_names", "slug", "kind")  # what only its own document holds


def _renamed_organisations(session: Session) -> set[int]:
    renamed = set()
    for obj in session.dirty:
        if isinstance(obj, Organisation):
            state = inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in _ORG_NAMES):
                renamed.add(obj.id)
            elif any(state.attrs[name].history.has_changes() for name in _ORG_OWN):
                record_change(ORGANISATION, obj.id, session)
    return renamed


_FLUSHED = "search_changes_flushed"  # session.info: keys found in a flush, recorded after it


@event.listens_for(AppSession, "after_flush")
def _text_rows_flushed(session: Session, flush_context) -> None:
    """New and deleted organisations, and project updates and indicators (no content signal):
    their ids are known only once flushed, so the change is recorded just after the flush."""
    from baerekraft_hub.projects.models import ProjectUpdate, ResultIndicator

    found = session.info.setdefault(_FLUSHED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, ProjectUpdate | ResultIndicator) and obj.project_id is not None:
            found.add(("project", obj.project_id))
    found.update(
        (ORGANISATION, obj.id)
        for obj in (*session.new, *session.deleted)
        if isinstance(obj, Organisation)
    )


@event.listens_for(AppSession, "after_flush_postexec")
def _record_flushed(session: Session, flush_context) -> None:
    # Rows added here are written by the next flush, which commit() runs before committing.
    for kind, item_id in session.info.pop(_FLUSHED, ()):
        record_change(kind, item_id, session)


@event.listens_for(AppSession, "before_flush")
def _organisation_renamed(session: Session, flush_context, instances) -> None:
    """Documents carry their organisations' and counties' names: refresh them on a rename."""
    renamed = _renamed_organisations(session)
    if not renamed:
        return
    from baerekraft_hub.projects.models import Project, project_participant

    with session.no_autoflush:
        members = db.select(Organisation.id).where(Organisation.county_id.in_(renamed))
        org_ids = renamed | set(session.scalars(members))
        for org_id in org_ids:
            record_change(ORGANISATION, org_id, session)
        for kind, model in MODELS.items():
            involved = model.owner_id.in_(org_ids)
            if model is Project:
                participant = db.select(project_participant.c.project_id).where(
                    project_participant.c.organisation_id.in_(org_ids)
                )
                involved = involved | Project.id.in_(participant)
            for item_id in session.scalars(db.select(model.id).where(involved)):
                record_change(kind, item_id, session)


@event.listens_for(AppSession, "before_commit")
def _write_in_transaction(session: Session) -> None:
    """With a backend in the database, write the recorded items' documents in this transaction.

    Loading the items flushes, and a flush may record more (a renamed organisation's items):
    written until none is left.
    """
    engine = search_engine()
    if not in_transaction(engine):
        return
    session.flush()  # the commit's own flush comes after this hook, and may record more
    if not session.info.get(RECORDED):
        return
    written = session.info.setdefault(WRITTEN, set())
    while due := session.info[RECORDED] - written:
        written |= due
        _write(session, engine.batch(session.connection()), due)


# -- 2. did it commit? -------------------------------------------------------------------------


@event.listens_for(AppSession, "after_commit")
def _committed(session: Session) -> None:
    written = session.info.pop(WRITTEN, None)
    if session.info.pop(RECORDED, None) and not written:
        session.info[COMMITTED] = True
        if not has_request_context():
            _apply_when_command_ends()


def _apply_when_command_ends() -> None:
    """In a CLI command, apply once the command has finished (its app context still open)."""
    command = click.get_current_context(silent=True)
    if command is not None and not command.meta.get(COMMITTED):
        command.meta[COMMITTED] = True
        command.call_on_close(lambda: _after_command(None))


@event.listens_for(AppSession, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(RECORDED, None)
    session.info.pop(WRITTEN, None)
    session.info.pop(_FLUSHED, None)


def _take_committed_flag() -> bool:
    if not db.session.registry.has():
        return False
    return bool(db.session().info.pop(COMMITTED, False))


def _after_request(exc: BaseException | None) -> None:
    """A request that committed index changes applies them now, if the lock is free soon."""
    if _take_committed_flag():
        try:
            apply_pending_changes(repair=False, timeout=REQUEST_WRITE_TIMEOUT)
        except Exception:  # the content is saved; the worker applies the change later
            log.exception("search: applying index changes after the request failed")


def _after_command(exc: BaseException | None) -> None:
    """A CLI command (import, seed) or script that committed index changes leaves the index
    true: when the command ends, or else when its app context closes."""
    if _take_committed_flag():
        try:
            apply_pending_changes(repair=True)
        except Exception:
            log.exception("search: applying index changes after the command failed")


def init_app(app: Flask) -> None:
    """Create the app's backend and apply index changes after each committing request/command."""
    from baerekraft_hub.core.worker import register_task

    app.extensions["search_engine"] = create_backend(app)
    default = Path(app.instance_path) / "search-synonyms.txt"
    app.extensions["search_synonym_files"] = [app.config.get("SEARCH_SYNONYMS_FILE") or default]
    synonyms.use_extra_files(app.extensions["search_synonym_files"])
    app.teardown_request(_after_request)
    app.teardown_appcontext(_after_command)
    # What a request could not apply (the writer was busy) and a missing index: the worker.
    register_task("search-index", _apply_in_worker, every_seconds=WORKER_EVERY_SECONDS)


def _apply_in_worker() -> str:
    applied = apply_pending_changes()
    return f"applied {applied} index changes" if applied else ""


# -- 3. applying -------------------------------------------------------------------------------


def apply_pending_changes(*, repair: bool = True, timeout: float | None = None) -> int:
    """Apply every pending index change (one pass); returns how many rows were applied.

    Safe in several processes at once. `repair`: rebuild a missing or unreadable index from
    the database (the worker and commands do; a request does not, it would take seconds).
    Never runs inside itself: a nested call (a teardown run while applying) would wait on
    the write lock its caller holds; it returns 0 and the caller's pass applies the rows.
    """
    if _applying.get():
        return 0
    token = _applying.set(True)
    try:
        return _apply(repair, timeout)
    finally:
        _applying.reset(token)


def _apply(repair: bool, timeout: float | None) -> int:
    engine = search_engine()
    applied = 0
    with Session(db.engine) as session:
        while True:
            has_pending = session.scalar(db.select(SearchIndexChange.id).limit(1)) is not None
            session.rollback()  # a fresh snapshot is taken inside the lock
            if not has_pending:
                return applied
            try:
                with engine.writing(timeout) as batch:
                    row_ids, keys = _pending(session)
                    _write(session, batch, keys)
            except SearchBusy:
                log.info("search: index busy; changes stay pending for the next pass")
                return applied
            except SearchUnavailable:
                if not repair:
                    log.warning("search: index unavailable, changes kept until it is rebuilt")
                    return applied
                rebuild_index(session=session)
                continue
            session.execute(db.delete(SearchIndexChange).where(SearchIndexChange.id.in_(row_ids)))
            session.commit()
            applied += len(row_ids)
            if len(row_ids) < BATCH:
                return applied


def _pending(session: Session) -> tuple[list[int], set[tuple[str, int]]]:
    rows = session.execute(
        db.select(SearchIndexChange.id, SearchIndexChange.kind, SearchIndexChange.item_id)
        .order_by(SearchIndexChange.id)
        .limit(BATCH)
    ).all()
    return [r.id for r in rows], {(r.kind, r.item_id) for r in rows}


def _write(session: Session, batch, keys: set[tuple[str, int]]) -> None:
    by_kind: dict[str, list[int]] = defaultdict(list)
    # In one order everywhere: two transactions writing some of the same documents (a rename
    # and an edit) then wait for each other in turn, never in a circle (a deadlock).
    for kind, item_id in sorted(keys):
        by_kind[kind].append(item_id)
    for kind, ids in by_kind.items():
        published = load_published(session, kind, ids) if kind in KINDS else {}
        # Many documents (an import's, a rename's) a few round trips on PostgreSQL, in slices
        # that keep memory flat.
        found = [item_id for item_id in ids if item_id in published]
        for start in range(0, len(found), BATCH):
            batch.index([build_document(published[i]) for i in found[start : start + BATCH]])
        for item_id in ids:
            if item_id not in published:
                batch.remove(kind, item_id)


def rebuild_index(
    *, session: Session | None = None, wait: float = 30.0, progress: Advance = no_progress
) -> int:
    """Rebuild the index from the database into a fresh directory and swap it in.

    Pending changes read before the build are in it and are deleted; later ones stay
    pending for the next pass.
    """
    own = session is None
    session = session or Session(db.engine)
    try:
        row_ids = list(session.scalars(db.select(SearchIndexChange.id)))
        count = search_engine().rebuild(_counted(all_documents(session), progress), wait=wait)
        if row_ids:
            for start in range(0, len(row_ids), BATCH):
                chunk = row_ids[start : start + BATCH]
                session.execute(db.delete(SearchIndexChange).where(SearchIndexChange.id.in_(chunk)))
        session.commit()
        return count
    finally:
        if own:
            session.close()


def _counted(documents, progress: Advance):
    for document in documents:
        yield document
        progress(1)


def pending_count() -> int:
    """How many index changes wait to be applied."""
    return db.session.scalar(db.select(db.func.count()).select_from(SearchIndexChange)) or 0
