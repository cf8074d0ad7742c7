"""The words people type: synonyms and translations, nb/nn forms off the list, questions,
and 'Did you mean' in the query's own written standard."""

from __future__ import annotations

from dataclasses import replace

import pytest

from baerekraft_hub.search.engine import norwegian, synonyms
from baerekraft_hub.search.engine.norwegian import data_lines, word_terms
from baerekraft_hub.search.engine.query import parse
from tests.search.engine.conftest import BACKENDS, backend_of

LISTED = {
    word.strip()
    for line in data_lines("variants.txt")
    for word in line.replace(":", ",").split(",")
}


@pytest.mark.parametrize(
    ("bokmal", "nynorsk"),
    [
        ("strømmen", "straumen"),  # au/ø
        ("hele", "heile"),  # ei/e
        ("drømmer", "draumar"),  # au/ø, -er/-ar
        ("mer", "meir"),  # ei/e
        ("sysselsetting", "sysselsetjing"),  # -tt/-tj
        ("tilhørende", "tilhøyrande"),  # ø/øy
        ("hvit", "kvit"),  # hv/kv
        ("brukes", "brukast"),  # passive
        ("bærekraftige", "berekraftige"),  # æ/e
        ("sult", "svolt"),  # mined from the SDG texts
        ("bedre", "betre"),  # mined from the SDG texts
        ("kilder", "kjelder"),  # mined from the SDG texts
    ],
)
def test_nynorsk_forms_off_the_hand_written_list_meet_bokmal(bokmal, nynorsk):
    assert nynorsk not in LISTED
    assert set(word_terms(bokmal)) & set(word_terms(nynorsk))


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_synonym_counts_less_than_the_word_typed(corpus, tmp_path, backend):
    with backend_of(backend, tmp_path / "index", "search_words") as engine:
        _synonym_counts_less(corpus, engine)


def _synonym_counts_less(corpus, engine):
    base = corpus[9]  # Kildesortering (avfall)
    engine.rebuild(
        [
            replace(base, id=1, title="Mindre søppel fra kommunale bygg", tags=[]),
            replace(base, id=2, title="Mindre avfall fra kommunale bygg", tags=[]),
        ]
    )
    assert [h.id for h in engine.search("avfall").hits] == [2, 1]
    assert [h.id for h in engine.search("søppel").hits] == [1, 2]


def test_english_finds_norwegian_and_the_reverse(engine):
    assert {10, 43} <= {h.id for h in engine.search("waste").hits}
    assert 43 in {h.id for h in engine.search("matsvinn").hits}


def test_expansion_is_capped_however_big_the_group(tmp_path):
    words = [f"ord{n}" for n in range(50)]
    extra = tmp_path / "synonyms.txt"
    extra.write_text(" = ".join(words) + "\n", "utf-8")
    synonyms.use_extra_files([extra])
    try:
        (found,) = synonyms.thesaurus().expansions(["ord1"])
        assert len(found) == synonyms.MAX_ALTERNATIVES
    finally:
        synonyms.use_extra_files([])


def test_an_operators_file_works_at_once_without_a_reindex(engine, tmp_path):
    assert engine.search("vannpytt").total == 0
    extra = tmp_path / "search-synonyms.txt"
    synonyms.use_extra_files([extra])
    try:
        extra.write_text("# our words\nvannpytt = overvann\n", "utf-8")
        assert {h.id for h in engine.search("vannpytt").hits} >= {1, 32}
        extra.write_text("", "utf-8")
        assert engine.search("vannpytt").total == 0  # edited again: read again
    finally:
        synonyms.use_extra_files([])


def test_phrases_match_only_when_typed_together():
    by_word = synonyms.thesaurus().expansions(["public", "health"])
    assert ("folkehelse",) in by_word[0] and ("folkehelse",) in by_word[1]
    assert ("folkehelse",) not in synonyms.thesaurus().expansions(["public"])[0]


def test_question_words_and_common_words_are_not_required():
    parsed = parse("hvordan kan kommunen redusere matsvinn?")
    assert [w.text for w in parsed.words if not w.common and w.whole and w.english] == [
        "redusere",
        "matsvinn",
    ]


def test_a_question_finds_what_it_is_about(engine):
    ids = [h.id for h in engine.search("hvordan kan kommunen redusere matsvinn?").hits]
    assert set(ids[:3]) == {4, 36, 43}


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("barekraft", "bærekraft"),  # a bokmål reader is answered in bokmål
        ("korleis barekraft", "korleis berekraft"),  # a nynorsk one in nynorsk
    ],
)
@pytest.mark.parametrize("backend", BACKENDS)
def test_did_you_mean_answers_in_the_querys_written_standard(
    corpus, tmp_path, query, suggestion, backend
):
    # The nynorsk spelling is the more frequent one here, as in the demo content.
    extra = [
        replace(corpus[36], id=100 + n, title=f"Berekraft {n}", language="nn") for n in range(3)
    ]
    with backend_of(backend, tmp_path / "index", "search_words") as engine:
        engine.rebuild([*corpus, *extra])
        assert engine.search(query).suggestion == suggestion


def test_written_standard_of_a_query():
    assert norwegian.written_standard(["korleis", "få", "mat"]) == "nn"
    assert norwegian.written_standard(["overvatn"]) == "nn"
    assert norwegian.written_standard(["hvordan", "få", "mat"]) == "nb"
    assert norwegian.in_standard("berekraftsløftet", "nb") == "bærekraftsløftet"
    assert norwegian.in_standard("vassdrag", "nb") == "vassdrag"  # a bokmål word as well
