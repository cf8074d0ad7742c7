"""The bench's data generator (benchmarks/data.py): right counts, same data for the same seed,
rows the importer accepts. Timings are `make bench`'s business, not the suite's."""

from __future__ import annotations

from baerekraft_hub.transfer.import_format import validate_rows
from benchmarks import data


def test_a_scale_gives_its_share_of_projects_practices_and_users():
    rows = data.item_rows(scale=0.01, seed=3)
    kinds = [row["kind"] for row in rows]
    assert kinds.count("project") == 100 and kinds.count("practice") == 20
    assert len(data.extras(scale=0.01, seed=3).users) == 50


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    assert data.item_rows(0.005, seed=3) == data.item_rows(0.005, seed=3)
    assert data.extras(0.005, seed=3) == data.extras(0.005, seed=3)
    assert data.item_rows(0.005, seed=3) != data.item_rows(0.005, seed=4)


def test_the_rare_word_is_in_one_document_and_the_common_word_in_many():
    texts = [f"{r['title']} {r['summary']} {r['description']}" for r in data.item_rows(0.01)]
    assert sum(data.rare_word_for(data.SEED) in text for text in texts) == 1
    assert sum(data.COMMON_WORD in text.lower() for text in texts) > len(texts) / 10


def test_the_pathological_set_gives_every_document_the_same_words():
    rows = data.item_rows(0.005, pathological=True)
    assert len({(r["title"], r["summary"], r["description"]) for r in rows}) == 1


def test_the_importer_accepts_every_generated_row(db):
    valid, problems, _ = validate_rows(data.item_rows(0.005))
    assert problems == []
    assert len(valid) == 60


def test_generating_the_items_reports_each_row_to_its_progress():
    steps = []
    rows = data.item_rows(0.005, seed=3, progress=steps.append)
    assert steps == [1] * len(rows)


def test_a_share_of_users_are_members_and_the_first_of_molde():
    memberships = data.extras(scale=0.1, seed=3).memberships
    assert memberships[0] == (0, "1506")
    assert 50 < len(memberships) < 150  # about a fifth of 500 users
    assert len({user for user, _number in memberships}) == len(memberships)
