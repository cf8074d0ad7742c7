"""Backups: an online, consistent copy of an SQLite database, and its restore into an empty
instance. PostgreSQL has its own tools; for it we print the exact commands.

SQLite's backup API copies the database in one step under a read transaction: in WAL mode
writers go on meanwhile, and the copy is the database as it was when the step began (every
transaction committed before then, none after). The copy is written beside the target and
renamed into place, so a backup that fails halfway leaves no half file behind.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """The backup or restore cannot be done; the message says why and what to do."""


def sqlite_path(uri: str) -> Path | None:
    """The file of an SQLite database URL, or None for another database."""
    url = make_url(uri)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return Path(url.database)


def _read_only(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def _copy(source: Path, target: Path) -> None:
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with (
            sqlite3.connect(_read_only(source), uri=True) as reader,
            sqlite3.connect(partial) as writer,
        ):
            reader.backup(writer)  # all pages in one step: one consistent snapshot
            writer.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        reader.close()
        writer.close()
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def tables_in(path: Path) -> list[str]:
    """The tables of an SQLite file (none when it does not exist)."""
    if not path.exists():
        return []
    connection = sqlite3.connect(_read_only(path), uri=True)
    try:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return [name for (name,) in rows]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not an SQLite database ({error})") from None
    finally:
        connection.close()


def backup_sqlite(database: Path, target: Path) -> int:
    """Copy `database` to `target` (which must not exist) while the app runs; return the size."""
    if target.exists():
        raise BackupError(f"{target} exists: choose a new file name")
    if not database.exists():
        raise BackupError(f"there is no database at {database}")
    _copy(database, target)
    return target.stat().st_size


def restore_sqlite(backup: Path, database: Path) -> None:
    """Put the backup in place as the instance's database; only into an empty instance."""
    if not backup.exists():
        raise BackupError(f"there is no backup at {backup}")
    try:
        is_ours = "alembic_version" in tables_in(backup)
    except BackupError:
        is_ours = False
    if not is_ours:
        raise BackupError(f"{backup} is not a backup of this application's database")
    existing = tables_in(database)
    if existing:
        raise BackupError(
            f"the database at {database} is not empty ({len(existing)} tables): restore only "
            "into an empty instance; stop the app and move that file (and its -wal, -shm) away"
        )
    for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)
    _copy(backup, database)


def postgres_commands(uri: str, file: str) -> tuple[str, str]:
    """The pg_dump and pg_restore commands for the database at `uri` (password left out)."""
    url = make_url(uri)
    options = [
        f"--host={url.host or 'localhost'}",
        f"--port={url.port or 5432}",
        f"--username={url.username or os.environ.get('USER', 'postgres')}",
        f"--dbname={url.database}",
    ]
    password = "PGPASSWORD=… " if url.password else ""
    dump = ["pg_dump", *options, "--format=custom", f"--file={file}"]
    restore = ["pg_restore", *options, "--no-owner", "--exit-on-error", file]
    return password + shlex.join(dump), password + shlex.join(restore)
