"""More like this: a query from a document's most distinctive words and its SDG targets."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from whoosh import query as wq
from whoosh.searching import Searcher

from baerekraft_hub.search.engine.analysis import english_terms, fold, norwegian_terms, words
from baerekraft_hub.search.engine.whoosh.schema import ENGLISH_FIELDS, NORWEGIAN_FIELDS

KEY_TERMS = 12
TARGET_BOOST = 3.0  # a shared SDG target says more about likeness than a shared word


def similar_query(searcher: Searcher, stored: dict[str, Any]) -> wq.Query | None:
    """Distinctive terms of the stored title and excerpt (tf·idf), plus the document's targets."""
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
    clauses: list[wq.Query] = [
        wq.Term(name, term, boost=boost * scored[term] / scored[best[0]])
        for term in best
        for name, boost in fields.items()
    ]
    clauses += [wq.Term("targets", t, boost=TARGET_BOOST) for t in stored["targets"].split()]
    return wq.Or(clauses) if clauses else None
