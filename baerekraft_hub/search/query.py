"""From what a person typed to a Whoosh query, without Whoosh's query parser.

We never hand user text to `QueryParser`: its syntax (`field:`, AND/OR/NOT, quotes, `*`) is not
something our users mean, and its cost grows with the square of the query length. Instead the
text is capped, cleaned, split into words, and each word becomes a clause we build ourselves.
SDG references (`11.6`, `mål 13`, `SDG 13`) become clauses on the goal and target fields.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh import query as wq

from baerekraft_hub.search.analysis import (
    QueryWord,
    analyse_query_word,
    ascii_alternative,
    fold,
    normalise,
    words,
)

MAX_QUERY_CHARS = 200  # cut before any parsing: nobody types more, and cost grows with length
MAX_WORDS = 10
MAX_WORD_CHARS = 40  # longer "words" are pasted junk; fuzzy matching on them is costly

# Where a word is looked for, and how much a match there counts: title > summary/tags > body.
NORWEGIAN_FIELDS = {"title_no": 3.0, "lead_no": 2.0, "body_no": 1.0}
ENGLISH_FIELDS = {"title_en": 3.0, "lead_en": 2.0, "body_en": 1.0}
NAME_FIELDS = {"places": 2.0, "organisation_name": 1.5}
PHRASE_BOOST = 2.0  # all words next to each other, in this order
PARTS_WEIGHT = 0.7  # compound parts found separately count less than the compound itself

_GOAL_WORDS = (
    r"(?:fns?[\s-]*)?(?:b[æa]e?rekrafts?m[åa]a?l(?:et)?|berekrafts?m[åa]a?l(?:et)?"
    r"|m[åa]a?l(?:et)?|sdg|goal|delm[åa]a?l|target)"
)
_TARGET = re.compile(rf"(?<![\w.])(?:{_GOAL_WORDS}\s*)?(\d{{1,2}})\.(\d{{1,2}}|[a-c])(?![\w.])")
_GOAL = re.compile(rf"(?<![\w.]){_GOAL_WORDS}\s*(?:nr\.?|nummer|no\.?|#|-)?\s*(\d{{1,2}})(?![\w.])")
_OPERATORS = frozenset({"AND", "OR", "NOT"})
_FUZZY_PREFIX = 1  # the first letter is rarely wrong, and fixing it keeps expansion small


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
    seen: set[str] = set()
    for match in words(rest):
        word = match.group()
        if word in seen or len(word) > MAX_WORD_CHARS:
            continue
        seen.add(word)
        analysed = analyse_query_word(word)
        if analysed.whole or analysed.english:
            parsed.words.append(analysed)
        if len(parsed.words) >= MAX_WORDS:
            break
    return parsed


def _any_field(fields: dict[str, float], term: str | None) -> list[wq.Query]:
    return [wq.Term(name, term, boost=boost) for name, boost in fields.items()] if term else []


def _fuzzy_any_field(fields: dict[str, float], term: str | None) -> list[wq.Query]:
    if not term or not term.isalpha() or len(term) < 4:
        return []
    maxdist = 1 if len(term) < 7 else 2
    return [
        wq.FuzzyTerm(name, term, boost=boost, maxdist=maxdist, prefixlength=_FUZZY_PREFIX)
        for name, boost in fields.items()
    ]


def spellings(word: QueryWord) -> list[QueryWord]:
    """The word, and its æ/ø/å spelling when it was typed with ae/oe/aa."""
    alternative = ascii_alternative(word.text)
    return [word, analyse_query_word(alternative)] if alternative else [word]


def word_clause(word: QueryWord, fuzzy: bool = False) -> wq.Query:
    """Everything one query word may match: any field family, whole compound or all its parts."""
    clauses: list[wq.Query] = []
    for w in spellings(word):
        if fuzzy:
            clauses += _fuzzy_any_field(NORWEGIAN_FIELDS, w.whole)
            clauses += _fuzzy_any_field(ENGLISH_FIELDS, w.english)
            clauses += _fuzzy_any_field(NAME_FIELDS, w.name)
            continue
        clauses += _any_field(NORWEGIAN_FIELDS, w.whole)
        if w.parts:
            every_part = [wq.Or(_any_field(NORWEGIAN_FIELDS, p)) for p in w.parts]
            clauses.append(wq.And(every_part, boost=PARTS_WEIGHT))
        clauses += _any_field(ENGLISH_FIELDS, w.english)
        clauses += _any_field(NAME_FIELDS, w.name)
    return wq.Or(clauses) if clauses else wq.NullQuery


def sdg_clauses(parsed: ParsedQuery) -> list[wq.Query]:
    """Required clauses for referenced goals and targets (any of them may match)."""
    refs = [wq.Term("targets", t) for t in sorted(parsed.targets)]
    refs += [wq.Term("goals", str(g)) for g in sorted(parsed.goals)]
    return [wq.Or(refs)] if refs else []


def _phrase_bonus(parsed: ParsedQuery) -> wq.Query | None:
    norwegian = [w.whole for w in parsed.words if w.whole]
    english = [w.english for w in parsed.words if w.english]
    phrases: list[wq.Query] = []
    for terms, fields in ((norwegian, NORWEGIAN_FIELDS), (english, ENGLISH_FIELDS)):
        if len(terms) >= 2:
            phrases += [wq.Phrase(f, terms, boost=b * PHRASE_BOOST) for f, b in fields.items()]
    return wq.Or(phrases) if phrases else None


def build(parsed: ParsedQuery, mode: str = "all") -> wq.Query:
    """The Whoosh query: mode "all" needs every word, "any" some word, "fuzzy" near spellings.

    A word that is a stop word in one language only (`og`, `the`, `by`) is optional: it adds
    to the score where it matches but is required only when nothing else was typed.
    """
    fuzzy = mode == "fuzzy"
    strong = [w for w in parsed.words if w.whole and w.english]
    weak = [w for w in parsed.words if not (w.whole and w.english)]
    if not strong:
        strong, weak = weak, []
    word_clauses = [word_clause(w, fuzzy=fuzzy) for w in strong]
    required = sdg_clauses(parsed)
    if word_clauses:
        required.append(wq.Or(word_clauses) if mode == "any" else wq.And(word_clauses))
    if not required:
        return wq.Every()
    main = required[0] if len(required) == 1 else wq.And(required)
    bonus = [word_clause(w) for w in weak]
    phrase = None if fuzzy else _phrase_bonus(parsed)
    if phrase is not None:
        bonus.append(phrase)
    return wq.AndMaybe(main, wq.Or(bonus)) if bonus else main


def highlight_terms(parsed: ParsedQuery) -> set[str]:
    """Terms whose words the snippet should mark."""
    terms: set[str] = set()
    for word in parsed.words:
        for w in spellings(word):
            terms.update(w.norwegian_terms)
            if w.english:
                terms.add("en:" + w.english)
    return terms
