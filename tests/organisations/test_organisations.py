import re
from datetime import date

import pytest

from baerekraft_hub.organisations.services import set_network_member
from tests.factories import organisation


def municipality_links(html):
    return re.findall(
        r'<li class="municipality"><a class="ds-link" href="/organisasjoner/[a-z0-9-]+/">', html
    )


def test_list_shows_every_municipality_grouped_under_the_15_counties(client):
    html = client.get("/kommuner/").get_data(as_text=True)
    assert len(municipality_links(html)) == 357
    assert len(re.findall(r'<section class="county-group"', html)) == 15
    assert "357 kommuner" in html


def test_filter_works_as_a_plain_get_form(client):
    html = client.get("/kommuner/?q=mold").get_data(as_text=True)
    assert municipality_links(html) == [
        '<li class="municipality"><a class="ds-link" href="/organisasjoner/molde/">'
    ]
    assert 'value="mold"' in html  # what the user typed stays in the box
    assert "<html" in html


def test_filter_matches_official_sami_names_and_numbers(client):
    assert "/organisasjoner/kautokeino/" in client.get("/kommuner/?q=guovda").get_data(as_text=True)
    assert "/organisasjoner/molde/" in client.get("/kommuner/?q=1506").get_data(as_text=True)


def test_htmx_gets_only_the_results_and_the_announced_count(client):
    response = client.get("/kommuner/?q=mold", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert 'id="org-count" hx-swap-oob="innerHTML"' in html and "1 kommune" in html
    assert "HX-Request" in response.headers["Vary"]


def test_history_restore_gets_the_whole_page(client):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get("/kommuner/?q=mold", headers=headers).get_data(as_text=True)


def test_no_match_says_so(client):
    html = client.get("/kommuner/?q=atlantis").get_data(as_text=True)
    assert 'class="ds-paragraph no-results"' in html
    assert municipality_links(html) == []


def test_a_very_long_filter_is_cut_not_failed(client):
    assert client.get("/kommuner/?q=" + "x" * 20000).status_code == 200


def test_profile_shows_number_county_and_population(client):
    html = client.get("/organisasjoner/molde/").get_data(as_text=True)
    assert "1506" in html and "Møre og Romsdal" in html
    assert re.search(r"32\D?816", html)  # population, grouped the Norwegian way


def test_county_profile_lists_its_municipalities(client):
    html = client.get("/organisasjoner/more-og-romsdal-fylke/").get_data(as_text=True)
    assert "/organisasjoner/molde/" in html and "/organisasjoner/alesund/" in html


# --- county filter and network membership ------------------------------------------------------


def _mark_members(db, *numbers, since=date(2019, 6, 1)):
    for number in numbers:
        set_network_member(organisation(number), since)
    db.session.commit()


def county_headings(html):
    return re.findall(r'<h2 id="county-(\d+)"', html)


def test_county_filter_is_a_plain_get_form_that_keeps_the_choice(client, db):
    html = client.get("/kommuner/?county=15").get_data(as_text=True)
    assert county_headings(html) == ["15"]
    assert "/organisasjoner/molde/" in html and "/organisasjoner/bergen/" not in html
    assert len(municipality_links(html)) == len(organisation("15").municipalities)
    assert '<option value="15" selected>' in html


def test_county_and_name_filters_combine(client):
    html = client.get("/kommuner/?county=15&q=her").get_data(as_text=True)
    assert "/organisasjoner/heroy-more-og-romsdal/" in html
    assert "/organisasjoner/heroy-nordland/" not in html


def test_an_unknown_county_is_no_filter(client):
    for value in ("99", "abc", "1506"):
        html = client.get(f"/kommuner/?county={value}").get_data(as_text=True)
        assert len(municipality_links(html)) == 357, value


def test_members_of_the_network_are_marked_and_can_be_listed_alone(client, db):
    _mark_members(db, "1506", "4601")
    html = client.get("/kommuner/").get_data(as_text=True)
    molde = re.search(r'href="/organisasjoner/molde/">Molde</a>(.*?)</li>', html).group(1)
    assert "Medlem av nettverket" in molde
    assert html.count("Medlem av nettverket") == 2

    only = client.get("/kommuner/?network=1").get_data(as_text=True)
    assert [
        re.search(r"/organisasjoner/([a-z-]+)/", link).group(1) for link in municipality_links(only)
    ] == ["molde", "bergen"]  # county by county
    assert "2 kommuner (kun medlemmer av nettverket)" in only
    assert 'id="org-network" name="network" value="1" checked' in only


def test_network_filter_with_no_members_says_so(client):
    html = client.get("/kommuner/?network=1").get_data(as_text=True)
    assert municipality_links(html) == []
    assert "Ingen kommune passer med filteret." in html


def test_htmx_filters_by_county_and_membership_too(client, db):
    _mark_members(db, "1506")
    response = client.get("/kommuner/?county=15&network=1", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert len(municipality_links(html)) == 1 and "1 kommune" in html


def test_municipality_list_takes_a_fixed_number_of_queries(client, db, count_queries):
    _mark_members(db, "1506")
    with count_queries() as statements:
        client.get("/kommuner/?county=15&network=1")
    assert len(statements) <= 6


def test_the_list_seen_again_reads_no_organisations(client, db, count_queries):
    """The counties, municipalities and partners are kept per content generation."""
    client.get("/kommuner/")
    with count_queries() as statements:
        html = client.get("/kommuner/?county=15").get_data(as_text=True)
    assert "/organisasjoner/molde/" in html
    assert not [s for s in statements if "FROM organisation" in s]


def test_a_new_member_of_the_network_is_listed_on_the_next_request(client, runner, db):
    assert municipality_links(client.get("/kommuner/?network=1").get_data(as_text=True)) == []
    result = runner.invoke(
        args=["organisations", "network-member", "1506", "--since", "2019-06-01"]
    )
    assert result.exit_code == 0, result.output
    html = client.get("/kommuner/?network=1").get_data(as_text=True)
    assert len(municipality_links(html)) == 1 and "/organisasjoner/molde/" in html
    runner.invoke(args=["organisations", "network-member", "1506", "--remove"])
    assert municipality_links(client.get("/kommuner/?network=1").get_data(as_text=True)) == []


def test_profile_says_since_when_an_organisation_is_a_member(client, db):
    assert "Medlem av nettverket" not in client.get("/organisasjoner/molde/").get_data(as_text=True)
    _mark_members(db, "1506")
    html = client.get("/organisasjoner/molde/").get_data(as_text=True)
    assert "Medlem av nettverket" in html and "siden 1. juni 2019" in html


def test_cli_sets_and_removes_network_membership(runner, db):
    result = runner.invoke(
        args=["organisations", "network-member", "1506", "--since", "2019-06-01"]
    )
    assert result.exit_code == 0, result.output
    assert "Molde (1506): member since 2019-06-01" in result.output
    db.session.expire_all()
    assert organisation("1506").network_member_since == date(2019, 6, 1)

    result = runner.invoke(args=["organisations", "network-member", "1506", "--remove"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert organisation("1506").network_member_since is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["9999"], "no organisation with number '9999'"),
        (["ks"], "is a partner"),
        (["1506", "--since", "2019-13-01"], "Invalid value for '--since'"),
        (["1506", "--since", "2019-06-01", "--remove"], "do not go together"),
    ],
)
def test_cli_refuses_what_it_cannot_do(runner, db, args, message):
    result = runner.invoke(args=["organisations", "network-member", *args])
    assert result.exit_code != 0
    assert message in result.output
    db.session.expire_all()
    assert organisation("1506").network_member_since is None


def test_demo_content_makes_its_owners_members_and_takes_it_back(db):
    from baerekraft_hub.transfer.demo import load_demo, remove_demo

    set_network_member(organisation("4601"), date(2015, 1, 1))  # a real date, set by hand
    load_demo()
    db.session.commit()
    db.session.expire_all()
    assert organisation("1506").network_member_since is not None
    assert organisation("46").network_member_since is not None  # a county owns demo content
    assert organisation("ks").network_member_since is None  # a partner is not a member
    assert organisation("4601").network_member_since == date(2015, 1, 1)

    remove_demo()
    db.session.commit()
    db.session.expire_all()
    assert organisation("1506").network_member_since is None
    assert organisation("4601").network_member_since == date(2015, 1, 1)


def test_network_membership_migration_goes_both_ways(scratch_database):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    from baerekraft_hub import create_app
    from baerekraft_hub.extensions import db

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": scratch_database})
    with app.app_context():
        upgrade(revision="0010")
        columns = {c["name"] for c in inspect(db.engine).get_columns("organisation")}
        assert "network_member_since" in columns
        downgrade(revision="0009")
        columns = {c["name"] for c in inspect(db.engine).get_columns("organisation")}
        assert "network_member_since" not in columns
        db.engine.dispose()
