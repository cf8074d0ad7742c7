"""Bounded ranking: the same scores as Whoosh, and the same top results below the cap."""

from __future__ import annotations

import heapq
from dataclasses import replace

import pytest

from baerekraft_hub.search.engine import query as queries
from baerekraft_hub.search.engine.whoosh import WhooshEngine, clauses, ranking
from baerekraft_hub.search.engine.whoosh.facets import FacetMasks, to_docnums, to_mask
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


@pytest.mark.parametrize("text", ["kommune", "kommune energi"])
def test_scores_after_a_write_are_those_of_the_new_index(fresh_whoosh, corpus, text):
    """The per-term score and position tables belong to one index generation: a document added
    since the last search is scored (with its phrase bonus), and the others' scores follow the
    new term statistics."""
    before = {hit.id: hit.score for hit in fresh_whoosh.search(text, per_page=100).hits}
    new = replace(corpus[0], id=9000, title="Kommune energi", summary="kommune energi kommune")
    fresh_whoosh.index([new])
    results = fresh_whoosh.search(text, per_page=100)
    after = {hit.id: hit.score for hit in results.hits}
    assert after[9000] == max(after.values())
    with fresh_whoosh._reading() as state:
        built = clauses.build(queries.parse(text))
        query = ranking.prune_synonyms(built, state.facets)
        expected = {
            state.searcher.stored_fields(hit.docnum)["doc_id"]: round(hit.score, 4)
            for hit in state.searcher.search(query, limit=None)
        }
    assert after == pytest.approx(expected)
    assert any(after[doc_id] != score for doc_id, score in before.items())


@pytest.mark.parametrize(
    "docnums", [set(), {0}, {7, 8, 9, 4000}, set(range(0, 3000, 97)), set(range(5000))]
)
def test_bitsets_give_back_their_document_numbers_sparse_or_dense(docnums):
    mask = to_mask(docnums, 5000)
    assert to_docnums(mask) == docnums


@pytest.mark.parametrize("step", [1, 7, 2, 40])
@pytest.mark.parametrize("count", [1, 5, 64, 120, 400])
def test_newest_documents_of_a_bitset_are_those_a_full_sort_picks(step, count):
    """Dense bitsets are read in order of recency, stopping at `count`; ties at the cut (the
    same "updated") keep the documents that sorting the whole bitset keeps."""
    size = 6000
    facets = FacetMasks.__new__(FacetMasks)  # only the columns newest() reads
    facets.size = size
    facets.updated = [d % 100 for d in range(size)]  # sixty documents per value
    mask = to_mask(range(0, size, step), size)
    expected = heapq.nlargest(count, to_docnums(mask), key=facets.updated.__getitem__)
    assert ranking.newest(facets, mask, count) == set(expected)
