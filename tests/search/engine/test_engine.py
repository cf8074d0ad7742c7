"""The engine's behaviour: facets, snippets, sorting, suggestions, similar, hostile input."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from baerekraft_hub.search.engine import Filters, SearchUnavailable, snippets
from baerekraft_hub.search.engine import query as queries


def ids(results):
    return [hit.id for hit in results.hits]


def test_facets_count_under_the_query_and_the_other_filters(engine):
    results = engine.search("klimatilpassing", filters=Filters(counties=["Vestland"]))
    assert set(ids(results)) == {6, 32, 35}
    # The county facet ignores the county filter, so other counties still show their counts.
    assert results.facets["county"]["Vestland"] == 3
    assert results.facets["county"]["Møre og Romsdal"] == 1
    # Other facets are counted under the county filter.
    assert sum(results.facets["kind"].values()) == 3
    assert results.facets["goal"][13] == 3


def test_filters_combine_with_the_query(engine):
    results = engine.search("sykkel", filters=Filters(goals=[3], statuses=["completed"]))
    assert ids(results) == [38]


def test_empty_query_lists_everything_newest_first(engine, corpus):
    results = engine.search("", per_page=5)
    assert results.total == len(corpus)
    assert ids(results) == sorted((d.id for d in corpus), reverse=True)[:5]


def test_sort_newest(engine):
    results = engine.search("flom", sort="newest")
    assert ids(results) == sorted(ids(results), reverse=True)  # corpus: higher id is newer


def test_pagination(engine):
    first = engine.search("", per_page=10, page=1)
    second = engine.search("", per_page=10, page=2)
    assert not set(ids(first)) & set(ids(second)) and len(ids(second)) == 10
    assert engine.search("", per_page=10, page=99).hits == []


def test_snippet_marks_matches_and_escapes_everything_else(fresh_engine, corpus):
    doc = replace(corpus[0], summary='<script>alert("x")</script> overvann & regnbed')
    fresh_engine.index([doc])
    hit = next(h for h in fresh_engine.search("overvatn").hits if h.id == doc.id)
    assert "<script>" not in hit.snippet and "&lt;/script&gt;" in hit.snippet
    assert "<mark>overvann</mark>" in hit.snippet and "&amp;" in hit.snippet


@pytest.mark.parametrize("text", ["regnbed og overvann", "regnbed_overvann i snake_case"])
def test_snippet_words_are_the_same_with_or_without_underscores(text):
    """Words joined by "_" are words of their own, as the index sees them."""
    marked = snippets.snippet(text, queries.highlight_terms(queries.parse("overvann")))
    assert "<mark>overvann</mark>" in marked and "<mark>regnbed" not in marked


def test_snippet_marks_nynorsk_forms_for_a_bokmal_query(engine):
    hit = next(h for h in engine.search("overvann").hits if h.id == 32)
    assert "<mark>overvatnet</mark>" in hit.snippet


def test_misspelling_gives_suggestion_and_fuzzy_results(engine):
    results = engine.search("kolektivtransport")
    assert results.fuzzy and ids(results) == [18]
    assert results.suggestion == "kollektivtransport"
    assert engine.suggest("klimatilpasning") is None


def test_exact_results_are_not_fuzzy(engine):
    assert not engine.search("overvann").fuzzy


def test_similar_excludes_itself_and_prefers_shared_targets(engine):
    similar = [hit.id for hit in engine.similar("project", 1)]
    assert 1 not in similar and similar
    assert 32 in similar[:3]  # the nynorsk overvatn project in Voss, same targets


def test_similar_of_unknown_document_is_empty(engine):
    assert engine.similar("project", 999) == []


HOSTILE = [
    '"unbalanced',
    "AND",
    "OR OR NOT",
    "NOT overvann",
    "title:overvann",
    "body:*",
    "*",
    "?",
    "overvann*",
    "(((((",
    "))",
    "[1 TO 9]",
    "\x00\x01\x1b[31m kommune",
    "😀🌍♻️",
    "kommune 😀",
    "\u202eRTL override",
    "a" * 500,
    "overvann " * 3000,
    "x" * 20_000,
    "ø" * 20_000,
    "11.6" * 5000,
    "mål " * 5000,
    "<script>alert(1)</script>",
    "'; DROP TABLE projects; --",
    "\\",
    "~2",
    "^3",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_answer_quickly_without_errors(engine, query):
    started = time.perf_counter()
    results = engine.search(query)
    engine.suggest(query)
    assert time.perf_counter() - started < 0.5
    assert results.total >= 0


def test_missing_index_is_unavailable(tmp_path):
    from baerekraft_hub.search.engine.whoosh import WhooshEngine

    engine = WhooshEngine(tmp_path / "nothing")
    assert not engine.exists()
    with pytest.raises(SearchUnavailable):
        engine.search("kommune")
