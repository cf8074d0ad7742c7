"""What a person typed, parsed: analysed words and SDG references, ready for any backend.

We never hand user text to a query language (Whoosh's `QueryParser`, SQL's `to_tsquery`): its
syntax (`field:`, AND/OR/NOT, quotes, `*`) is not something our users mean, and QueryParser's
cost grows with the square of the query length. Instead the text is capped, cleaned and split
into words, each analysed as indexing analyses it; SDG references (`11.6`, `mål 13`, `SDG 13`)
are taken out as goals and targets. A backend builds its own query from the `ParsedQuery`
(whoosh/clauses.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from baerekraft_hub.search.engine.analysis import (
    QueryWord,
    analyse_query_word,
    ascii_alternative,
    fold,
    normalise,
    words,
)
from baerekraft_hub.search.engine.synonyms import thesaurus

MAX_QUERY_CHARS = 200  # cut before any parsing: nobody types more, and cost grows with length
MAX_WORDS = 10
MAX_WORD_CHARS = 40  # longer "words" are pasted junk; fuzzy matching on them is costly

_GOAL_WORDS = (
    r"(?:fns?[\s-]*)?(?:b[æa]e?rekrafts?m[åa]a?l(?:et)?|berekrafts?m[åa]a?l(?:et)?"
    r"|m[åa]a?l(?:et)?|sdg|goal|delm[åa]a?l|target)"
)
_TARGET = re.compile(rf"(?<![\w.])(?:{_GOAL_WORDS}\s*)?(\d{{1,2}})\.(\d{{1,2}}|[a-c])(?![\w.])")
_GOAL = re.compile(rf"(?<![\w.]){_GOAL_WORDS}\s*(?:nr\.?|nummer|no\.?|#|-)?\s*(\d{{1,2}})(?![\w.])")
_OPERATORS = frozenset({"AND", "OR", "NOT"})


@dataclass
class ParsedQuery:
    """The cleaned query: plain words, and the SDG goals and targets it referred to."""

    text: str
    words: list[QueryWord] = field(default_factory=list)
    goals: set[int] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)

    @property
    def is_empty(self) -> bool:
        """True when nothing searchable is left (only filters apply)."""
        return not (self.words or self.goals or self.targets)


def clean(raw: str) -> str:
    """Cap the length first, then drop control and invisible characters."""
    text = normalise(str(raw)[: MAX_QUERY_CHARS * 2])[:MAX_QUERY_CHARS]
    return "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text).strip()


def parse(raw: str) -> ParsedQuery:
    """Split a query into SDG references and analysed words."""
    text = clean(raw)
    parsed = ParsedQuery(text=text)
    kept = [w for w in text.split() if w not in _OPERATORS]
    rest = fold(" ".join(kept))

    def take_target(match: re.Match[str]) -> str:
        goal, suffix = int(match.group(1)), match.group(2)
        if not 1 <= goal <= 17:
            return match.group(0)
        parsed.targets.add(f"{goal}.{suffix}")
        return " "

    def take_goal(match: re.Match[str]) -> str:
        goal = int(match.group(1))
        if not 1 <= goal <= 17:
            return match.group(0)
        parsed.goals.add(goal)
        return " "

    rest = _GOAL.sub(take_goal, _TARGET.sub(take_target, rest))
    typed = [m.group() for m in words(rest) if len(m.group()) <= MAX_WORD_CHARS][: MAX_WORDS * 2]
    expansions = thesaurus().expansions(typed)
    seen: set[str] = set()
    for word, alternatives in zip(typed, expansions, strict=True):
        if word in seen:
            continue
        seen.add(word)
        analysed = analyse_query_word(word)
        if not (analysed.whole or analysed.english):
            continue
        if alternatives:
            analysed = replace(analysed, alternatives=_analysed(alternatives))
        parsed.words.append(analysed)
        if len(parsed.words) >= MAX_WORDS:
            break
    return parsed


def _analysed(alternatives) -> tuple[tuple[QueryWord, ...], ...]:
    """Synonyms as analysed words; stop words inside a phrase are left out."""
    result = []
    for phrase in alternatives:
        analysed = [analyse_query_word(w) for w in phrase]
        analysed = tuple(w for w in analysed if w.whole and w.english or len(phrase) == 1)
        if analysed and all(w.whole or w.english for w in analysed):
            result.append(analysed)
    return tuple(result)


def spellings(word: QueryWord) -> list[QueryWord]:
    """The word, and its æ/ø/å spelling when it was typed with ae/oe/aa."""
    alternative = ascii_alternative(word.text)
    return [word, analyse_query_word(alternative)] if alternative else [word]


def highlight_terms(parsed: ParsedQuery) -> set[str]:
    """Terms whose words the snippet should mark."""
    terms: set[str] = set()
    for word in parsed.words:
        for w in spellings(word):
            terms.update(w.norwegian_terms)
            if w.english:
                terms.add("en:" + w.english)
    return terms
