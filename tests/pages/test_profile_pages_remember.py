"""The goal, target and municipality pages keep what changes only with a commit (the goals,
targets and indicators, the KPIs' medians, how many items a long list has) per content
generation: seen again, they read only their own lists, and a commit shows on the next request."""

from __future__ import annotations

import re

from baerekraft_hub.sdg.models import Goal, Kpi, Target
from tests.factories import make_practice, make_project, organisation

REFERENCE_READ = re.compile(r"FROM (sdg_goal|sdg_target|sdg_indicator|u4ssc_kpi)\b")


def _seen_again(client, count_queries, path: str) -> tuple[str, list[str]]:
    client.get(path)
    with count_queries() as statements:
        html = client.get(path).get_data(as_text=True)
    return html, statements


def test_goal_and_target_pages_seen_again_read_no_reference_data(client, db, count_queries):
    make_project(title="Regnbed i Molde", target_ids=["13.1"])
    db.session.commit()
    for path, shown in (("/barekraftsmal/13/", "13.1"), ("/barekraftsmal/delmal/13.1/", "13.1")):
        html, statements = _seen_again(client, count_queries, path)
        assert shown in html and "Regnbed i Molde" in html, path
        assert not [s for s in statements if REFERENCE_READ.search(s)], path


def test_a_list_shorter_than_the_page_is_not_counted_and_a_long_one_once(
    client, db, count_queries, monkeypatch
):
    monkeypatch.setattr("baerekraft_hub.pages.profiles.LISTED", 2)
    for n in range(3):
        make_project(title=f"Regnbed {n}", target_ids=["13.1"])
    make_practice(title="Klimatilpasning", target_ids=["13.1"])
    db.session.commit()
    html, statements = _seen_again(client, count_queries, "/barekraftsmal/delmal/13.1/")
    assert "3 prosjekter" in html and "1 eksempel på god praksis" in html
    assert not [s for s in statements if "count(*)" in s.lower()]


def test_a_commit_shows_on_the_next_request(client, db, monkeypatch):
    """New work changes the remembered totals; edited reference data the goal tree and the
    KPI table."""
    monkeypatch.setattr("baerekraft_hub.pages.profiles.LISTED", 2)
    for n in range(3):
        make_project(title=f"Regnbed {n}", target_ids=["13.1"])
    db.session.commit()
    assert "3 prosjekter" in client.get("/barekraftsmal/13/").get_data(as_text=True)
    make_project(title="Regnbed 3", target_ids=["13.2"])
    db.session.commit()
    assert "4 prosjekter" in client.get("/barekraftsmal/13/").get_data(as_text=True)

    goal = db.session.get(Goal, 13)
    target = db.session.get(Target, "13.1")
    kpi = next(k for k in db.session.scalars(db.select(Kpi)) if "13" in (k.sdg_goals or ""))
    kept = goal.short_title_nb, target.text_nb, kpi.name_nb
    try:
        goal.short_title_nb, target.text_nb = "Stoppe klimaendringene nå", "Ny tekst for 13.1"
        kpi.name_nb = "Et nytt indikatornavn"
        db.session.commit()
        html = client.get("/barekraftsmal/13/").get_data(as_text=True)
        assert "Stoppe klimaendringene nå" in html and "Ny tekst for 13.1" in html
        assert "Et nytt indikatornavn" in html
        html = client.get("/barekraftsmal/delmal/13.1/").get_data(as_text=True)
        assert "Ny tekst for 13.1" in html
    finally:
        goal.short_title_nb, target.text_nb, kpi.name_nb = kept
        db.session.commit()


def _goal_tile(html: str, number: int) -> str:
    return html.split(f'class="sdg-tile sdg-{number}"')[1].split("</a>")[0]


def test_a_municipality_page_counts_its_work_again_after_a_commit(client, db, count_queries):
    make_project(title="Molde-prosjekt", owner="1506", target_ids=["13.1"])
    db.session.commit()
    html, statements = _seen_again(client, count_queries, "/organisasjoner/molde/")
    assert "1 prosjekt<" in html and "1 bidrag" in _goal_tile(html, 13)
    assert not [s for s in statements if REFERENCE_READ.search(s)]  # the goal tiles' counts
    make_project(title="Molde-prosjekt 2", owner="4601", participants=[organisation("1506")])
    db.session.commit()
    html = client.get("/organisasjoner/molde/").get_data(as_text=True)
    assert "2 prosjekter" in html and "Molde-prosjekt 2" in html
    assert "2 bidrag" in _goal_tile(html, 13) and "1 bidrag" in _goal_tile(html, 11)


def test_a_municipality_pages_goal_tiles_follow_the_language_and_an_edited_title(client, db):
    make_project(title="Molde-prosjekt", owner="1506", target_ids=["13.1"])
    goal = db.session.get(Goal, 13)
    db.session.commit()
    for language, title in (("nb", goal.short_title_nb), ("en", goal.short_title_en)):
        client.set_cookie("lang", language)
        tile = _goal_tile(client.get("/organisasjoner/molde/").get_data(as_text=True), 13)
        assert title in tile and ("1 bidrag" if language == "nb" else "1 item") in tile
    client.set_cookie("lang", "nb")
    kept = goal.short_title_nb
    try:
        goal.short_title_nb = "Stoppe klimaendringene nå"
        db.session.commit()
        tile = _goal_tile(client.get("/organisasjoner/molde/").get_data(as_text=True), 13)
        assert "Stoppe klimaendringene nå" in tile
    finally:
        goal.short_title_nb = kept
        db.session.commit()
