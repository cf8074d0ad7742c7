"""Full-text search that understands Norwegian: bokmål and nynorsk forms, compounds, SDG refs.

The engine works on plain `SearchDocument`s; the app turns its models into them. Views and
commands (the /sok page, the JSON API, `flask search reindex|check`) are wired in separately.
"""

from baerekraft_hub.search.documents import (
    Drift,
    SearchBusy,
    SearchDocument,
    SearchHit,
    SearchResults,
    SearchUnavailable,
)
from baerekraft_hub.search.engine import SearchEngine

__all__ = [
    "Drift",
    "SearchBusy",
    "SearchDocument",
    "SearchEngine",
    "SearchHit",
    "SearchResults",
    "SearchUnavailable",
]
