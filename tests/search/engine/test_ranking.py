"""Bounded ranking: the same scores as Whoosh, and the same top results below the cap."""

from __future__ import annotations

from dataclasses import replace

import pytest

from baerekraft_hub.search.engine import query as queries
from baerekraft_hub.search.engine.whoosh import WhooshEngine, clauses, ranking
from tests.search.engine.conftest import load_queries

EXTRA = ["restaurering av myr", "solceller på skolen", "klimatilpasning i Bergen", "kommune"]


@pytest.mark.parametrize("mode", ["all", "any"])
def test_scores_are_exactly_whooshs(whoosh_engine, mode):
    with whoosh_engine._reading() as state:
        searcher = state.searcher
        for text in [case["query"] for case in load_queries()] + EXTRA:
            parsed = queries.parse(text)
            query = ranking.expand_fuzzy(clauses.build(parsed, mode), searcher.reader())
            expected = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
            ours = {d: s for s, d in ranking.score(searcher, query, sorted(expected))}
            assert ours == pytest.approx(expected), text


def test_a_query_matching_everything_scores_a_bounded_set_title_matches_first(tmp_path, corpus):
    many = [
        replace(corpus[i % len(corpus)], id=1000 + i, title=f"Tiltak {i}", summary="kommune")
        for i in range(ranking.CANDIDATES + 50)
    ]
    special = replace(corpus[0], id=5000, title="Kommune i sentrum")
    engine = WhooshEngine(tmp_path / "index")
    engine.rebuild([*many, special])
    with engine._reading() as state:
        parsed = queries.parse("kommune")
        query = clauses.build(parsed)
        matched = state.facets.matching(query)
        chosen = ranking.candidates(state.facets, query, matched, limit=20)
        assert len(chosen) == ranking.CANDIDATES
    results = engine.search("kommune")
    assert results.total == len(many) + 1  # totals stay exact
    assert results.hits[0].id == 5000  # a title match is always among the candidates


def test_fuzzy_words_expand_to_indexed_terms(whoosh_engine):
    with whoosh_engine._reading() as state:
        near = ranking.near_terms(state.searcher.reader(), "spelling", "klimatilpasing", 1, 1)
    assert "klimatilpasning" in near
