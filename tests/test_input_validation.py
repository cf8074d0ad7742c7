"""Hostile and unusual input: one-line fields, numbers, ids, pages, versions and NUL bytes.

Each answers with a clear message or a 4xx, never a 500, and keeps what the user typed.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from markupsafe import escape

from baerekraft_hub import create_app
from baerekraft_hub.projects.models import Project, ResultIndicator
from tests.access_rules import RULES
from tests.conftest import csrf_from, session_csrf
from tests.factories import make_member, make_project, make_user
from tests.projects.test_views import form_data


def _count(db, model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


# --- one line: titles, names, tags ---------------------------------------------------------


def test_a_project_stored_with_a_line_break_in_its_title_can_be_unpublished(
    client, db, login_as, smtp_server
):
    """Stored before forms refused it (or written by another program): the email still goes."""
    project = make_project(title="Regnbed\r\nBcc: eve@example.no")
    make_member("1506", "editor")
    login_as(make_user(coordinator=True))
    page = client.get(f"/prosjekter/{project.id}/avpubliser/").get_data(as_text=True)
    response = client.post(
        f"/prosjekter/{project.id}/avpubliser/",
        data={"csrf_token": csrf_from(page), "reason": "Mangler kontaktperson"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, project.id).state == "unpublished"
    [message] = smtp_server.wait_for(1)
    assert "Regnbed Bcc: eve@example.no" in message["Subject"]
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert message["Bcc"] is None


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("title", "Regnbed\r\nBcc: eve@example.no"),
        ("title", "Regnbed\ni sentrum"),
        ("title", "Regnbed\u2028i sentrum"),
        ("contact_name", "Kari\nNordmann"),
        ("funding_sources", "Kommunen\tStaten"),
        ("tags", "overvann\r\nklima"),
        ("partners-0-name", "NTNU\nSINTEF"),
    ],
)
def test_the_project_form_refuses_line_breaks_in_one_line_fields(client, db, login_as, field, text):
    login_as(make_member("1506", "editor"))
    data = form_data(client, "/prosjekter/ny/", **{field: text})
    response = client.post("/prosjekter/ny/", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Skriv dette på én linje, uten linjeskift eller tabulator." in html
    assert str(escape(text)) in html  # what was typed comes back to be corrected
    assert _count(db, Project) == 0


def test_descriptions_and_summaries_may_have_several_lines(client, db, login_as):
    login_as(make_member("1506", "editor"))
    data = form_data(client, "/prosjekter/ny/", summary="Linje én.\r\nLinje to.")
    assert client.post("/prosjekter/ny/", data=data).status_code == 302


def test_indicator_names_and_units_are_one_line(client, db, login_as):
    project = make_project()
    login_as(make_member("1506", "editor"))
    page = client.get(f"/prosjekter/{project.id}/").get_data(as_text=True)
    response = client.post(
        f"/prosjekter/{project.id}/indikatorer/",
        data={
            "csrf_token": csrf_from(page),
            "name": "Andel\r\nX-Evil: 1",
            "unit": "%",
            "baseline_value": "1",
            "baseline_year": "2020",
            "target_value": "2",
            "target_year": "2030",
        },
    )
    assert response.status_code == 422
    assert _count(db, ResultIndicator) == 0


# --- numbers ---------------------------------------------------------------------------------


def _add_indicator(client, project, **values):
    page = client.get(f"/prosjekter/{project.id}/").get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(page),
        "name": "Grøntareal",
        "unit": "m²",
        "baseline_value": "1000",
        "baseline_year": "2020",
        "target_value": "2000",
        "target_year": "2030",
    }
    data.update(values)
    return client.post(f"/prosjekter/{project.id}/indikatorer/", data=data)


@pytest.mark.parametrize(
    "typed", ["1450,5", "1 450,5", "1\u00a0450,5", "1\u202f450,5", "1450.5", " 1450,50 "]
)
def test_numbers_are_taken_as_norwegians_write_them(client, db, login_as, typed):
    project = make_project()
    login_as(make_member("1506", "editor"))
    response = _add_indicator(client, project, baseline_value=typed)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    indicator = db.session.scalars(db.select(ResultIndicator)).one()
    assert indicator.baseline_value == Decimal("1450.5")
    page = client.get(f"/prosjekter/{project.id}/").get_data(as_text=True)
    assert "1\u00a0450,5" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("123456789012345678901234567890", "Skriv et tall fra"),
        ("-123456789012345678901234567890", "Skriv et tall fra"),
        ("1e400", "Skriv et tall fra"),
        ("NaN", "Skriv et tall, for eksempel 1\u00a0450,5."),
        ("Infinity", "Skriv et tall, for eksempel 1\u00a0450,5."),
        ("-inf", "Skriv et tall, for eksempel 1\u00a0450,5."),
        ("1.450,5", "Skriv et tall, for eksempel 1\u00a0450,5."),
        ("tolv", "Skriv et tall, for eksempel 1\u00a0450,5."),
    ],
)
def test_indicator_values_the_column_cannot_hold_are_refused_with_a_message(
    client, db, login_as, typed, message
):
    project = make_project()
    login_as(make_member("1506", "editor"))
    response = _add_indicator(client, project, target_value=typed)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and str(escape(typed)) in html
    assert _count(db, ResultIndicator) == 0
    assert client.get(f"/prosjekter/{project.id}/").status_code == 200


def test_a_recorded_value_is_checked_the_same_way(client, db, login_as):
    project = make_project()
    login_as(make_member("1506", "editor"))
    _add_indicator(client, project)
    indicator = db.session.scalars(db.select(ResultIndicator)).one()
    page = client.get(f"/prosjekter/{project.id}/").get_data(as_text=True)
    url = f"/prosjekter/{project.id}/indikatorer/{indicator.id}/verdi/"
    prefix = f"v{indicator.id}-"
    data = {"csrf_token": csrf_from(page), f"{prefix}measured": "2024-05-01"}
    bad = client.post(url, data={**data, f"{prefix}value": "1" * 30})
    assert bad.status_code == 422
    db.session.expire_all()
    assert db.session.get(ResultIndicator, indicator.id).latest_value is None
    good = client.post(url, data={**data, f"{prefix}value": "1 500,25"})
    assert good.status_code == 302
    db.session.expire_all()
    assert db.session.get(ResultIndicator, indicator.id).latest_value == Decimal("1500.25")


@pytest.mark.parametrize("budget", [str(2**63), "99999999999999999999", "-1", "12,5", "NaN"])
def test_a_budget_out_of_range_is_a_message_not_a_500(client, db, login_as, budget):
    login_as(make_member("1506", "editor"))
    data = form_data(client, "/prosjekter/ny/", budget_nok=budget)
    response = client.post("/prosjekter/ny/", data=data)
    assert response.status_code == 422
    assert str(escape(budget)) in response.get_data(as_text=True)
    assert _count(db, Project) == 0


def test_a_budget_with_spaces_between_thousands_is_taken(client, db, login_as):
    login_as(make_member("1506", "editor"))
    data = form_data(client, "/prosjekter/ny/", budget_nok="1 250 000")
    assert client.post("/prosjekter/ny/", data=data).status_code == 302
    assert db.session.scalars(db.select(Project)).one().budget_nok == 1_250_000


def test_an_english_user_writes_numbers_the_english_way(client, db, login_as):
    project = make_project()
    editor = make_member("1506", "editor")
    editor.language = "en"
    login_as(editor)
    assert _add_indicator(client, project, baseline_value="1,450.5").status_code == 302
    assert db.session.scalars(db.select(ResultIndicator)).one().baseline_value == Decimal("1450.5")


# --- ids, pages and versions -----------------------------------------------------------------


def _routes_with_ids():
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    rules = []
    for rule in app.url_map.iter_rules():
        ints = [n for n, c in rule._converters.items() if type(c).__name__ == "IdConverter"]
        if ints:
            rules.append(rule)
    return sorted(rules, key=lambda r: r.rule)


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_ids_no_database_can_hold_are_404_on_every_route(client, db, login_as, number):
    login_as(make_user(coordinator=True))
    token = session_csrf(client)
    rules = _routes_with_ids()
    assert len(rules) > 10
    for rule in rules:
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", str(number)).replace(f"<{name}>", "molde")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(path, method=method, data={"csrf_token": token})
            assert response.status_code == 404, (method, path, response.status_code)


@pytest.mark.parametrize("path", ["/prosjekter/", "/praksis/", "/nytt-for-deg/"])
@pytest.mark.parametrize("page", ["99999999999999999999", "-5", "x", "9" * 5000, "1e3"])
def test_any_page_number_gives_a_page(client, db, login_as, path, page):
    login_as(make_user())
    assert client.get(path, query_string={"page": page}).status_code == 200


@pytest.mark.parametrize("version", ["abc", "", "99999999999999999999", "-1", "1.0"])
def test_a_mangled_version_is_an_edit_conflict_that_keeps_the_text(client, db, login_as, version):
    project = make_project(title="Overvann")
    login_as(make_member("1506", "editor"))
    url = f"/prosjekter/{project.id}/rediger/"
    data = form_data(client, url, title="Min nye tittel", version=version)
    response = client.post(url, data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Min nye tittel" in html and "Noen andre lagret" in html
    assert f'name="version" type="hidden" value="{project.version}"' in html
    db.session.expire_all()
    assert db.session.get(Project, project.id).title == "Overvann"


# --- NUL bytes -------------------------------------------------------------------------------


def _get_paths():
    return sorted(
        {rule.path for (endpoint, method), rule in RULES.items() if method == "GET"}
        - {"/static/css/app.css"}
    )


@pytest.mark.parametrize("path", _get_paths())
def test_a_nul_byte_in_any_query_parameter_is_a_400(client, db, login_as, path):
    project = make_project()
    login_as(make_user(coordinator=True))
    path = path.split("?")[0].replace("{project}", str(project.id)).replace("{practice}", "1")
    for param in ("q", "tag", "page", "county", "x\x00"):
        response = client.get(path, query_string={param: "a\x00b"})
        assert response.status_code == 400, (path, param)
        assert "NUL" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/organisasjoner/%00/", "/prosjekter/%00/", "/barekraftsmal/delmal/1%00/"]
)
def test_a_nul_byte_in_the_path_is_a_400(client, db, path):
    assert client.get(path).status_code == 400


def test_a_nul_byte_in_a_form_is_a_400_and_nothing_is_saved(client, db, login_as):
    login_as(make_member("1506", "editor"))
    data = form_data(client, "/prosjekter/ny/", title="Regnbed\x00")
    assert client.post("/prosjekter/ny/", data=data).status_code == 400
    assert _count(db, Project) == 0


@pytest.mark.parametrize("organisation", [str(2**63), "99999999999999999999", "-1", "x", ""])
def test_reuse_with_an_organisation_id_no_database_holds_is_refused(
    client, db, login_as, organisation
):
    """Found by tests/test_fuzz_inputs.py: a huge id overflowed SQLite's INTEGER (500)."""
    from baerekraft_hub.content.services import publish
    from baerekraft_hub.practices.services import PracticeData, create_practice
    from tests.factories import organisation as org

    practice = create_practice(PracticeData(title="Praksis", summary="S", owner=org("1506")), None)
    publish(practice, None)
    login_as(make_user(coordinator=True))
    token = session_csrf(client)
    response = client.post(
        f"/praksis/{practice.id}/gjenbruk/",
        data={"csrf_token": token, "organisation": organisation},
    )
    assert response.status_code == 403
