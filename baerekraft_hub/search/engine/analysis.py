"""Text analysis: one way to split words, and per-language word analysis shared by indexing
and querying, so a query word is analysed exactly as the indexed word was.

Each function takes one folded word and returns its terms (cached): a backend's tokenizer
(whoosh/schema.py) or a backend that stores analysed terms calls them for every word. Whoosh
is used here only as a library, for its English stemmer and stop list.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from whoosh.lang import stemmer_for_language
from whoosh.lang.stopwords import stoplists

from baerekraft_hub.search.engine import norwegian

WORD = re.compile(r"[^\W_]+")
_KEEP = frozenset("æøå")
_ENGLISH_STOPWORDS = stoplists["en"]
_english_stem = stemmer_for_language("en")
# Typed without æ/ø/å: baerekraft, Tromsoe, Aalesund. Tried as an alternative at query time only,
# so `bioenergi` or `poeng` in documents are never rewritten.
_ASCII_SPELLINGS = (("aa", "å"), ("ae", "æ"), ("oe", "ø"))


def normalise(text: str) -> str:
    """Unicode-normalise text the same way everywhere (fullwidth letters, ligatures)."""
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower-case and drop accents (é, ü, á), keeping æ, ø and å as the letters they are."""
    word = word.lower()
    if word.isascii():
        return word
    return "".join(
        ch
        if ch in _KEEP
        else "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        for ch in word
    )


def ascii_alternative(word: str) -> str | None:
    """The æ/ø/å spelling of a word typed as ae/oe/aa, if it has one."""
    alternative = word
    for typed, letter in _ASCII_SPELLINGS:
        alternative = alternative.replace(typed, letter)
    return alternative if alternative != word else None


@lru_cache(maxsize=200_000)
def english_terms(word: str) -> tuple[str, ...]:
    """The English stem of a folded word, or nothing for a stop word."""
    if word in _ENGLISH_STOPWORDS or len(word) < 2:
        return ()
    return (_english_stem(word) if word.isalpha() else word,)


@lru_cache(maxsize=50_000)
def name_terms(word: str) -> tuple[str, ...]:
    """Terms for names of places and organisations: inflection stripped, no splitting."""
    if word in norwegian.STOPWORDS or len(word) < 2:
        return ()
    return (norwegian.stem(word),)


def norwegian_terms(word: str) -> tuple[str, ...]:
    """Norwegian terms of a folded word: whole word, then compound parts (see `norwegian`)."""
    if len(word) < 2:
        return ()
    return norwegian.word_terms(word)


def spelling_terms(word: str) -> tuple[str, ...]:
    """Surface words for 'did you mean': real words people write, not stems."""
    return (word,) if len(word) >= 3 and word.isalpha() else ()


TERM_FUNCTIONS = {
    "no": norwegian_terms,
    "en": english_terms,
    "name": name_terms,
    "spelling": spelling_terms,
}


def words(text: str) -> Iterator[re.Match[str]]:
    """Words of a text, with their character offsets."""
    return WORD.finditer(text)


@dataclass(frozen=True)
class QueryWord:
    """One word of a query, analysed for every field family it is searched in."""

    text: str
    whole: str | None  # the Norwegian whole-word term
    parts: tuple[str, ...]  # top-level compound parts (empty for simple words)
    english: str | None
    name: str | None
    common: bool = False  # too general to require (data/common.txt)
    # Other words it stands for (synonyms.py), each a word or a phrase of all-needed words;
    # searched with a lower weight than the typed word.
    alternatives: tuple[tuple[QueryWord, ...], ...] = ()

    @property
    def norwegian_terms(self) -> tuple[str, ...]:
        """All Norwegian terms, for highlighting."""
        return tuple(t for t in (self.whole, *self.parts) if t)


@lru_cache(maxsize=1)
def _common_terms() -> frozenset[str]:
    listed = {w for line in norwegian.data_lines("common.txt") for w in line.split()}
    return frozenset(t for w in listed for t in (norwegian.split_terms(w)[0], w) if t)


def analyse_query_word(word: str) -> QueryWord:
    """Analyse one folded query word as Norwegian, English and as a name."""
    whole, parts = norwegian.split_terms(word) if len(word) >= 2 else (None, ())
    english = english_terms(word)
    name = name_terms(word)
    return QueryWord(
        text=word,
        whole=whole,
        parts=parts,
        english=english[0] if english else None,
        name=name[0] if name else None,
        common=word in _common_terms() or whole in _common_terms(),
    )
