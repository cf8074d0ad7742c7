"""The lists' reference data (goal names, counties, tags, start years) is read once per
content generation, and every commit shows on the next request."""

from __future__ import annotations

from datetime import date

from baerekraft_hub.content.services import unpublish
from baerekraft_hub.sdg.models import Goal
from tests.factories import make_member, make_practice, make_project, organisation


def _count(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return html.split('class="result-count" role="status">')[1].split("</p>")[0].strip()


def _filters(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return html.split('class="filters"')[1].split("</form>")[0]


def test_a_second_visit_reads_only_the_list_itself(client, db, count_queries):
    make_project("1506")
    db.session.commit()
    for path in ("/prosjekter/", "/praksis/", "/"):
        client.get(path)
        with count_queries() as statements:
            client.get(path)
        read = " ".join(statements)
        assert "FROM sdg_goal" not in read, path  # goal names
        assert "organisation.kind" not in read, path  # the counties
        assert "FROM tag" not in read and "min(project.start_date)" not in read, path
        if path != "/":  # the unfiltered list's total is the published count, kept too
            assert len(statements) == 1 and "count(*)" not in read, path


def test_the_unfiltered_lists_count_follows_every_publish_and_unpublish(client, db, login_as):
    first = make_project("1506")
    make_practice("1506")
    db.session.commit()
    assert _count(client, "/prosjekter/") == "1 prosjekt"
    assert _count(client, "/praksis/") == "1 eksempel på god praksis"
    make_project("4601")
    make_practice("4601")
    db.session.commit()
    assert _count(client, "/prosjekter/") == "2 prosjekter"
    assert _count(client, "/praksis/") == "2 eksempler på god praksis"
    unpublish(first, None, "Feil")
    db.session.commit()
    assert _count(client, "/prosjekter/") == "1 prosjekt"
    # A member of the owner also sees its unpublished project: counted, not the kept count.
    make_project("1506", published=False)
    login_as(make_member("1506"))
    assert _count(client, "/prosjekter/") == "3 prosjekter"
    assert _count(client, "/prosjekter/?status=ongoing") == "3 prosjekter"


def test_a_new_tag_and_start_year_are_offered_after_the_commit(client, db):
    make_project("1506", tags=["klimatilpasning"], start_date=date(2024, 3, 1))
    db.session.commit()
    assert "regnbed" not in _filters(client, "/prosjekter/")
    make_project("4601", tags=["regnbed"], start_date=date(2019, 5, 1))
    db.session.commit()
    filters = _filters(client, "/prosjekter/")
    assert '<option value="regnbed">' in filters and '<option value="2019">' in filters


def test_renamed_counties_and_goals_show_on_the_next_request(client, db):
    for path in ("/prosjekter/", "/praksis/", "/"):
        client.get(path)
    county, goal = organisation("15"), db.session.get(Goal, 13)
    names = county.name, goal.short_title_nb
    county.name, goal.short_title_nb = "Nordvestlandet", "Stoppe klimaendringene"
    db.session.commit()
    try:
        for path in ("/prosjekter/", "/praksis/"):
            filters = _filters(client, path)
            assert ">Nordvestlandet</option>" in filters, path
            assert "13 Stoppe klimaendringene</option>" in filters, path
        assert "Stoppe klimaendringene" in client.get("/").get_data(as_text=True)
    finally:  # reference data outlives the test (the `db` fixture keeps it)
        county.name, goal.short_title_nb = names
        db.session.commit()
