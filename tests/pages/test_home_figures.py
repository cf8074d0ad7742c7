"""The network in figures is computed once per content generation, and follows every commit."""

from __future__ import annotations

from tests.factories import make_project


def _figures(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return html.split('id="figures-title"')[1].split("</section>")[0]


def test_the_figures_are_remembered_until_the_next_commit(client, db, count_queries):
    make_project("1506")
    db.session.commit()
    assert "1</span> publiserte prosjekter" in _figures(client)
    with count_queries() as first:
        _figures(client)
    make_project("4601")
    db.session.commit()
    with count_queries() as after_a_commit:
        assert "2</span> publiserte prosjekter" in _figures(client)
    with count_queries() as again:
        assert "2</span> publiserte prosjekter" in _figures(client)
    # The one query of the four counts runs again after a commit (as do the goals' texts,
    # sdg.services), and not on the next visit.
    counts = [sql for sql in after_a_commit if "count(DISTINCT project.owner_id)" in sql]
    assert len(counts) == 1
    assert not [sql for sql in again if "count(DISTINCT project.owner_id)" in sql]
    assert len(again) == len(first) < len(after_a_commit)
