"""The documents table, and how a document becomes a row with a `tsvector` of our own terms.

PostgreSQL never analyses our text: its `norwegian` configuration knows neither our compounds,
nynorsk variants nor SDG references. We run analysis.py (the same functions the Whoosh fields
call) and hand PostgreSQL the finished terms as a `tsvector` literal, one namespace per field
family so a Norwegian, an English and a name term never meet:

    n:<term>  Norwegian terms        e:<term>  English terms     p:<term>  place/organisation names
    g:<goal>  linked SDG goals       t:<target> linked SDG targets

and a weight per field: A title, B summary and tags, C places and organisation, D body (the
ranking weights below play the part of the Whoosh field boosts). The surface words people write
go to `search_word`, a vocabulary with a trigram index, for typos and "Mente du".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from baerekraft_hub.search.engine.analysis import TERM_FUNCTIONS, fold, normalise, words
from baerekraft_hub.search.engine.documents import SearchDocument
from baerekraft_hub.search.engine.snippets import EXCERPT_CHARS, plain_text

TABLE = "search_document"
WORDS = "search_word"
# ts_rank's weights for D, C, B, A: body 1, names 1.75, summary/tags 2, title 3 (as Whoosh).
RANK_WEIGHTS = "{0.1,0.175,0.2,0.3}"
_MAX_POSITION = 16383  # PostgreSQL's limit; later words share it
_MAX_POSITIONS = 8  # per lexeme: more says little more (and PostgreSQL keeps 256)
# The tables themselves are made by migration 0017 (PostgreSQL only).


def lexeme(term: str) -> str:
    """A term quoted for a tsvector or tsquery literal."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _add(found: dict[str, list[str]], scheme: str, prefix: str, text: str, weight: str, at: int):
    terms_of = TERM_FUNCTIONS[scheme]
    position = at
    for match in words(normalise(text)):
        terms = terms_of(fold(match.group()))
        if not terms:
            continue
        position = min(position + 1, _MAX_POSITION)
        for term in terms:
            places = found.setdefault(prefix + term, [])
            if len(places) < _MAX_POSITIONS:
                places.append(f"{position}{weight}")
    return position + 1  # a gap, so a phrase never runs from one field into the next


def terms_literals(doc: SearchDocument, body: str) -> tuple[str, str]:
    """The document's analysed terms as `tsvector` literals: all of them, and the title's.

    The title's (`title_terms`) are few and kept inline, so choosing which of many
    matches to rank costs little (facets.py); ranking reads the whole vector of those alone.
    """
    scheme, prefix = ("en", "e:") if doc.language == "en" else ("no", "n:")
    found: dict[str, list[str]] = {}
    at = _add(found, scheme, prefix, doc.title, "A", 0)
    title = _literal(found)
    at = _add(found, scheme, prefix, " ".join([doc.summary, *doc.tags]), "B", at)
    at = _add(found, "name", "p:", " ; ".join([*doc.places, doc.organisation]), "C", at)
    _add(found, scheme, prefix, body, "D", at)
    for goal in set(doc.sdg_goals):
        found[f"g:{goal}"] = ["1D"]
    for target in set(doc.sdg_targets):
        found[f"t:{target}"] = ["1D"]
    return _literal(found), title


def _literal(found: dict[str, list[str]]) -> str:
    return " ".join(f"{lexeme(term)}:{','.join(places)}" for term, places in found.items())


def surface_words(doc: SearchDocument, body: str) -> set[str]:
    """The words a person may mistype, for the vocabulary (as Whoosh's `spelling` field)."""
    text = " ".join([doc.title, doc.summary, *doc.tags, body, *doc.places])
    spelling = TERM_FUNCTIONS["spelling"]
    return {term for m in words(normalise(text)) for term in spelling(fold(m.group()))}


def utc(moment: datetime) -> datetime:
    """A datetime with a time zone (naive values are taken as UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def row_of(doc: SearchDocument) -> tuple[dict[str, object], set[str]]:
    """The table row of a document, and its surface words."""
    body = plain_text(doc.body)
    row = {
        "kind": doc.kind,
        "doc_id": doc.id,
        "title": doc.title,
        "url": doc.url,
        "organisation": doc.organisation,
        "excerpt": " ".join(filter(None, [doc.summary, body]))[:EXCERPT_CHARS],
        "language": "en" if doc.language == "en" else "no",
        "goals": sorted(set(doc.sdg_goals)),
        "targets": sorted(set(doc.sdg_targets)),
        "counties": list(dict.fromkeys(doc.counties)),
        "status": doc.status,
        "start_year": doc.start_year,
        "updated_at": utc(doc.updated_at),
    }
    row["terms"], row["title_terms"] = terms_literals(doc, body)
    return row, surface_words(doc, body)


COLUMNS = (
    "kind, doc_id, title, url, organisation, excerpt, language, goals, targets, counties,"
    " status, start_year, updated_at, terms, title_terms"
)
VALUES = (
    ":kind, :doc_id, :title, :url, :organisation, :excerpt, :language,"
    " CAST(:goals AS INTEGER[]), CAST(:targets AS TEXT[]), CAST(:counties AS TEXT[]),"
    " :status, :start_year, :updated_at, CAST(:terms AS TSVECTOR), CAST(:title_terms AS TSVECTOR)"
)
UPSERT = (
    f"INSERT INTO {TABLE} ({COLUMNS}) VALUES ({VALUES}) ON CONFLICT (kind, doc_id) DO UPDATE SET "
    + ", ".join(f"{c.strip()} = excluded.{c.strip()}" for c in COLUMNS.split(",")[2:])
    + ", written_at = clock_timestamp()"
)
INSERT_WORDS = (
    f"INSERT INTO {WORDS} (word) SELECT unnest(CAST(:words AS TEXT[])) ON CONFLICT DO NOTHING"
)


def sorted_words(found: Iterable[str]) -> list[str]:
    """Words in one order for every writer, so two transactions never wait on each other
    in opposite orders (a deadlock)."""
    return sorted(set(found))
