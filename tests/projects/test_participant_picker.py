"""Participating organisations: grouped checkboxes (no JS), a search endpoint (htmx), and the
same submitted values as the old multi-select."""

from __future__ import annotations

import re

from baerekraft_hub.projects.models import Project
from tests.factories import make_member, organisation
from tests.projects.test_views import form_data


def test_search_finds_namesakes_with_their_county(client, db):
    html = client.get("/kommuner/finn/?q=herøy").get_data(as_text=True)
    heroy_mr, heroy_n = organisation("1515"), organisation("1818")
    assert (
        f'data-pick="participant-{heroy_mr.id}" aria-pressed="false">Herøy (Møre og Romsdal)<'
        in (html)
    )
    assert f'data-pick="participant-{heroy_n.id}" aria-pressed="false">Herøy (Nordland)<' in html
    assert "<html" not in html


def test_search_by_number_puts_names_that_start_with_the_text_first(client, db):
    assert "Molde (Møre og Romsdal)" in client.get("/kommuner/finn/?q=1506").get_data(as_text=True)
    html = client.get("/kommuner/finn/?q=mo").get_data(as_text=True)
    names = re.findall(r'aria-pressed="false">([^<]+)<', html)
    assert names and all(n.casefold().startswith("mo") for n in names[:3]), names
    assert len(names) <= 12


def test_search_without_text_or_without_matches(client):
    assert client.get("/kommuner/finn/").get_data(as_text=True).strip() == ""
    html = client.get("/kommuner/finn/?q=atlantis").get_data(as_text=True)
    assert "Ingen organisasjon passer med «atlantis»." in html


def test_form_groups_participants_by_county_as_checkboxes(client, db, login_as):
    login_as(make_member("1506", "editor"))
    html = client.get("/prosjekter/ny/").get_data(as_text=True)
    assert '<select multiple id="participants"' not in html and 'name="participants"' in html
    heroy = organisation("1515")
    assert re.search(
        rf'<input class="ds-input" id="participant-{heroy.id}" name="participants" '
        rf'type="checkbox" value="{heroy.id}">\s*<label[^>]*>Herøy \(Møre og Romsdal\)</label>',
        html,
    )
    assert "<summary>Møre og Romsdal</summary>" in html and "<summary>Partnere</summary>" in html
    assert html.count('name="participants"') == db.session.scalar(
        db.select(db.func.count()).select_from(organisation("1506").__class__)
    )


def test_chosen_participants_are_saved_and_shown_ticked_in_an_open_group(client, db, login_as):
    login_as(make_member("1506", "editor"))
    chosen = [organisation("1515").id, organisation("ks").id]
    data = form_data(client, "/prosjekter/ny/", participants=[str(i) for i in chosen])
    assert client.post("/prosjekter/ny/", data=data).status_code == 302
    project = db.session.scalars(db.select(Project)).one()
    assert sorted(o.id for o in project.participants) == sorted(chosen)

    html = client.get(f"/prosjekter/{project.id}/rediger/").get_data(as_text=True)
    assert f'<input checked class="ds-input" id="participant-{chosen[0]}"' in html
    assert (
        '<details class="ds-details target-group" open>\n    <summary>Møre og Romsdal (1 valgt)'
        in (html)
    )


def test_an_unknown_participant_is_refused_as_before(client, db, login_as):
    login_as(make_member("1506", "editor"))
    data = form_data(client, "/prosjekter/ny/", participants=["999999"])
    response = client.post("/prosjekter/ny/", data=data)
    assert response.status_code == 422
    assert 'id="participants-error"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == 0
