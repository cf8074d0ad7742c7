"""What a search backend provides: the whole of what the app asks of search.

The app side (builder.py, changes.py, services.py, cli.py) talks to its backend only through
this interface, with the plain data of documents.py; it never sees Whoosh. A backend keeps
documents by (kind, id), searches them with our Norwegian analysis (analysis.py, query.py)
and marks snippets with it (snippets.py). The Whoosh backend (whoosh/) is the embedded one,
with its index in a folder on one machine; the PostgreSQL backend (postgresql/) keeps the
documents in the app's database, written in the transaction of each change (`in_transaction`).

Errors: a backend raises `SearchUnavailable` when it cannot be read or written at all (the app
then searches the database instead and rebuilds), and `SearchBusy` when a write could not get
in within its time (the app keeps the change queued and tries again).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from baerekraft_hub.search.engine.documents import (
    NO_FILTERS,
    Drift,
    Filters,
    SearchDocument,
    SearchHit,
    SearchResults,
)


class IndexBatch(Protocol):
    """Writes that take effect together, when the `writing` block ends without an error."""

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add documents, replacing any with the same (kind, id). Returns how many."""
        ...

    def remove(self, kind: str, doc_id: int) -> None:
        """Remove one document; removing one that is not there is not an error."""
        ...


class SearchBackend(Protocol):
    """Index, remove and search `SearchDocument`s; the app holds one per process."""

    def writing(self, timeout: float | None = None) -> AbstractContextManager[IndexBatch]:
        """Be the only writer for a block; its writes commit together at the end.

        The app reads what to write (from the database) inside the block, so an older reading
        cannot overtake a newer one. Raises SearchBusy when no turn comes within `timeout`.
        """
        ...

    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace documents at once (one `writing` block). Returns how many."""
        ...

    def remove(self, kind: str, doc_id: int) -> None:
        """Remove one document at once (one `writing` block)."""
        ...

    def rebuild(self, docs: Iterable[SearchDocument], *, wait: float = 30.0) -> int:
        """Replace everything with `docs`; searches see the old documents until it is done.

        Waits up to `wait` seconds for writers to finish, then raises SearchBusy.
        """
        ...

    def search(
        self,
        query: str = "",
        *,
        filters: Filters = NO_FILTERS,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
    ) -> SearchResults:
        """One page of results for what a person typed, with the facet filters applied.

        Facets are counted under the query and every *other* facet's filter. `sort` is
        "relevance" (recency breaks ties) or "newest". With no hit for every word, the results
        are those with some word (`partial`), else those with near spellings (`fuzzy`).
        """
        ...

    def suggest(self, query: str) -> str | None:
        """The query with unknown words corrected ("Did you mean …"), or None."""
        ...

    def similar(self, kind: str, doc_id: int, limit: int = 5) -> list[SearchHit]:
        """Documents most like this one (not itself); none when it is not indexed."""
        ...

    def check(self, expected: Mapping[tuple[str, int], datetime]) -> Drift:
        """Compare what is indexed with what should be: (kind, id) -> updated_at."""
        ...

    def exists(self) -> bool:
        """True when the backend can be searched."""
        ...

    def health(self) -> dict[str, object]:
        """{"available": bool, "documents": int, "error": str | None}."""
        ...

    def doc_count(self) -> int:
        """How many documents are indexed."""
        ...
