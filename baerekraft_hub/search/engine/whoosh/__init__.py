"""The Whoosh backend: an index in a folder on one machine, kept and searched in-process.

store.py      the index folder: the live index, write lock, atomic rebuilds
engine.py     `WhooshEngine`: search, suggestions, similar items, drift checks
schema.py     fields, their analyzer, and how a document fills them
clauses.py    a parsed query as Whoosh query clauses
facets.py     facet counts and matching with per-term bitsets
ranking.py    scoring a bounded set of the best matches
spelling.py   "Did you mean …"
similar.py    "more like this"
"""

from baerekraft_hub.search.engine.whoosh.engine import WhooshEngine

__all__ = ["WhooshEngine"]
