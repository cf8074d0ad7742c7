"""Full-text search that understands Norwegian: bokmål and nynorsk forms, compounds, SDG refs.

The engine (engine.py and the modules it uses) works on plain `SearchDocument`s. The app side:
builder.py turns projects and practices into documents, changes.py keeps the index true after
every commit, services.py searches with a database fallback, views.py serves /sok and
/api/v1/search, cli.py the `flask search` commands.
"""

from flask import Blueprint

from baerekraft_hub.search.documents import (
    Drift,
    SearchBusy,
    SearchDocument,
    SearchHit,
    SearchResults,
    SearchUnavailable,
)
from baerekraft_hub.search.engine import SearchEngine

bp = Blueprint("search", __name__)

__all__ = [
    "Drift",
    "SearchBusy",
    "SearchDocument",
    "SearchEngine",
    "SearchHit",
    "SearchResults",
    "SearchUnavailable",
    "bp",
]
