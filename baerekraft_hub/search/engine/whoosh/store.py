"""The Whoosh index on disk: where it lives, who may write, and atomic rebuilds.

Layout of `index_dir`::

    CURRENT             name of the live index directory (replaced atomically)
    index-<time>-<id>/  Whoosh indexes: the live one, the previous one, one being built
    rebuild.lock        held shared by writers, exclusively by a rebuild

Concurrency. Readers take no locks: a Whoosh searcher sees one committed generation, and each
search checks cheaply whether a newer generation (or a new CURRENT) exists. Writers (several
gunicorn workers, `flask worker`) may collide on Whoosh's write lock; a writer never surfaces
`LockError`: it retries with jittered exponential back-off for at most `write_timeout` seconds,
then raises `SearchBusy`. The caller keeps its change queued (in the database) and retries later,
so a busy index delays a change but never loses it. A rebuild holds `rebuild.lock` exclusively
while it builds a fresh directory and swaps CURRENT to it, so writes made during a rebuild cannot
land in the old index and vanish at the swap: they get `SearchBusy` and are applied afterwards.
Searches keep using the old index until the swap. A missing or unreadable index raises
`SearchUnavailable` for reads and writes alike; the app falls back and runs `rebuild`.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import random
import shutil
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from baerekraft_hub.search.engine.documents import SearchBusy, SearchDocument, SearchUnavailable
from baerekraft_hub.search.engine.whoosh.facets import FacetMasks
from baerekraft_hub.search.engine.whoosh.schema import build_schema, doc_key, index_fields
from baerekraft_hub.search.engine.whoosh.scores import TermScores
from baerekraft_hub.search.engine.whoosh.weighting import FamilyBM25F

log = logging.getLogger(__name__)

POINTER = "CURRENT"
# Segments stay separate files, never one compound file: a searcher reads a compound file
# through a copy of it in memory (whoosh's BufferFile), about 35 MB per searcher (one per
# thread) at 12,000 documents, where separate files are read from the page cache.
COMPOUND = False
OPEN_ATTEMPTS = 5  # a commit elsewhere can remove the table of contents we were about to read


class ReadState:
    """A thread's open searcher, and the facet bitsets and term scores of its generation."""

    def __init__(self, name: str, searcher: Searcher) -> None:
        self.name = name
        self.searcher = searcher
        self._facets: FacetMasks | None = None
        self._scores: TermScores | None = None

    @property
    def facets(self) -> FacetMasks:
        if self._facets is None:
            self._facets = FacetMasks(self.searcher)
        return self._facets

    @property
    def scores(self) -> TermScores:
        if self._scores is None:
            self._scores = TermScores(self.searcher)
        return self._scores


class IndexBatch:
    """Changes made while holding the write lock (see `IndexStore.writing`)."""

    def __init__(self, writer: IndexWriter) -> None:
        self.writer = writer

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace documents."""
        count = 0
        for doc in docs:
            self.writer.update_document(**index_fields(doc))
            count += 1
        return count

    def remove(self, kind: str, doc_id: int) -> None:
        """Remove a document if it is there."""
        self.writer.delete_by_term("key", doc_key(kind, doc_id))


class IndexStore:
    """A Whoosh index under `index_dir`: documents in, a searcher per thread out (engine.py)."""

    def __init__(self, index_dir: str | os.PathLike[str], *, write_timeout: float = 5.0) -> None:
        self.root = Path(index_dir)
        self.write_timeout = write_timeout
        self._local = threading.local()

    # -- state of the index ------------------------------------------------------------------

    def _current_path(self) -> Path:
        try:
            name = (self.root / POINTER).read_text("utf-8").strip()
        except OSError as exc:
            raise SearchUnavailable(f"no search index in {self.root}") from exc
        path = self.root / name
        if not name.startswith("index-") or not path.is_dir():
            raise SearchUnavailable(f"the search index {path} is missing")
        return path

    def _open(self) -> whoosh_index.Index:
        attempt = 0
        while True:
            path = self._current_path()
            try:
                return whoosh_index.open_dir(str(path))
            except FileNotFoundError as exc:
                # Another process committed between our finding the newest table of contents
                # and reading it, and removed it: a second look finds the new one.
                attempt += 1
                if attempt == OPEN_ATTEMPTS:
                    raise SearchUnavailable(
                        f"the search index {path} cannot be opened: {exc}"
                    ) from exc
                time.sleep(0.01 * attempt)
            except Exception as exc:  # a corrupt index fails in many ways; all mean "rebuild"
                raise SearchUnavailable(f"the search index {path} cannot be opened: {exc}") from exc

    def exists(self) -> bool:
        """True when a readable index is in place."""
        return self.health()["available"] is True

    def health(self) -> dict[str, object]:
        """Whether the index can be searched, and how many documents it holds."""
        try:
            with self._reading() as state:
                return {"available": True, "documents": state.searcher.doc_count(), "error": None}
        except SearchUnavailable as exc:
            return {"available": False, "documents": 0, "error": str(exc)}

    @contextlib.contextmanager
    def _reading(self) -> Iterator[ReadState]:
        """This thread's up-to-date searcher; any failure reading the index is SearchUnavailable."""
        state: ReadState | None = getattr(self._local, "state", None)
        try:
            name = self._current_path().name
            if state is None or state.name != name or not state.searcher.up_to_date():
                # A fresh searcher rather than Searcher.refresh(): refresh reuses segment
                # readers by segment identity and so misses deletions made since (whoosh3).
                if state is not None:
                    state.searcher.close()
                state = ReadState(name, self._open().searcher(weighting=FamilyBM25F()))
            self._local.state = state
            yield state
        except SearchUnavailable:
            self._local.state = None
            raise
        except Exception as exc:
            self._local.state = None
            log.exception("search index unreadable")
            raise SearchUnavailable(f"the search index cannot be read: {exc}") from exc

    # -- writing -----------------------------------------------------------------------------

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add documents, replacing any with the same (kind, id). Returns how many."""
        rows = [index_fields(doc) for doc in docs]
        if rows:
            with self.writing() as batch:
                for row in rows:
                    batch.writer.update_document(**row)
        return len(rows)

    def remove(self, kind: str, doc_id: int) -> None:
        """Remove one document; removing one that is not there is not an error."""
        with self.writing() as batch:
            batch.remove(kind, doc_id)

    @contextlib.contextmanager
    def writing(self, timeout: float | None = None) -> Iterator[IndexBatch]:
        """Hold the index's write lock for a block; its index/remove calls commit together.

        Whoever holds the lock is the only writer, so a caller that reads what to write
        (from the database) inside the block cannot be overtaken by an older reading.
        Raises SearchBusy when the lock stays taken for `timeout` (default write_timeout)
        seconds; an error inside the block cancels every change made in it.
        """
        timeout = self.write_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            with self._rebuild_lock(exclusive=False) as free:
                if free:
                    ix = self._open()
                    try:
                        writer = ix.writer(compound=COMPOUND)
                    except LockError:
                        writer = None
                    if writer is not None:
                        try:
                            yield IndexBatch(writer)
                        except BaseException:
                            writer.cancel()
                            raise
                        writer.commit()
                        return
            if time.monotonic() + delay > deadline:
                raise SearchBusy(f"the search index stayed locked for {timeout:.1f}s")
            time.sleep(delay * random.uniform(0.5, 1.5))  # jitter: writers must not retry in step
            delay = min(delay * 2, 0.2)

    @contextlib.contextmanager
    def _rebuild_lock(self, exclusive: bool) -> Iterator[bool]:
        """Try (without blocking) to take rebuild.lock; yields whether we got it."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / "rebuild.lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            try:
                mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                got = True
            except BlockingIOError:
                got = False
            yield got
        finally:
            os.close(fd)  # closing releases the lock

    # -- rebuilding --------------------------------------------------------------------------

    def rebuild(self, docs: Iterable[SearchDocument], *, wait: float = 30.0) -> int:
        """Build a fresh index from `docs` and swap it in atomically; returns the count.

        Searches keep using the old index meanwhile. Waits up to `wait` seconds for writers to
        finish before starting, then raises SearchBusy.
        """
        deadline = time.monotonic() + wait
        while True:
            with self._rebuild_lock(exclusive=True) as got:
                if got:
                    return self._build_and_swap(docs)
            if time.monotonic() > deadline:
                raise SearchBusy("another rebuild or writer holds the search index")
            time.sleep(0.05)

    def _build_and_swap(self, docs: Iterable[SearchDocument]) -> int:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        name = f"index-{stamp}-{uuid.uuid4().hex[:8]}"
        path = self.root / name
        path.mkdir(parents=True)
        count = 0
        try:
            ix = whoosh_index.create_in(str(path), build_schema())
            writer = ix.writer(limitmb=256, compound=COMPOUND)
            try:
                for doc in docs:
                    writer.add_document(**index_fields(doc))
                    count += 1
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        try:
            previous = self._current_path().name
        except SearchUnavailable:
            previous = None
        tmp = self.root / f".{POINTER}.{uuid.uuid4().hex}"
        tmp.write_text(name, "utf-8")
        os.replace(tmp, self.root / POINTER)
        self._remove_old({name, previous})
        return count

    def _remove_old(self, keep: set[str | None]) -> None:
        # The previous index stays until the next rebuild: searches opened on it may still read.
        for entry in self.root.glob("index-*"):
            if entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
