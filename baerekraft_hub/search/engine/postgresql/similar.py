"""More like this: the document's most distinctive words (tf·idf) and its SDG targets.

Bounded like the Whoosh backend's, whatever the corpus size: the key terms' document
frequencies are counted up to `COMMON` (a word in more documents than that is common, and
weighs as little as one in all of them), and only the `CANDIDATES` newest documents sharing a
key term (those sharing a target first) are ranked.
"""

from __future__ import annotations

import math
from collections import Counter

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from baerekraft_hub.search.engine.analysis import english_terms, fold, norwegian_terms, words
from baerekraft_hub.search.engine.postgresql.schema import RANK_WEIGHTS, TABLE, lexeme

KEY_TERMS = 12
KEY_CANDIDATES = 30  # most frequent words of the document whose rarity is looked up
COMMON = 500  # document frequencies are counted up to this
CANDIDATES = 300
TARGET_BOOST = 3.0  # a shared SDG target says more about likeness than a shared word


def _key_terms(connection: Connection, row) -> list[str]:
    english = row.language == "en"
    analyse = english_terms if english else norwegian_terms
    prefix = "e:" if english else "n:"
    counts: Counter[str] = Counter()
    for text, weight in ((row.title, 3), (row.excerpt, 1)):
        for match in words(text):
            for term in analyse(fold(match.group())):
                if not term.isdigit():
                    counts[prefix + term] += weight
    common = [term for term, _ in counts.most_common(KEY_CANDIDATES)]
    if not common:
        return []
    frequency = " UNION ALL ".join(
        f"SELECT {i}, (SELECT count(*) FROM (SELECT FROM {TABLE}"
        f" WHERE terms @@ CAST(:q{i} AS tsquery) LIMIT {COMMON}) AS found)"
        for i in range(len(common))
    )
    df = dict(
        connection.execute(
            sa.text(frequency), {f"q{i}": lexeme(t) for i, t in enumerate(common)}
        ).all()
    )
    total = max(
        connection.scalar(
            sa.text(f"SELECT reltuples FROM pg_class WHERE oid = '{TABLE}'::regclass")
        )
        or 1,
        COMMON,
    )
    scored = {t: counts[t] * math.log(1 + total / (1 + df.get(i, 0))) for i, t in enumerate(common)}
    return sorted(scored, key=scored.__getitem__, reverse=True)[:KEY_TERMS]


def similar_hits(connection: Connection, kind: str, doc_id: int, limit: int) -> list:
    """Rows of the documents most like (kind, doc_id), best first; none when it is not there."""
    row = connection.execute(
        sa.text(
            f"SELECT title, excerpt, language, targets FROM {TABLE}"
            " WHERE kind = :kind AND doc_id = :doc_id"
        ),
        {"kind": kind, "doc_id": doc_id},
    ).first()
    if row is None:
        return []
    terms = _key_terms(connection, row)
    if not terms and not row.targets:
        return []
    query = " | ".join(lexeme(t) for t in terms) if terms else ""
    word_match = "terms @@ CAST(:q AS tsquery)" if query else "FALSE"
    word_rank = f"ts_rank('{RANK_WEIGHTS}', terms, CAST(:q AS tsquery))" if query else "0"
    return list(
        connection.execute(
            sa.text(
                "SELECT kind, doc_id, title, url, organisation, excerpt, language, score FROM"
                f" (SELECT *, {word_rank} + {TARGET_BOOST} * 0.1 *"
                " cardinality(ARRAY(SELECT unnest(targets) INTERSECT"
                " SELECT unnest(CAST(:targets AS TEXT[])))) AS score"
                f" FROM (SELECT kind, doc_id FROM {TABLE}"
                f" WHERE ({word_match} OR targets && CAST(:targets AS TEXT[]))"
                " AND NOT (kind = :kind AND doc_id = :doc_id)"
                " ORDER BY targets && CAST(:targets AS TEXT[]) DESC, updated_at DESC"
                f" LIMIT {CANDIDATES}) AS chosen"
                f" JOIN {TABLE} USING (kind, doc_id)) AS found"
                " ORDER BY score DESC, updated_at DESC LIMIT :limit"
            ),
            {
                "q": query,
                "targets": list(row.targets),
                "kind": kind,
                "doc_id": doc_id,
                "limit": limit,
            },
        )
    )
