"""Goal, target and municipality pages list the newest linked items, and say how many
there are in all."""

from __future__ import annotations

from tests.factories import make_practice, make_project


def test_a_goal_page_counts_every_linked_project_while_it_shows_the_newest(client, db, monkeypatch):
    monkeypatch.setattr("baerekraft_hub.pages.profiles.LISTED", 2)
    titles = [f"Regnbed nummer {n}" for n in range(3)]
    for title in titles:
        make_project(title=title, target_ids=["13.1"])
    make_practice(title="Klimatilpasning i praksis", target_ids=["13.1"])
    db.session.commit()

    for path in ("/barekraftsmal/13/", "/barekraftsmal/delmal/13.1/"):
        html = client.get(path).get_data(as_text=True)
        assert "3 prosjekter" in html, path
        assert "De 2 nyeste vises her." in html
        assert sum(title in html for title in titles) == 2
        assert "1 eksempel på god praksis" in html  # all of them shown: no note
        assert html.count("nyeste vises her") == 1


def test_a_municipality_page_counts_all_its_projects(client, db, monkeypatch):
    for n in range(3):
        make_project(title=f"Molde-prosjekt {n}", owner="1506")
    db.session.commit()
    html = client.get("/organisasjoner/molde/").get_data(as_text=True)
    assert "3 prosjekter" in html and "nyeste vises her" not in html
