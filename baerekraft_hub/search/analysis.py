"""Text analysis: one tokenizer, and per-language word analysis shared by indexing and querying.

The Whoosh analyzers here are thin: they split text into words and ask a cached per-word
function for the word's terms, so a query word is analysed exactly as the indexed word was.
Renaming these classes breaks existing indexes (Whoosh pickles the schema): rebuild after.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from whoosh.analysis import Token, Tokenizer
from whoosh.lang import stemmer_for_language
from whoosh.lang.stopwords import stoplists

from baerekraft_hub.search import norwegian

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
        for match in WORD.finditer(normalise(value)):
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


@dataclass(frozen=True)
class QueryWord:
    """One word of a query, analysed for every field family it is searched in."""

    text: str
    whole: str | None  # the Norwegian whole-word term
    parts: tuple[str, ...]  # top-level compound parts (empty for simple words)
    english: str | None
    name: str | None

    @property
    def norwegian_terms(self) -> tuple[str, ...]:
        """All Norwegian terms, for highlighting."""
        return tuple(t for t in (self.whole, *self.parts) if t)


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
    )
