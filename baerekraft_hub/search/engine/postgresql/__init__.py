"""The PostgreSQL backend: documents in a table of the app's database, for several machines.

schema.py     the documents table and vocabulary, and a document as a row of analysed terms
engine.py     `PostgresEngine`: writing (in the change's transaction), rebuilds, search
tsquery.py    a parsed query as tsquery literals over our own terms
facets.py     totals and facet counts in one statement
spelling.py   near spellings: fuzzy results and "Mente du …"
similar.py    "more like this"
"""

from baerekraft_hub.search.engine.postgresql.engine import PostgresEngine

__all__ = ["PostgresEngine"]
