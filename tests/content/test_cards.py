"""List cards (content/cards.py): what a card shows, and how many a list says it has."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from baerekraft_hub.content.cards import card_page
from baerekraft_hub.projects.queries import PROJECTS, ProjectFilters, filtered
from tests.factories import make_member, make_practice, make_project


def _card(html: str, item_id: int, kind: str = "project") -> str:
    return html.split(f'id="{kind}-{item_id}-title"')[1].split("</article>")[0]


def test_a_card_shows_owner_county_status_link_and_each_goal_once(client, db):
    project = make_project("1506", target_ids=["13.1", "11.5", "11.6"], goal_numbers=[11, 3])
    db.session.commit()
    card = _card(client.get("/prosjekter/").get_data(as_text=True), project.id)
    assert f'href="/prosjekter/{project.id}/"' in card
    assert "Molde, Møre og Romsdal" in card and "Pågår" in card
    chips = card.split('class="goal-chip sdg-')[1:]
    assert [chip.split('"')[0] for chip in chips] == ["3", "11", "13"]
    assert "Utkast" not in card


def test_a_practice_card_and_a_project_card_in_the_other_language(client, db):
    project = make_project("1506", language="en")
    practice = make_practice("4601", target_ids=["11.5"])
    db.session.commit()
    card = _card(client.get("/prosjekter/").get_data(as_text=True), project.id)
    assert f'href="/prosjekter/{project.id}/" lang="en"' in card
    card = _card(client.get("/praksis/").get_data(as_text=True), practice.id, "practice")
    assert "God praksis · Bergen, Vestland" in " ".join(card.split())
    assert 'class="goal-chip sdg-11"' in card and "lang=" not in card


def test_a_member_sees_the_draft_card_marked_as_a_draft(client, db, login_as):
    draft = make_project("1506", published=False, title="Et utkast")
    login_as(make_member("1506"))
    card = _card(client.get("/prosjekter/").get_data(as_text=True), draft.id)
    assert "Et utkast" in card and "Utkast" in card


def test_every_page_of_a_list_counts_every_match(app, db):
    ids = [make_project("1506", title=f"Prosjekt {n}").id for n in range(5)]
    make_project("4601")  # another county
    db.session.commit()
    query = filtered(ProjectFilters(county="15"), None)
    with app.test_request_context():
        pages = [card_page(PROJECTS, query, page, per_page=2) for page in (1, 2, 3, 4)]
        nothing = card_page(PROJECTS, filtered(ProjectFilters(county="03"), None), 1)
    assert [[card.id for card in page.items] for page in pages] == [
        ids[4:2:-1],
        ids[2:0:-1],
        ids[:1],
        [],
    ]
    assert [page.total for page in pages] == [5, 5, 5, 5]
    assert (nothing.items, nothing.total) == ([], 0)


def test_the_card_words_follow_each_readers_language(client, db):
    project = make_project("1506", status="completed")
    db.session.commit()
    for language, status, goal, goals in [
        ("nb", "Fullført", "Mål", "Mål"),
        ("en", "Completed", "Goal", "Goals"),
        ("nb", "Fullført", "Mål", "Mål"),
    ]:
        client.set_cookie("lang", language)
        card = _card(client.get("/prosjekter/").get_data(as_text=True), project.id)
        assert f"· {status}" in card, language
        assert f'aria-label="{goals}"' in card and f'sr-only">{goal} </span>' in card, language


def test_the_pager_links_keep_the_filters(client, db):
    for n in range(21):
        make_project("1506", title=f"Prosjekt {n}")
    db.session.commit()
    html = client.get("/prosjekter/?county=15&page=2").get_data(as_text=True)
    pager = html.split('class="ds-pagination"')[1].split("</nav>")[0]
    assert 'href="/prosjekter/?page=1&amp;county=15">' in pager
    assert 'href="/prosjekter/?page=2&amp;county=15" aria-current="page">' in pager


def test_a_list_filtered_by_goal_and_county_starts_from_the_matches_not_every_published(app, db):
    """SQLite walked the (state, published_at) index, every published item, to count a goal
    in a county; it reads the goal's and the county's few items instead."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan of SQLite's query planner")
    project = make_project("1506", target_ids=["13.1"])
    make_project("1506", target_ids=["3.1"])
    db.session.commit()
    query = filtered(ProjectFilters(goal=13, county="15"), None)
    count = sa.select(sa.func.count()).select_from(
        query.with_only_columns(PROJECTS.model.id).order_by(None).subquery()
    )
    for statement in (query, count):
        compiled = statement.compile(db.engine)
        params = tuple(compiled.params[name] for name in compiled.positiontup)
        plan = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params)
        assert "ix_project_state_published_at" not in " ".join(row[3] for row in plan)
    assert [found.id for found in db.session.scalars(query)] == [project.id]
