"""The search engine: a library that knows documents, Norwegian and indexes, not the app.

Nothing in here imports Flask or another part of Bærekraftshub: the app (the modules beside
this package) describes its content as `SearchDocument`s and talks to a `SearchBackend`.

    backend.py     the interface every backend provides
    documents.py   the plain data going in and out, and the errors
    analysis.py    word analysis shared by indexing and querying (norwegian.py, data/)
    query.py       what a person typed, parsed into analysed words and SDG references
    snippets.py    result snippets with the matched words marked
    whoosh/        the Whoosh backend: an index in a folder, for one machine
    postgresql/    the PostgreSQL backend: documents in the app's database, for several machines
"""

from baerekraft_hub.search.engine.backend import IndexBatch, SearchBackend
from baerekraft_hub.search.engine.documents import (
    NO_FILTERS,
    STATUSES,
    Drift,
    Filters,
    SearchBusy,
    SearchDocument,
    SearchHit,
    SearchResults,
    SearchUnavailable,
)

__all__ = [
    "STATUSES",
    "NO_FILTERS",
    "Drift",
    "Filters",
    "IndexBatch",
    "SearchBackend",
    "SearchBusy",
    "SearchDocument",
    "SearchHit",
    "SearchResults",
    "SearchUnavailable",
]
