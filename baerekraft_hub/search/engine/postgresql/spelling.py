"""Near spellings from the vocabulary (`search_word`, trigram-indexed): fuzzy results and
"Mente du …".

The trigram index finds a few dozen similar words quickly; the exact edit distance (1, or 2
for long words, the first letter kept, as in the Whoosh backend) is then checked here.
A correction is the most frequent near word among the documents.
"""

from __future__ import annotations

import re
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from baerekraft_hub.search.engine.analysis import QueryWord, analyse_query_word, fold
from baerekraft_hub.search.engine.postgresql.schema import TABLE, WORDS
from baerekraft_hub.search.engine.postgresql.tsquery import word_query
from baerekraft_hub.search.engine.query import ParsedQuery

_MIN_LENGTH = 4  # shorter words have too many neighbours to guess from
_MAX_EXPANSION = 64  # near spellings one fuzzy word may expand to
_TRIGRAM_CANDIDATES = 200
_SIMILARITY = 0.2  # low: a typo in a short word breaks many of its few trigrams


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


def near_words(connection: Connection, word: str, maxdist: int) -> list[str]:
    """Vocabulary words within `maxdist` edits of `word`, with the same first letter."""
    rows = connection.execute(
        sa.text(
            f"SELECT word FROM {WORDS} WHERE word % :word AND left(word, 1) = left(:word, 1)"
            " ORDER BY similarity(word, :word) DESC LIMIT :limit"
        ),
        {"word": word, "limit": _TRIGRAM_CANDIDATES},
    )
    return sorted(w for (w,) in rows if w != word and distance(w, word) <= maxdist)


def _similarity(connection: Connection) -> None:
    connection.execute(sa.text(f"SELECT set_limit({_SIMILARITY})"))


class NearSpellings:
    """For fuzzy mode: a query word's near spellings, analysed as query words."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._ready = False
        self._found: dict[str, list[QueryWord]] = {}

    def __call__(self, word: QueryWord) -> list[QueryWord]:
        if word.text not in self._found:
            self._found[word.text] = self._near(word)
        return self._found[word.text]

    def _near(self, word: QueryWord) -> list[QueryWord]:
        term = word.whole or word.english or ""
        if not word.text.isalpha() or len(word.text) < _MIN_LENGTH or not term:
            return []
        if not self._ready:
            _similarity(self.connection)
            self._ready = True
        maxdist = 1 if len(word.text) < 7 else 2
        near = near_words(self.connection, word.text, maxdist)[:_MAX_EXPANSION]
        return [analyse_query_word(w) for w in near]


def _known(connection: Connection, words: list[QueryWord]) -> list[bool]:
    """For each word, whether any document has it (or a spelling of it, or all its parts)."""
    if not words:
        return []
    selects = " , ".join(
        f"EXISTS (SELECT 1 FROM {TABLE} WHERE terms @@ CAST(:q{i} AS tsquery))"
        for i in range(len(words))
    )
    params = {f"q{i}": word_query(w) for i, w in enumerate(words)}
    return list(connection.execute(sa.text(f"SELECT {selects}"), params).one())


def correction(connection: Connection, word: str) -> str | None:
    """The most frequent near word at the smallest edit distance (1, or 2 for long words)."""
    for maxdist in (1, 2) if len(word) >= 7 else (1,):
        near = near_words(connection, word, maxdist)[:20]
        queries = {c: word_query(analyse_query_word(c)) for c in near}
        candidates = [c for c in near if queries[c]]
        if not candidates:
            continue
        frequency = " UNION ALL ".join(
            f"SELECT {i}, count(*) FROM {TABLE} WHERE terms @@ CAST(:q{i} AS tsquery)"
            for i in range(len(candidates))
        )
        params = {f"q{i}": queries[c] for i, c in enumerate(candidates)}
        counts = dict(connection.execute(sa.text(frequency), params).all())
        best = max(range(len(candidates)), key=lambda i: (counts.get(i, 0), candidates[i]))
        if counts.get(best):
            return candidates[best]
    return None


def suggestion_for(connection: Connection, parsed: ParsedQuery) -> str | None:
    """The query with unknown words corrected, or None when every word is known."""
    asked = [w for w in parsed.words if len(w.text) >= _MIN_LENGTH and w.text.isalpha()]
    unknown = [w for w, known in zip(asked, _known(connection, asked), strict=True) if not known]
    if not unknown:
        return None
    _similarity(connection)
    text, changed = fold(parsed.text), False
    for word in unknown:
        fixed = correction(connection, word.text)
        if fixed:
            text = re.sub(rf"(?<!\w){re.escape(word.text)}(?!\w)", fixed, text)
            changed = True
    return " ".join(text.split()) if changed else None
