"""From a parsed query (query.py) to `tsquery` literals over our term namespaces (schema.py).

The mirror of whoosh/clauses.py: a word matches as its Norwegian whole term, all of its
compound parts, its English term or a name, or one of its synonyms (`alternatives`: a word or
a phrase of words all needed, as whole words); SDG references are required; a word that is a
stop word in one language only, or too common to require (`common`), is optional. User text
never reaches `to_tsquery`: only analysed terms, quoted, do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from baerekraft_hub.search.engine.analysis import QueryWord
from baerekraft_hub.search.engine.postgresql.schema import lexeme
from baerekraft_hub.search.engine.query import ParsedQuery, spellings

# Near spellings of one typed word (mode "fuzzy"): surface words from the vocabulary.
NearWords = Callable[[QueryWord], Iterable[QueryWord]]


def _or(parts: Iterable[str]) -> str:
    parts = [p for p in dict.fromkeys(parts) if p]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def _and(parts: Iterable[str]) -> str:
    parts = [p for p in parts if p]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"


def _alternatives(w: QueryWord, parts: bool = True) -> list[str]:
    found = [lexeme("n:" + w.whole)] if w.whole else []
    if parts and w.parts:
        found.append(_and(lexeme("n:" + p) for p in w.parts))
    if w.english:
        found.append(lexeme("e:" + w.english))
    if w.name:
        found.append(lexeme("p:" + w.name))
    return found


def _synonym(w: QueryWord) -> str:
    """A synonym's word: whole terms only (its compound parts are common words)."""
    found = [lexeme("n:" + w.whole)] if w.whole else []
    if w.english:
        found.append(lexeme("e:" + w.english))
    return _or(found)


def synonym_queries(word: QueryWord) -> list[str]:
    """One tsquery per synonym or translation of the word, a phrase needing all its words."""
    found = []
    for phrase in word.alternatives:
        parts = [_synonym(w) for w in phrase]
        if all(parts):
            found.append(_and(parts))
    return list(dict.fromkeys(found))


def word_query(word: QueryWord, near: NearWords | None = None, synonyms: bool = True) -> str:
    """Everything one query word may match (its synonyms too); with `near`, its near spellings
    instead."""
    if near is not None:
        return _or(t for w in near(word) for t in _alternatives(w, parts=False))
    typed = [t for w in spellings(word) for t in _alternatives(w)]
    return _or([*typed, *(synonym_queries(word) if synonyms else ())])


def sdg_query(parsed: ParsedQuery) -> str:
    """Any of the referenced targets or goals."""
    refs = [lexeme(f"t:{t}") for t in sorted(parsed.targets)]
    refs += [lexeme(f"g:{g}") for g in sorted(parsed.goals)]
    return _or(refs)


def split(parsed: ParsedQuery) -> tuple[list[QueryWord], list[QueryWord]]:
    """(required, optional) words: one-language stop words and common words are optional
    unless all there is."""
    strong = [w for w in parsed.words if w.whole and w.english and not w.common]
    weak = [w for w in parsed.words if not (w.whole and w.english and not w.common)]
    return (strong, weak) if strong else (weak, [])


def build(parsed: ParsedQuery, mode: str = "all", near: NearWords | None = None) -> str | None:
    """The tsquery documents must match: "" matches every document, None none.

    mode "all": every word; "any": some word; "fuzzy": every word, each by its near spellings.
    """
    strong, _ = split(parsed)
    clauses = [word_query(w, near if mode == "fuzzy" else None) for w in strong]
    if not all(clauses):
        return None  # a word with no near spelling (or no term at all) cannot match
    words = _or(clauses) if mode == "any" else _and(clauses) if clauses else ""
    return _and([sdg_query(parsed), words]) if sdg_query(parsed) or words else ""


def rank_query(
    parsed: ParsedQuery, mode: str = "all", near: NearWords | None = None, weights: str = ""
) -> str:
    """What the rank counts of the words typed: every alternative of every word, the optional
    ones too, summed (synonyms are ranked apart: `synonym_groups`).

    `weights` ("A") keeps only matches in fields of those weights (the title).
    """
    strong, weak = split(parsed)
    terms = [lexeme(f"t:{t}") for t in sorted(parsed.targets)]
    terms += [lexeme(f"g:{g}") for g in sorted(parsed.goals)]
    for w in strong:
        for alt in near(w) if mode == "fuzzy" and near else spellings(w):
            terms += [t for t in _alternatives(alt, parts=False)]
            terms += [lexeme("n:" + p) for p in alt.parts]
    for w in weak:
        for alt in spellings(w):
            terms += _alternatives(alt, parts=False)
    return _or(f"{t}:{weights}" if weights else t for t in terms)


def synonym_groups(parsed: ParsedQuery, mode: str = "all") -> list[list[str]]:
    """Per word with synonyms, one tsquery per synonym: the best of a group counts (at half a
    typed word's weight, engine.py), so five synonyms never outweigh the word. None when fuzzy."""
    if mode == "fuzzy":
        return []
    return [group for w in parsed.words if (group := synonym_queries(w))]
