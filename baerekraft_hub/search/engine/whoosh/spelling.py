"""'Did you mean …': replace query words found nowhere in the index by the nearest known word.

The suggestion is written in the query's own standard (norwegian.written_standard): a bokmål
query is not told "berekraft", nor a nynorsk query "bærekraft", when the index has both.
"""

from __future__ import annotations

import re

from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from baerekraft_hub.search.engine import norwegian
from baerekraft_hub.search.engine.analysis import QueryWord, fold, words
from baerekraft_hub.search.engine.query import ParsedQuery, spellings
from baerekraft_hub.search.engine.whoosh.ranking import near_terms
from baerekraft_hub.search.engine.whoosh.schema import ENGLISH_FIELDS, NAME_FIELDS, NORWEGIAN_FIELDS

_MIN_LENGTH = 4  # shorter words have too many neighbours to guess from


def _in_index(reader: IndexReader, fields: dict[str, float], term: str | None) -> bool:
    return bool(term) and any(reader.doc_frequency(name, term) for name in fields)


def is_known(reader: IndexReader, word: QueryWord) -> bool:
    """Whether the word (or a spelling of it, or all of its compound parts) is in the index."""
    for w in spellings(word):
        if (
            _in_index(reader, NORWEGIAN_FIELDS, w.whole)
            or _in_index(reader, ENGLISH_FIELDS, w.english)
            or _in_index(reader, NAME_FIELDS, w.name)
            or (w.parts and all(_in_index(reader, NORWEGIAN_FIELDS, p) for p in w.parts))
        ):
            return True
    return False


def correction(reader: IndexReader, word: str, standard: str = "nb") -> str | None:
    """The most frequent indexed word at the smallest edit distance (1, or 2 for long words),
    preferring words of the standard, and given in it."""
    for maxdist in (1, 2) if len(word) >= 7 else (1,):
        near = near_terms(reader, "spelling", word, maxdist, 1)
        candidates = [c for c in near if c != word]
        if candidates:
            best = max(
                candidates,
                key=lambda c: (
                    norwegian.fits_standard(c, standard),
                    reader.doc_frequency("spelling", c),
                    c,
                ),
            )
            return norwegian.in_standard(best, standard)
    return None


def suggestion_for(searcher: Searcher, parsed: ParsedQuery) -> str | None:
    """The query with unknown words corrected, or None when every word is known."""
    reader = searcher.reader()
    text, changed = fold(parsed.text), False
    standard = norwegian.written_standard([m.group() for m in words(text)])
    for word in parsed.words:
        if len(word.text) < _MIN_LENGTH or not word.text.isalpha() or is_known(reader, word):
            continue
        fixed = correction(reader, word.text, standard)
        if fixed:
            text = re.sub(rf"(?<!\w){re.escape(word.text)}(?!\w)", fixed, text)
            changed = True
    return " ".join(text.split()) if changed else None
