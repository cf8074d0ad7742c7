"""More like this: a query from a document's most distinctive words and its SDG targets.

Whoosh would score every document sharing any of those words: on 11,000 documents, 150 to
400 ms a call, growing with the corpus. Like a search (ranking.py), we score a bounded set of
candidates instead: those sharing the most (targets and the most distinctive words weigh more),
counted with bitsets; a tier that does not fit whole is cut newest first. Below the cap every
match is scored, as Whoosh would.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from baerekraft_hub.search.engine.analysis import english_terms, fold, norwegian_terms, words
from baerekraft_hub.search.engine.whoosh.facets import FacetMasks, to_docnums
from baerekraft_hub.search.engine.whoosh.ranking import newest
from baerekraft_hub.search.engine.whoosh.schema import ENGLISH_FIELDS, NORWEGIAN_FIELDS

KEY_TERMS = 12
MAX_WEIGHT = 12  # shared weight counted up to this; more is as good a candidate
CANDIDATES = 300
TARGET_BOOST = 3.0  # a shared SDG target says more about likeness than a shared word


def similar_query(
    searcher: Searcher, stored: dict[str, Any]
) -> tuple[wq.Query, list[tuple[int, wq.Query]]] | None:
    """Distinctive terms of the stored title and excerpt (tf·idf), plus the document's targets:
    the query, and its words and targets each with a whole-number weight (for candidates)."""
    english = stored["language"] == "en"
    fields = ENGLISH_FIELDS if english else NORWEGIAN_FIELDS
    analyse = english_terms if english else norwegian_terms
    body_field = "body_en" if english else "body_no"
    counts: Counter[str] = Counter()
    for text, weight in ((stored["title"], 3), (stored["excerpt"], 1)):
        for match in words(text):
            for term in analyse(fold(match.group())):
                counts[term] += weight
    total = max(searcher.doc_count(), 1)
    scored = {
        term: tf * math.log(1 + total / (1 + searcher.doc_frequency(body_field, term)))
        for term, tf in counts.items()
        if not term.isdigit()
    }
    best = sorted(scored, key=scored.__getitem__, reverse=True)[:KEY_TERMS]
    groups: list[tuple[int, wq.Query]] = [
        (round(TARGET_BOOST), wq.Term("targets", t, boost=TARGET_BOOST))
        for t in stored["targets"].split()
    ]
    for term in best:
        share = scored[term] / scored[best[0]]
        clauses = [wq.Term(name, term, boost=boost * share) for name, boost in fields.items()]
        groups.append((max(1, round(TARGET_BOOST * share)), wq.Or(clauses)))
    if not groups:
        return None
    return wq.Or([t for _, group in groups for t in _terms(group)]), groups


def _terms(query: wq.Query) -> list[wq.Query]:
    return list(query.subqueries) if isinstance(query, wq.Or) else [query]


def similar_candidates(
    facets: FacetMasks, groups: list[tuple[int, wq.Query]], docnum: int
) -> list[int]:
    """At most CANDIDATES documents sharing a word or target (not the document itself),
    those with the most weight in common first, sorted by docnum.

    at_least[k] is the bitset of documents whose shared groups weigh k or more, added up
    group by group with integer AND/OR: no per-document loop.
    """
    at_least = [facets.matching(wq.Every())] + [0] * MAX_WEIGHT
    for weight, group in groups:
        mask = facets.matching(group)
        for _ in range(weight):
            for k in range(MAX_WEIGHT, 0, -1):
                at_least[k] |= at_least[k - 1] & mask
    matched = at_least[1] & ~(1 << docnum)
    chosen, count = 0, 0
    for k in range(MAX_WEIGHT, 0, -1):
        tier = at_least[k] & matched & ~chosen
        size = tier.bit_count()
        if count + size > CANDIDATES:
            return sorted([*to_docnums(chosen), *newest(facets, tier, CANDIDATES - count)])
        chosen, count = chosen | tier, count + size
    return sorted(to_docnums(chosen))


def similar_scores(
    searcher: Searcher, query: wq.Query, docnums: list[int]
) -> list[tuple[float, int]]:
    """Whoosh's score of each listed document under the OR of terms: the sum of its terms'
    scores, each term's matcher skipping straight to the listed documents (a tree of 40 union
    matchers costs several times more per document)."""
    context = searcher.context()
    totals: dict[int, float] = {}
    for sub, offset in searcher.leaf_searchers():
        local = [n - offset for n in docnums if offset <= n < offset + sub.doc_count_all()]
        if not local:
            continue
        for term in query.subqueries:
            if (term.fieldname, term.text) not in sub.reader():
                continue
            matcher = term.matcher(sub, context)
            for n in local:
                if not matcher.is_active():
                    break
                if matcher.id() < n:
                    matcher.skip_to(n)
                    if not matcher.is_active():
                        break
                if matcher.id() == n:
                    totals[n + offset] = totals.get(n + offset, 0.0) + matcher.score()
    return [(score, docnum) for docnum, score in totals.items()]
