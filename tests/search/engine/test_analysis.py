"""The Norwegian analysis, one behaviour per assertion: the same terms for forms that must meet."""

from __future__ import annotations

import pytest

from baerekraft_hub.search.engine.analysis import fold
from baerekraft_hub.search.engine.norwegian import split_compound, stem, word_terms
from baerekraft_hub.search.engine.query import parse
from baerekraft_hub.search.engine.whoosh.schema import TermAnalyzer


def terms(text: str) -> set[str]:
    return {t.text for t in TermAnalyzer("no")(text)}


def meets(query: str, document: str) -> bool:
    """Whether every query word shares a term with the document (the engine's AND)."""
    doc = terms(document)
    return all(doc & set(word_terms(fold(w))) for w in query.split())


@pytest.mark.parametrize("form", ["kommunen", "kommunene", "kommunane", "kommunar", "kommunens"])
def test_inflected_forms_meet_the_base_form(form):
    assert stem(form) == stem("kommune")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("overvann", "overvatn"),
        ("skole", "skule"),
        ("bærekraft", "berekraft"),
        ("innbygger", "innbyggjar"),
        ("klimatilpasning", "klimatilpassing"),
        ("innbyggerne", "innbyggjarane"),
        ("skolene", "skulane"),
        ("offentlige", "offentleg"),
        ("frivillighet", "frivilligheita"),
        ("sykkelvei", "sykkelvegane"),
    ],
)
def test_bokmal_and_nynorsk_forms_share_a_term(a, b):
    assert set(word_terms(a)) & set(word_terms(b))


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("solceller", "Vi bygger solcelleanlegg på taket"),
        ("overvann", "Plan for overvannshåndtering"),
        ("overvatn", "Plan for overvannshåndtering"),
        ("innbyggerinvolvering", "involvering av innbyggere"),
        ("matsvinn", "mindre matsvinnet i kantina"),
        ("sykkel", "nye sykkelveier"),
        ("klima", "klimatilpasning i kommunen"),
    ],
)
def test_compound_parts_are_found(query, document):
    assert meets(query, document)


def test_compound_split_prefers_few_long_parts():
    assert split_compound("overvannshåndtering") == ["overvann", "håndtering"]


@pytest.mark.parametrize("word", ["kommunene", "barnet", "planene", "tiltakene", "overvann"])
def test_inflected_or_unlisted_words_are_not_split(word):
    assert split_compound(word) is None


@pytest.mark.parametrize("spelling", ["bærekraft", "Bærekraft", "BÆREKRAFT"])
def test_case_does_not_matter(spelling):
    assert meets(spelling, "bærekraft")


def test_ascii_spelling_of_æ_is_accepted_at_query_time():
    word = parse("baerekraft").words[0]
    from baerekraft_hub.search.engine.query import spellings

    assert any(w.whole == word_terms("bærekraft")[0] for w in spellings(word))


def test_ø_is_not_folded_into_o():
    assert fold("Bodø") != fold("Bodo") and fold("søk") == "søk"


def test_other_accents_are_folded():
    assert fold("Idé") == "ide"


@pytest.mark.parametrize(
    ("query", "goals", "targets"),
    [
        ("11.6", set(), {"11.6"}),
        ("mål 13", {13}, set()),
        ("SDG 13", {13}, set()),
        ("bærekraftsmål 13", {13}, set()),
        ("goal 13", {13}, set()),
        ("berekraftsmål nr. 13", {13}, set()),
        ("delmål 11.b", set(), {"11.b"}),
    ],
)
def test_sdg_references_become_goal_and_target_clauses(query, goals, targets):
    parsed = parse(query)
    assert (parsed.goals, parsed.targets, parsed.words) == (goals, targets, [])


def test_numbers_that_are_not_goals_stay_words():
    assert parse("mål 42").goals == set()


def test_english_words_get_english_stems():
    from baerekraft_hub.search.engine.analysis import english_terms

    assert english_terms("municipalities") == english_terms("municipality")


def test_stop_words_are_not_indexed():
    assert terms("og i på") == set()
