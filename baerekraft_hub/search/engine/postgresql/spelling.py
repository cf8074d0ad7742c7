"""Near spellings from the vocabulary (`search_word`, trigram-indexed): fuzzy results and
"Mente du …".

The trigram index finds a few dozen similar words quickly; the exact edit distance (1, or 2
for long words, the first letter kept, as in the Whoosh backend) is then checked here. A
correction is the most frequent near word among the documents. One `NearSpellings` serves a
search, so a typed word is looked up once for both its fuzzy results and its suggestion.
"""

from __future__ import annotations

import re
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from baerekraft_hub.search.engine import norwegian
from baerekraft_hub.search.engine.analysis import QueryWord, analyse_query_word, fold, words
from baerekraft_hub.search.engine.postgresql.schema import TABLE, WORDS
from baerekraft_hub.search.engine.postgresql.tsquery import word_query
from baerekraft_hub.search.engine.query import ParsedQuery

_MIN_LENGTH = 4  # shorter words have too many neighbours to guess from
_MAX_EXPANSION = 64  # near spellings one fuzzy word may expand to
_TRIGRAM_CANDIDATES = 200
# pg_trgm's `%` threshold: low, as a typo in a short word breaks many of its few trigrams.
# Set (SET LOCAL) with the search's other settings in engine.py.
SIMILARITY = 0.2


@lru_cache(maxsize=50_000)
def distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _max_distance(word: str) -> int:
    return 1 if len(word) < 7 else 2


class NearSpellings:
    """A search's near-spelling look-ups: each typed word's vocabulary neighbours, once."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._found: dict[str, list[tuple[int, str]]] = {}

    def words(self, word: str) -> list[tuple[int, str]]:
        """(distance, word) of vocabulary words near `word` (same first letter), sorted."""
        if word not in self._found:
            rows = self.connection.execute(
                sa.text(
                    f"SELECT word FROM {WORDS} WHERE word % :word"
                    " AND left(word, 1) = left(:word, 1)"
                    " ORDER BY similarity(word, :word) DESC LIMIT :limit"
                ),
                {"word": word, "limit": _TRIGRAM_CANDIDATES},
            )
            limit = _max_distance(word)
            near = [(distance(w, word), w) for (w,) in rows if w != word]
            self._found[word] = sorted((d, w) for d, w in near if d <= limit)
        return self._found[word]

    def __call__(self, word: QueryWord) -> list[QueryWord]:
        """For fuzzy mode: the word's near spellings, analysed as query words."""
        if not word.text.isalpha() or len(word.text) < _MIN_LENGTH:
            return []
        if not (word.whole or word.english):
            return []
        near = [w for _, w in self.words(word.text)][:_MAX_EXPANSION]
        return [analyse_query_word(w) for w in sorted(near)]


def _known(connection: Connection, words: list[QueryWord]) -> list[bool]:
    """For each word, whether any document has it (or a spelling of it, or all its parts)."""
    if not words:
        return []
    selects = " , ".join(
        f"EXISTS (SELECT 1 FROM {TABLE} WHERE terms @@ CAST(:q{i} AS tsquery))"
        for i in range(len(words))
    )
    params = {f"q{i}": word_query(w, synonyms=False) for i, w in enumerate(words)}
    return list(connection.execute(sa.text(f"SELECT {selects}"), params).one())


def correction(
    connection: Connection, near: NearSpellings, word: str, standard: str = "nb"
) -> str | None:
    """The most frequent near word at the smallest edit distance (1, or 2 for long words),
    preferring words of the query's written standard, and given in it (as the Whoosh backend:
    a bokmål query is not told "berekraft", nor a nynorsk one "bærekraft")."""
    found = near.words(word)
    for maxdist in sorted({d for d, _ in found}):
        queries = {w: word_query(analyse_query_word(w)) for d, w in found if d == maxdist}
        candidates = [w for w, query in queries.items() if query][:20]
        if not candidates:
            continue
        frequency = " UNION ALL ".join(
            f"SELECT {i}, count(*) FROM {TABLE} WHERE terms @@ CAST(:q{i} AS tsquery)"
            for i in range(len(candidates))
        )
        params = {f"q{i}": queries[c] for i, c in enumerate(candidates)}
        counts = dict(connection.execute(sa.text(frequency), params).all())
        found_in = [i for i in range(len(candidates)) if counts.get(i)]
        if found_in:
            best = max(
                found_in,
                key=lambda i: (
                    norwegian.fits_standard(candidates[i], standard),
                    counts[i],
                    candidates[i],
                ),
            )
            return norwegian.in_standard(candidates[best], standard)
    return None


def suggestion_for(
    connection: Connection,
    parsed: ParsedQuery,
    near: NearSpellings | None = None,
    known: frozenset[str] = frozenset(),
) -> str | None:
    """The query with unknown words corrected, or None when every word is known.

    `known`: words the search already found in documents (no need to look again).
    """
    near = near or NearSpellings(connection)
    asked = [
        w
        for w in parsed.words
        if len(w.text) >= _MIN_LENGTH and w.text.isalpha() and w.text not in known
    ]
    unknown = [w for w, found in zip(asked, _known(connection, asked), strict=True) if not found]
    text, changed = fold(parsed.text), False
    standard = norwegian.written_standard([m.group() for m in words(text)])
    for word in unknown:
        fixed = correction(connection, near, word.text, standard)
        if fixed:
            text = re.sub(rf"(?<!\w){re.escape(word.text)}(?!\w)", fixed, text)
            changed = True
    return " ".join(text.split()) if changed else None
