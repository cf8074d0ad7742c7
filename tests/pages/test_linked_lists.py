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


def test_goal_and_target_pages_link_to_both_filtered_lists(client, db, monkeypatch):
    monkeypatch.setattr("baerekraft_hub.pages.profiles.LISTED", 1)
    for n in range(2):
        make_project(title=f"Regnbed {n}", target_ids=["13.1"])
        make_practice(title=f"Praksis {n}", target_ids=["13.1"])
    db.session.commit()
    pages = (("/barekraftsmal/13/", "goal=13"), ("/barekraftsmal/delmal/13.1/", "target=13.1"))
    titles = ("Regnbed 0", "Regnbed 1", "Praksis 0", "Praksis 1")
    for path, filtered in pages:
        html = client.get(path).get_data(as_text=True)
        assert f'href="/prosjekter/?{filtered}"' in html, path
        assert f'href="/praksis/?{filtered}"' in html, path
        # the filtered lists hold every linked item the page leaves out
        for list_path in (f"/prosjekter/?{filtered}", f"/praksis/?{filtered}"):
            listed = client.get(list_path).get_data(as_text=True)
            assert sum(title in listed for title in titles) == 2


def test_the_rows_goal_chips_are_in_the_readers_language_and_follow_edits(client, db):
    project = make_project(title="Regnbed i Molde", owner="1506", target_ids=["13.1", "11.5"])
    db.session.commit()
    chips = '<li class="goal-chip sdg-11"><span class="ds-sr-only">{} </span>11</li>'
    for language, word in (("nb", "Mål"), ("en", "Goal"), ("nb", "Mål")):
        client.set_cookie("lang", language)
        html = client.get("/organisasjoner/molde/").get_data(as_text=True)
        assert chips.format(word) in html and "sdg-13" in html, language

    project.goals = []  # only through its targets now; then 13.1 alone
    project.targets = [target for target in project.targets if target.id == "13.1"]
    db.session.commit()
    html = client.get("/organisasjoner/molde/").get_data(as_text=True)
    assert "goal-chip sdg-13" in html and "goal-chip sdg-11" not in html
