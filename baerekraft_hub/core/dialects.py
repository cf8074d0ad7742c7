"""Statements that differ between SQLite and PostgreSQL."""

from __future__ import annotations

import zlib
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

from baerekraft_hub.extensions import db


def insert_ignoring_conflicts(
    model, values: dict[str, Any] | list[dict] | None, index_elements: list[str]
):
    """INSERT ... ON CONFLICT (index_elements) DO NOTHING, for the database in use.

    With `values` None, the statement takes its rows as parameter sets when executed: one
    statement SQLAlchemy batches ("insertmanyvalues"), not one as wide as the batch.
    """
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(model) if values is None else insert(model).values(values)
    return statement.on_conflict_do_nothing(index_elements=index_elements)


def upsert(model, values: dict[str, Any], index_elements: list[str]):
    """INSERT ... ON CONFLICT (index_elements) DO UPDATE the other columns, for the database in
    use."""
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    changed = {k: v for k, v in values.items() if k not in index_elements}
    return (
        insert(model)
        .values(values)
        .on_conflict_do_update(index_elements=index_elements, set_=changed)
    )


def lock_for_write(model, row_id: int) -> None:
    """Hold the row `row_id` of `model` against concurrent writers until the transaction ends.

    Take it before reading what a decision rests on ("is this the last admin?"): a second
    transaction taking the same lock waits for the first to commit, then reads its result.
    PostgreSQL locks the row (FOR NO KEY UPDATE, so inserts referencing it still go ahead).
    SQLite has no row locks: the transaction takes the database's write lock (BEGIN
    IMMEDIATE), unless a write of this transaction already holds it.
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            db.select(model.id).where(model.id == row_id).with_for_update(key_share=True)
        )
        return
    connection = db.session.connection()
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def lock_named(name: str) -> None:
    """Hold the lock `name` until the transaction ends: for a decision that rests on a count
    of rows no single row stands for ("is another coordinator left?", "are six featured?").

    A second transaction taking the same lock waits for the first to commit, then counts
    afresh. PostgreSQL: a transaction-level advisory lock. SQLite: the database's write lock
    (BEGIN IMMEDIATE), unless a write of this transaction already holds it.
    """
    if db.engine.dialect.name == "postgresql":
        key = zlib.crc32(name.encode())
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        return
    connection = db.session.connection()
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
