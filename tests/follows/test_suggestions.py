"""The in-memory suggestion index a digest run asks for thousands of people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from baerekraft_hub.follows.suggestions import KEPT, SuggestionIndex, _Work


def _index(projects: int) -> SuggestionIndex:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    return SuggestionIndex(
        _Work("13.1", n, 100 + n % 7, True, start + timedelta(days=n), f"Prosjekt {n}")
        for n in range(1, projects + 1)
    )


def test_someone_who_follows_all_the_kept_head_still_gets_the_next_best():
    index = _index(KEPT + 20)
    index.suggest({"13.1"}, set(), set(), 5)  # ranked, and its head kept
    head = _index(KEPT + 20).suggest({"13.1"}, set(), set(), KEPT)[1]
    followed = {("project", str(i)) for i in head}  # all of the kept head
    answer = index.suggest({"13.1"}, set(), followed, 5)
    expected = _index(KEPT + 20).suggest({"13.1"}, set(), followed, 5)
    assert answer == expected
    assert len(answer[1]) == 5
    assert not {("project", str(i)) for i in answer[1]} & followed


def test_the_second_person_with_the_same_targets_gets_what_a_fresh_ranking_gives():
    index = _index(KEPT * 3)
    index.suggest({"13.1"}, set(), set(), 5)
    followed = {("project", str(KEPT * 3)), ("organisation", "101")}
    assert index.suggest({"13.1"}, set(), followed, 5) == _index(KEPT * 3).suggest(
        {"13.1"}, set(), followed, 5
    )
