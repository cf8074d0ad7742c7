"""The content generation: a value that changes after every committed write to the database.

The page cache keys its entries with it, so a commit makes every cached page old at once, in
every process. Changes are noticed where all writes pass, the engine: a statement that is not
a read marks its connection, a commit of that connection turns the mark into "committed", and
when the connection goes back to the pool (after the commit, so no reader can see the old rows
under the new generation) the generation moves on. Requests, commands (`flask seed
reference`, `flask organisations network-member`), migrations and `flask worker` all write
through the same engine. Bookkeeping that no page shows (the outbox, digest runs) is left out:
the worker writes it every few seconds.

Where the generation lives decides who sees it: Redis (INCR) with `REDIS_URL`, otherwise a
file in the instance folder, which every process on the machine reads. Each process remembers
what it read for a moment (`RecentGeneration`, PAGE_CACHE_GENERATION_SECONDS, 0.1 s): another
process's commit is seen within that bound, this process's own at once.
"""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from pathlib import Path
from typing import Protocol

from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

KEY = "page-generation"
_WROTE = "page_generation_wrote"  # connection info: a write since the last commit/rollback
_COMMITTED = "page_generation_committed"  # connection info: a write was committed
# Tables no page shows, written by the worker all day long.
BOOKKEEPING = frozenset({"outbox_message", "outbox_body", "digest_run"})

_READ = re.compile(
    r"\s*(SELECT|PRAGMA|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SHOW|EXPLAIN)\b", re.I
)
_WITH = re.compile(r"\s*WITH\b", re.I)
_WRITE_WORD = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.I)
_TARGET = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)


class Generation(Protocol):
    def current(self) -> str: ...

    def bump(self) -> None: ...


class FileGeneration:
    """The generation as a file's content: replaced atomically, read by every process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._name = str(path)

    def current(self) -> str:
        # Read on every cached request: os.read costs a quarter of Path.read_text.
        try:
            fd = os.open(self._name, os.O_RDONLY)
        except FileNotFoundError:
            return "0"
        try:
            return os.read(fd, 64).decode("ascii")
        finally:
            os.close(fd)

    def bump(self) -> None:
        scratch = self.path.with_name(f".{self.path.name}.{os.getpid()}.{uuid.uuid4().hex}")
        scratch.write_text(uuid.uuid4().hex, "ascii")
        os.replace(scratch, self.path)


class RedisGeneration:
    """The generation as a Redis counter, shared by every machine that uses the same Redis."""

    def __init__(self, store) -> None:
        self.store = store  # a cachelib RedisCache

    def current(self) -> str:
        return str(self.store.get(KEY) or 0)

    def bump(self) -> None:
        self.store.inc(KEY)


class RecentGeneration:
    """A shared generation, remembered for `seconds` after each read: a cached page costs no
    file read or Redis round trip, at the price of seeing other processes' commits up to
    `seconds` late. A bump made here is seen here at once."""

    def __init__(self, shared: Generation, seconds: float) -> None:
        self.shared, self.seconds = shared, seconds
        self._value, self._until = "", 0.0

    def current(self) -> str:
        now = time.monotonic()
        if now >= self._until:
            self._value, self._until = self.shared.current(), now + self.seconds
        return self._value

    def bump(self) -> None:
        self._until = 0.0  # before the bump too: a read racing it must not keep the old value
        self.shared.bump()
        self._until = 0.0


def changes_content(statement: str) -> bool:
    """Whether a SQL statement may change what a page shows (when in doubt: yes)."""
    if _READ.match(statement):
        return False
    if _WITH.match(statement) and not _WRITE_WORD.search(statement):
        return False
    target = _TARGET.match(statement)
    return not (target and target.group(1).lower() in BOOKKEEPING)


def track_writes(engine: Engine, generation: Generation) -> None:
    """Move `generation` on after each commit on `engine` that wrote something pages show."""

    def executing(conn, cursor, statement, parameters, context, executemany) -> None:
        if not conn.info.get(_WROTE) and changes_content(statement):
            conn.info[_WROTE] = True

    def committing(conn) -> None:
        if conn.info.pop(_WROTE, False):
            conn.info[_COMMITTED] = True

    def rolling_back(conn) -> None:
        conn.info.pop(_WROTE, None)

    def checked_in(dbapi_connection, record) -> None:
        if record.info.pop(_COMMITTED, False):
            try:
                generation.bump()
            except Exception:  # the write is committed; cached pages expire on their own
                log.exception("page cache: could not move the generation on")

    event.listen(engine, "before_cursor_execute", executing)
    event.listen(engine, "commit", committing)
    event.listen(engine, "rollback", rolling_back)
    event.listen(engine, "checkin", checked_in)
