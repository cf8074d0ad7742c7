"""Statements that differ between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from baerekraft_hub.extensions import db


def insert_ignoring_conflicts(
    model, values: dict[str, Any] | list[dict], index_elements: list[str]
):
    """INSERT ... ON CONFLICT (index_elements) DO NOTHING, for the database in use."""
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    return insert(model).values(values).on_conflict_do_nothing(index_elements=index_elements)
