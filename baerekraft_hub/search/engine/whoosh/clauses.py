"""From a parsed query to a Whoosh query: one clause per word, built by us (see query.py).

A word may match in any field family (Norwegian, English, names), as the whole compound or as
all of its parts; SDG references become required clauses on the goal and target fields.
"""

from __future__ import annotations

from whoosh import query as wq

from baerekraft_hub.search.engine.analysis import QueryWord
from baerekraft_hub.search.engine.query import ParsedQuery, spellings
from baerekraft_hub.search.engine.whoosh.schema import ENGLISH_FIELDS, NAME_FIELDS, NORWEGIAN_FIELDS

PHRASE_BOOST = 2.0  # all words next to each other, in this order
PARTS_WEIGHT = 0.7  # compound parts found separately count less than the compound itself
SYNONYM_WEIGHT = 0.5  # a synonym or translation counts less than the word typed
_FUZZY_PREFIX = 1  # the first letter is rarely wrong, and fixing it keeps expansion small


def _any_field(fields: dict[str, float], term: str | None) -> list[wq.Query]:
    return [wq.Term(name, term, boost=boost) for name, boost in fields.items()] if term else []


def _fuzzy_any_field(
    fields: dict[str, float], term: str | None, longest: int = 2
) -> list[wq.Query]:
    if not term or not term.isalpha() or len(term) < 4:
        return []
    maxdist = min(1 if len(term) < 7 else 2, longest)
    return [
        wq.FuzzyTerm(name, term, boost=boost, maxdist=maxdist, prefixlength=_FUZZY_PREFIX)
        for name, boost in fields.items()
    ]


class Synonyms(wq.DisjunctionMax):
    """A word's synonyms: the best one counts (ranking.prune_synonyms may drop some)."""


def _synonym_clause(word: QueryWord) -> wq.Query:
    """A synonym as a whole word only: its compound parts (sol, energi, anlegg) are common
    words whose postings would cost more than all the rest of a query."""
    clauses = _any_field(NORWEGIAN_FIELDS, word.whole) + _any_field(ENGLISH_FIELDS, word.english)
    return wq.Or(clauses) if clauses else wq.NullQuery


def _alternative_clauses(word: QueryWord) -> list[wq.Query]:
    """The word's synonyms and translations, each phrase needing all its words."""
    clauses = []
    for phrase in word.alternatives:
        subs = [_synonym_clause(w) for w in phrase]
        if any(sub is wq.NullQuery for sub in subs):
            continue
        clauses.append(subs[0] if len(subs) == 1 else wq.And(subs))
    # The best synonym counts, not their sum: five synonyms must not outweigh the typed word.
    return [Synonyms(clauses, boost=SYNONYM_WEIGHT)] if clauses else []


def word_clause(word: QueryWord, fuzzy: bool = False) -> wq.Query:
    """Everything one query word may match: any field family, whole compound or all its parts,
    and (with a lower weight) its synonyms."""
    clauses: list[wq.Query] = [] if fuzzy else _alternative_clauses(word)
    for w in spellings(word):
        if fuzzy:
            clauses += _fuzzy_any_field(NORWEGIAN_FIELDS, w.whole)
            clauses += _fuzzy_any_field(ENGLISH_FIELDS, w.english)
            # Names are many and alike (Overhalla, overvann): one typo at most.
            clauses += _fuzzy_any_field(NAME_FIELDS, w.name, longest=1)
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

    A word that is a stop word in one language only (`og`, `the`, `by`), or too common to
    require (`kommunen`), is optional: it adds to the score where it matches but is required
    only when nothing else was typed.
    """
    fuzzy = mode == "fuzzy"
    strong = [w for w in parsed.words if w.whole and w.english and not w.common]
    weak = [w for w in parsed.words if not (w.whole and w.english and not w.common)]
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
