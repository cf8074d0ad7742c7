"""Ranking within a time budget: score a bounded set of the most promising matches.

Whoosh ranks by walking every matching document through a tree of matchers, about 25 µs per
document and clause tree; a word found in every document (`kommune`) then costs 250 ms on
10,000 projects. Totals and facets already come from bitsets (facets.py), exact and cheap, so
only the ranking needs matchers, and only for documents that can reach the page.

When a query matches more than `CANDIDATES` documents, we pick that many, best tier first:
the query words in a title; then in a title, summary, tag or place name; then anywhere. A tier
that does not fit whole is cut newest first. Only the candidates are scored, from per-term
score tables by the rules of Whoosh's matchers (scores.py), so their scores are exactly
Whoosh's; phrases are checked on the words' positions, also kept per term. Below the cap
(every query on a corpus the size of the relevance set, and every specific query at scale)
all matches are scored and the ranking is exactly what Whoosh alone would give.

This is not a results cache: nothing about a query is kept between searches.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

from whoosh import query as wq
from whoosh.codec.base import Automata
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from baerekraft_hub.search.engine.whoosh.clauses import Synonyms
from baerekraft_hub.search.engine.whoosh.facets import FacetMasks, to_docnums
from baerekraft_hub.search.engine.whoosh.scores import CandidateScorer, TermScores, Unsupported

# Six pages of candidates for the first. Chosen when scoring cost ~0.13 ms a candidate (200 put
# the broadest queries at the edge of the 50 ms p95 goal); from the score tables it is ~5 µs,
# plus the phrase check of two-word queries (~25 µs).
CANDIDATES = 120
_TITLES = frozenset({"title_no", "title_en"})
_LEADS = _TITLES | {"lead_no", "lead_en", "places", "organisation_name"}
TIERS = (_TITLES, _LEADS)
_ALWAYS = frozenset({"goals", "targets"})  # SDG references are required wherever they are
_MAX_EXPANSION = 64  # near spellings one fuzzy word may expand to


@lru_cache(maxsize=512)
def _levenshtein_dfa(text: str, maxdist: int, prefix: int):
    # Compiling the automaton is most of a fuzzy lookup's cost (~5 ms for a long word), and
    # Whoosh compiles it again for every field. It depends only on the typed word, like the
    # cached word analysis in analysis.py; it says nothing about any index or result.
    return Automata.levenshtein_dfa(text, maxdist, prefix)


def near_terms(
    reader: IndexReader, fieldname: str, text: str, maxdist: int, prefix: int
) -> set[str]:
    """Indexed terms of a field within `maxdist` edits of `text` (same first `prefix` letters)."""
    dfa = _levenshtein_dfa(text, maxdist, prefix)
    found: set[str] = set()
    for leaf, _ in reader.leaf_readers():
        if fieldname in leaf.schema:
            found.update(Automata.find_matches(dfa, leaf.cursor(fieldname)))
    return found


def expand_fuzzy(query: wq.Query, reader: IndexReader) -> wq.Query:
    """The query with each FuzzyTerm replaced by the OR of the indexed terms it stands for.

    Done once per search, so bitset matching and scoring do not expand it again (and
    Whoosh's own `simplify` fails on whoosh3's str terms).
    """
    if isinstance(query, wq.FuzzyTerm):
        near = near_terms(reader, query.fieldname, query.text, query.maxdist, query.prefixlength)
        terms = [wq.Term(query.fieldname, t, boost=query.boost) for t in sorted(near)]
        terms = terms[:_MAX_EXPANSION]
        return wq.Or(terms) if terms else wq.NullQuery
    if isinstance(query, wq.AndMaybe):
        return wq.AndMaybe(expand_fuzzy(query.a, reader), expand_fuzzy(query.b, reader))
    if isinstance(query, wq.And | wq.Or | wq.DisjunctionMax):
        subs = [expand_fuzzy(sub, reader) for sub in query.subqueries]
        return type(query)(subs, boost=query.boost)
    return query


def prune_synonyms(query: wq.Query, facets: FacetMasks) -> wq.Query:
    """The query without the synonyms that find nothing the typed word does not find.

    Such a synonym would only add to the scores of documents found anyway, and a synonym's
    postings cost as much as the word's (overvannshåndtering for overvann): skipping them keeps
    a search with synonyms about as fast as one without. Decided on cached term bitsets.
    """
    if isinstance(query, wq.Or) and any(isinstance(s, Synonyms) for s in query.subqueries):
        typed = [s for s in query.subqueries if not isinstance(s, Synonyms)]
        found = 0
        for sub in typed:
            found |= facets.matching(sub)
        kept: list[wq.Query] = list(typed)
        for synonyms in (s for s in query.subqueries if isinstance(s, Synonyms)):
            new = [alt for alt in synonyms.subqueries if facets.matching(alt) & ~found]
            if new:
                kept.append(Synonyms(new, boost=synonyms.boost))
        return wq.Or(kept, boost=query.boost) if kept else wq.NullQuery
    if isinstance(query, wq.AndMaybe):
        return wq.AndMaybe(prune_synonyms(query.a, facets), prune_synonyms(query.b, facets))
    if isinstance(query, wq.And | wq.Or):
        subs = [prune_synonyms(sub, facets) for sub in query.subqueries]
        return type(query)(subs, boost=query.boost)
    return query


def restrict(query: wq.Query, fields: frozenset[str]) -> wq.Query:
    """The query as if only `fields` (and the SDG fields) had been indexed."""
    if isinstance(query, wq.Term | wq.Phrase):
        keep = query.fieldname in fields or query.fieldname in _ALWAYS
        return query if keep else wq.NullQuery
    if isinstance(query, wq.AndMaybe):
        return restrict(query.a, fields)
    if isinstance(query, wq.And):
        subs = [restrict(sub, fields) for sub in query.subqueries]
        return wq.NullQuery if any(s is wq.NullQuery for s in subs) else wq.And(subs)
    if isinstance(query, wq.Or | wq.DisjunctionMax):
        subs = [
            s for s in (restrict(sub, fields) for sub in query.subqueries) if s is not wq.NullQuery
        ]
        return type(query)(subs, boost=query.boost) if subs else wq.NullQuery
    if isinstance(query, wq.Every):
        return query
    return wq.NullQuery


def newest(facets: FacetMasks, mask: int, count: int) -> set[int]:
    """The `count` most recently updated documents of a bitset."""
    updated = facets.updated
    if mask.bit_count() * 8 >= facets.size:
        # Dense (the rest of a word found everywhere): the first documents by recency that
        # are in the bitset, found within a few times `count` instead of sorting them all.
        data = mask.to_bytes((facets.size + 7) >> 3, "little")
        chosen: list[int] = []
        for docnum in facets.by_recency:
            if data[docnum >> 3] >> (docnum & 7) & 1:
                if len(chosen) == count:
                    if updated[docnum] != updated[chosen[-1]]:
                        return set(chosen)
                    break  # a tie at the cut: which of them is kept is decided below
                chosen.append(docnum)
        else:
            return set(chosen)
    return set(heapq.nlargest(count, to_docnums(mask), key=updated.__getitem__))


def candidates(facets: FacetMasks, query: wq.Query, matched: int, limit: int) -> list[int]:
    """At most max(CANDIDATES, 2 * limit) matching documents, best tier first, sorted."""
    cap = max(CANDIDATES, 2 * limit)
    if matched.bit_count() <= cap:
        return sorted(to_docnums(matched))
    chosen, count = 0, 0
    for fields in TIERS:
        tier = facets.matching(restrict(query, fields)) & matched & ~chosen
        size = tier.bit_count()
        if count + size > cap:
            return sorted([*to_docnums(chosen), *newest(facets, tier, cap - count)])
        chosen, count = chosen | tier, count + size
    rest = matched & ~chosen
    return sorted([*to_docnums(chosen), *newest(facets, rest, cap - count)])


def _advance(matcher, docnum: int) -> bool:
    """Move a matcher to `docnum` if it has it; False when it does not (it may pass beyond)."""
    if not matcher.is_active():
        return False
    if matcher.id() < docnum:
        matcher.skip_to(docnum)
        if not matcher.is_active():
            return False
    return matcher.id() == docnum


def _adjacent(positions: Sequence[Sequence[int]]) -> bool:
    """Whether the terms (where each stands in a document) are next to each other, in order."""
    starts = set(positions[0])
    for offset, stands in enumerate(positions[1:], 1):
        starts &= {p - offset for p in stands}
        if not starts:
            return False
    return True


def _stands(table: tuple[Sequence[int], Sequence[int], Sequence[int]], docnum: int):
    """Where a term stands in a document that holds it, from its `TermScores.positions`."""
    docnums, starts, positions = table
    i = bisect_left(docnums, docnum)
    return positions[starts[i] : starts[i + 1]]


def _split(query: wq.Query) -> tuple[wq.Query, list[wq.Query], list[wq.Phrase]]:
    """(required part, optional non-phrase clauses, optional phrases) of a built query."""
    if not isinstance(query, wq.AndMaybe):
        return query, [], []
    bonus, pending = [], [query.b]
    while pending:  # flatten nested ORs (they only sum): the phrases sit in one of their own
        clause = pending.pop()
        if isinstance(clause, wq.Or) and clause.boost == 1.0:
            pending.extend(clause.subqueries)
        else:
            bonus.append(clause)
    phrases = [q for q in bonus if isinstance(q, wq.Phrase)]
    return query.a, [q for q in bonus if not isinstance(q, wq.Phrase)], phrases


def score(
    searcher: Searcher,
    query: wq.Query,
    docnums: Sequence[int],
    tables: TermScores | None = None,
) -> list[tuple[float, int]]:
    """Whoosh's score of each listed document (sorted docnums that all match the query).

    The same sum Whoosh's AndMaybe/Or/Phrase matchers compute, read from per-term score tables
    (scores.py, kept per index generation in `tables`); phrases are checked only on the listed
    documents, on the words' position tables: Whoosh's phrase matcher reads positions of every
    document holding all the words (most of the index for common words) looking for the next
    phrase, and skipping its term matchers to each candidate decompresses a block each time.
    """
    tables = tables if tables is not None else TermScores(searcher)
    required, optional, phrases = _split(query)
    try:
        return _score_from_tables(tables, required, optional, phrases, docnums)
    except Unsupported:
        return _score_with_matchers(searcher, required, optional, phrases, docnums)


def _score_from_tables(tables, required, optional, phrases, docnums):
    docnums = list(docnums)
    scorer = CandidateScorer(tables, docnums)
    main_at, main_score = scorer.matches(scorer.compile(required))
    extra_at, extra_score = (
        scorer.matches(scorer.compile(wq.Or(optional))) if optional else (None, None)
    )
    words = [[wq.Term(p.fieldname, w, boost=p.boost) for w in p.words] for p in phrases]
    word_matches = [[scorer.matches(scorer.compile(word)) for word in terms] for terms in words]
    word_positions: dict[int, list] = {}  # phrase -> its words' position tables, when needed
    scored: list[tuple[float, int]] = []
    for k, docnum in enumerate(docnums):
        if main_at[k] != docnum:
            continue
        total = main_score[k]
        if extra_at is not None and extra_at[k] == docnum:
            total += extra_score[k]
        for n, matched in enumerate(word_matches):
            if any(at[k] != docnum for at, _ in matched):
                continue
            stands = word_positions.get(n)
            if stands is None:
                phrase = phrases[n]
                stands = [tables.positions(phrase.fieldname, w) for w in phrase.words]
                word_positions[n] = stands
            if _adjacent([_stands(table, docnum) for table in stands]):
                total += sum(own[k] for _, own in matched)
        scored.append((total, docnum))
    return scored


def _score_with_matchers(searcher, required, optional, phrases, docnums):
    """The same scores by skipping Whoosh's matchers to each document."""
    context = searcher.context()
    scored: list[tuple[float, int]] = []
    for sub, offset in searcher.leaf_searchers():
        start = bisect_left(docnums, offset)
        end = bisect_left(docnums, offset + sub.doc_count_all())
        if start == end:
            continue
        main = required.matcher(sub, context)
        extra = wq.Or(optional).matcher(sub, context) if optional else None
        phrase_terms = [
            [wq.Term(p.fieldname, w, boost=p.boost).matcher(sub, context) for w in p.words]
            for p in phrases
        ]
        for docnum in docnums[start:end]:
            local = docnum - offset
            if not _advance(main, local):
                continue
            total = main.score()
            if extra is not None and _advance(extra, local):
                total += extra.score()
            for terms in phrase_terms:
                if all(_advance(m, local) for m in terms) and _adjacent(
                    [m.value_as("positions") for m in terms]
                ):
                    total += sum(m.score() for m in terms)
            scored.append((total, docnum))
    return scored
