"""The one index schema for projects, practices and organisations, and how a document fills it.

Its text fields are analysed by `TermAnalyzer`, which asks analysis.py for each word's terms.
Renaming or moving that class breaks existing indexes (Whoosh pickles the schema): rebuild after.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from baerekraft_hub.search.engine.analysis import TERM_FUNCTIONS, fold, normalise, words
from baerekraft_hub.search.engine.documents import SearchDocument
from baerekraft_hub.search.engine.snippets import EXCERPT_CHARS, plain_text

# Where a word is looked for, and how much a match there counts: title > summary/tags > body.
NORWEGIAN_FIELDS = {"title_no": 3.0, "lead_no": 2.0, "body_no": 1.0}
ENGLISH_FIELDS = {"title_en": 3.0, "lead_en": 2.0, "body_en": 1.0}
NAME_FIELDS = {"places": 2.0, "organisation_name": 1.5}

# Facet name (as callers see it) -> index field.
FACET_FIELDS = {
    "kind": "kind",
    "goal": "goals",
    "county": "counties",
    "status": "status",
    "start_year": "start_year",
}


class TermAnalyzer(Tokenizer):
    """A Whoosh analyzer that emits each word's terms, all at the word's position."""

    def __init__(self, scheme: str) -> None:
        self.scheme = scheme

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TermAnalyzer) and other.scheme == self.scheme

    def __hash__(self) -> int:
        return hash(self.scheme)

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        """Tokenize `value`; stop words are dropped and positions renumbered around them."""
        terms_of = TERM_FUNCTIONS[self.scheme]
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for match in words(normalise(value)):
            terms = terms_of(fold(match.group()))
            if not terms:
                continue
            for term in terms:
                token.text = term
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = match.group()
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + match.start()
                    token.endchar = start_char + match.end()
                yield token
            pos += 1


def build_schema() -> Schema:
    """Text fields come in a Norwegian and an English family; a document fills the one of its
    language. Only what a result needs is stored, to keep the index small."""
    norwegian, english = TermAnalyzer("no"), TermAnalyzer("en")
    names, spelling = TermAnalyzer("name"), TermAnalyzer("spelling")
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True),
        doc_id=STORED,
        title=STORED,
        url=STORED,
        organisation=STORED,
        excerpt=STORED,
        language=STORED,
        family=ID,  # no | en: which text fields the document fills (weighting.py)
        updated=NUMERIC(bits=64, stored=True, sortable=True),
        title_no=TEXT(analyzer=norwegian),
        lead_no=TEXT(analyzer=norwegian),
        body_no=TEXT(analyzer=norwegian),
        title_en=TEXT(analyzer=english),
        lead_en=TEXT(analyzer=english),
        body_en=TEXT(analyzer=english),
        places=TEXT(analyzer=names, phrase=False),
        organisation_name=TEXT(analyzer=names, phrase=False),
        organisation_slug=ID,
        goals=KEYWORD(scorable=True),
        targets=KEYWORD(scorable=True, stored=True),
        counties=KEYWORD(commas=True),
        status=ID,
        start_year=ID,
        spelling=TEXT(analyzer=spelling, phrase=False),
    )


def doc_key(kind: str, doc_id: int) -> str:
    """The unique key of a document in the index."""
    return f"{kind}:{doc_id}"


def micros(moment: datetime) -> int:
    """A datetime as integer microseconds since the epoch (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp()) * 1_000_000 + moment.microsecond


def index_fields(doc: SearchDocument) -> dict[str, object]:
    """The field values Whoosh stores and indexes for one document."""
    body = plain_text(doc.body)
    lead = " ".join([doc.summary, *doc.tags])
    family = "en" if doc.language == "en" else "no"
    fields: dict[str, object] = {
        "key": doc_key(doc.kind, doc.id),
        "kind": doc.kind,
        "doc_id": doc.id,
        "title": doc.title,
        "url": doc.url,
        "organisation": doc.organisation,
        "excerpt": " ".join(filter(None, [doc.summary, body]))[:EXCERPT_CHARS],
        "language": family,
        "family": family,
        "updated": micros(doc.updated_at),
        f"title_{family}": doc.title,
        f"lead_{family}": lead,
        f"body_{family}": body,
        "places": " ; ".join(doc.places),
        "organisation_name": doc.organisation,
        "goals": " ".join(str(g) for g in sorted(set(doc.sdg_goals))),
        "targets": " ".join(sorted(set(doc.sdg_targets))),
        "counties": ",".join(doc.counties),
        "spelling": " ".join([doc.title, lead, body, *doc.places]),
    }
    if doc.organisation_slug:
        fields["organisation_slug"] = doc.organisation_slug
    if doc.status:
        fields["status"] = doc.status
    if doc.start_year:
        fields["start_year"] = str(doc.start_year)
    return fields
