"""KPI values in the browser: the form (decimal comma, versions kept), the upload with its
preview, who may change values, the feed."""

from __future__ import annotations

import io
import re

from baerekraft_hub.extensions import db as _db
from baerekraft_hub.kpis.models import KpiValue
from baerekraft_hub.memberships.models import Role
from baerekraft_hub.sdg.models import Kpi
from tests.activity.test_activity import follow
from tests.conftest import csrf_from
from tests.factories import make_member, make_user, organisation
from tests.kpis.conftest import PERCENT_KPI

BASE = "/organisasjoner/molde/indikatorverdier/"
EN = {"Accept-Language": "en"}


def values() -> list[KpiValue]:
    return list(_db.session.scalars(_db.select(KpiValue).order_by(KpiValue.id)))


def post_form(client, path: str, **fields):
    token = csrf_from(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **fields})


def test_an_editor_enters_a_value_with_a_decimal_comma(client, db, login_as, kpis):
    login_as(make_member("1506", Role.EDITOR, user=make_user(language="en")))
    response = post_form(
        client,
        BASE + "ny/",
        kpi=PERCENT_KPI,
        year="2024",
        value="12,5",
        quality="high",
        source="Egen telling",
        comment="Første måling",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    (value,) = values()
    assert (value.value, value.year, value.quality, value.source) == (
        12.5,
        2024,
        "high",
        "Egen telling",
    )
    page = client.get(BASE).get_data(as_text=True)
    assert "12.5" in page and "Egen telling" in page  # English writes a decimal point


def test_bad_input_in_the_form_is_shown_on_its_field_and_kept(client, db, login_as, kpis):
    login_as(make_member("1506", Role.EDITOR, user=make_user(language="en")))
    response = post_form(
        client, BASE + "ny/", kpi=PERCENT_KPI, year="2024", value="140", comment="<b>min tekst</b>"
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert (
        "En prosentandel er mellom 0 og 100" in html or "A percentage is between 0 and 100" in html
    )
    assert 'value="140"' in html
    assert "&lt;b&gt;min tekst&lt;/b&gt;" in html  # kept, and escaped
    assert values() == []


def test_editing_keeps_the_earlier_version(client, db, login_as, kpis):
    editor = make_member("1506", Role.EDITOR, user=make_user(language="en"))
    login_as(editor)
    post_form(client, BASE + "ny/", kpi=PERCENT_KPI, year="2023", value="40")
    (value,) = values()
    path = f"{BASE}{value.id}/endre/"
    assert 'value="40"' in client.get(path).get_data(as_text=True)
    response = post_form(client, path, value="41,5", quality="medium")
    assert response.status_code == 302
    _db.session.expire_all()
    (value,) = values()
    assert value.value == 41.5
    assert [v.value for v in value.versions] == [40]
    assert "Earlier versions" in client.get(path).get_data(as_text=True)


def test_nobody_else_changes_molde_values(client, db, login_as, kpis):
    login_as(make_member("4601", Role.ADMIN))
    assert client.get(BASE + "ny/").status_code == 403
    client.post("/logg-ut/", data={})
    login_as(make_member("1506", Role.MEMBER))
    assert client.get(BASE + "last-opp/").status_code == 403


CSV = (
    "kommunenummer;indikator;år;verdi;kilde\n"
    f"1506;{PERCENT_KPI};2022;80,5;SSB\n"
    f"1506;{PERCENT_KPI};2023;81;SSB\n"
    f"1506;{PERCENT_KPI};2024;999;SSB\n"
    f"4601;{PERCENT_KPI};2024;70;SSB\n"
)


def upload(client, text: str):
    token = csrf_from(client.get(BASE + "last-opp/").get_data(as_text=True))
    return client.post(
        BASE + "last-opp/",
        data={"csrf_token": token, "file": (io.BytesIO(text.encode()), "verdier.csv")},
        content_type="multipart/form-data",
    )


def test_upload_previews_then_saves_exactly_what_was_previewed(client, db, login_as, kpis):
    login_as(make_member("1506", Role.EDITOR, user=make_user(language="en")))
    preview = upload(client, CSV)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert values() == []  # a preview saves nothing
    assert "2 new, 0 changed, 0 unchanged, 2 rows with problems" in html
    assert "Row 4, Value: A percentage is between 0 and 100" in html
    assert "Row 5, Organisation: You may not change the values of Bergen" in html
    content = re.search(r'name="content" type="hidden" value="([^"]+)"', html).group(1)
    token = csrf_from(html)
    saved = client.post(BASE + "last-opp/lagre/", data={"csrf_token": token, "content": content})
    assert saved.status_code == 302
    assert sorted((v.year, v.value) for v in values()) == [(2022, 80.5), (2023, 81.0)]
    assert {v.entered_by_id for v in values()} != {None}


def test_the_preview_names_problem_columns_in_the_readers_language(client, db, login_as, kpis):
    """The file says "verdi" or "value"; the preview says the column's name as the reader
    does (the CLI keeps the column names: row 4, value: …)."""
    for language, value_column, organisation_column in (
        ("nb", "Rad 4, Verdi: En prosentandel", "Rad 5, Organisasjon: "),
        ("en", "Row 4, Value: A percentage", "Row 5, Organisation: "),
    ):
        login_as(make_member("1506", Role.EDITOR, user=make_user(language=language)))
        html = upload(client, CSV).get_data(as_text=True)
        assert value_column in html and organisation_column in html
        assert ", value:" not in html and ", organisation:" not in html
        client.post("/logg-ut/", data={})


def test_a_tampered_preview_is_not_saved(client, db, login_as, kpis):
    login_as(make_member("1506", Role.EDITOR, user=make_user(language="en")))
    html = upload(client, CSV).get_data(as_text=True)
    content = re.search(r'name="content" type="hidden" value="([^"]+)"', html).group(1)
    token = csrf_from(html)
    saved = client.post(
        BASE + "last-opp/lagre/", data={"csrf_token": token, "content": content[:-3] + "abc"}
    )
    assert saved.status_code == 302 and "last-opp" in saved.headers["Location"]
    assert values() == []


def test_the_coordinator_may_upload_any_organisation(client, db, login_as, kpis):
    login_as(make_user(coordinator=True, language="en"))
    html = upload(client, CSV).get_data(as_text=True)
    content = re.search(r'name="content" type="hidden" value="([^"]+)"', html).group(1)
    client.post(BASE + "last-opp/lagre/", data={"csrf_token": csrf_from(html), "content": content})
    assert sorted(v.organisation.slug for v in values()) == ["bergen", "molde", "molde"]


def test_a_file_that_is_no_table_is_a_clear_error(client, db, login_as, kpis):
    login_as(make_member("1506", Role.EDITOR, user=make_user(language="en")))
    response = upload(client, "hei;hallo\n1;2\n")
    assert response.status_code == 422
    assert "kpi" in response.get_data(as_text=True)


def test_new_values_of_a_followed_municipality_reach_the_feed(client, db, login_as, kpis):
    me = make_user(language="en")
    follow(db, me, "organisation", organisation("1506").id)
    login_as(make_member("1506", Role.EDITOR, user=make_user(language="en")))
    html = upload(client, CSV).get_data(as_text=True)
    content = re.search(r'name="content" type="hidden" value="([^"]+)"', html).group(1)
    client.post(BASE + "last-opp/lagre/", data={"csrf_token": csrf_from(html), "content": content})
    client.post("/logg-ut/", data={})
    login_as(me)
    feed = client.get("/nytt-for-deg/").get_data(as_text=True)
    assert "Molde" in feed
    assert "2 new or changed indicator values for 2022, 2023" in feed


def test_the_api_filters_values(client, db, kpis):
    molde, bergen = organisation("1506"), organisation("4601")
    percent, _ = kpis
    for org, year, value in ((molde, 2023, 1.0), (molde, 2024, 2.0), (bergen, 2024, 3.0)):
        _db.session.add(KpiValue(organisation=org, kpi=percent, year=year, value=value))
    _db.session.commit()
    everything = client.get("/api/v1/kpi-values").get_json()
    assert everything["total"] == 3
    molde_only = client.get("/api/v1/kpi-values?municipality=1506").get_json()
    assert [r["year"] for r in molde_only["results"]] == [2023, 2024]
    by_year = client.get(f"/api/v1/kpi-values?year=2024&kpi={PERCENT_KPI}").get_json()
    assert sorted(r["organisation"]["slug"] for r in by_year["results"]) == ["bergen", "molde"]
    by_county = client.get(f"/api/v1/kpi-values?county={bergen.county.number}").get_json()
    assert [r["value"] for r in by_county["results"]] == [3.0]
    paged = client.get("/api/v1/kpi-values?per_page=2&page=2").get_json()
    assert (paged["total"], len(paged["results"])) == (3, 1)
    bad = client.get("/api/v1/kpi-values?year=tjue")
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "year"
    kpis_page = client.get("/api/v1/kpis?per_page=100").get_json()
    assert kpis_page["total"] == 91
    assert any(
        k["code"] == PERCENT_KPI and k["unit_code"] == "percent" for k in kpis_page["results"]
    )


def test_all_values_come_by_organisation_then_kpi_in_u4ssc_order_then_year(client, db, kpis):
    """Unfiltered, the API reads kpi_value's unique index: organisation, KPI, year. KPIs come in
    the U4SSC order of /indikatorer/ (ICT before Infrastructure), not by code ("EC: I: …" first)."""
    molde, bergen = organisation("1506"), organisation("4601")
    percent, _ = kpis
    infrastructure = _db.session.scalars(_db.select(Kpi).where(Kpi.code == "EC: I: B: 1A")).one()
    for org in (bergen, molde):
        for kpi in (infrastructure, percent):
            for year in (2024, 2023):
                _db.session.add(KpiValue(organisation=org, kpi=kpi, year=year, value=1.0))
    _db.session.commit()
    results = client.get("/api/v1/kpi-values").get_json()["results"]
    seen = [(r["organisation"]["number"], r["kpi"], r["year"]) for r in results]
    first, second = sorted((molde, bergen), key=lambda o: o.id)
    assert seen == [
        (org.number, kpi, year)
        for org in (first, second)
        for kpi in (PERCENT_KPI, "EC: I: B: 1A")
        for year in (2023, 2024)
    ]


def test_the_api_total_counts_a_value_added_since_the_last_request(client, db, kpis):
    percent, _ = kpis
    _db.session.add(KpiValue(organisation=organisation("1506"), kpi=percent, year=2023, value=1))
    _db.session.commit()
    assert client.get("/api/v1/kpi-values").get_json()["total"] == 1
    _db.session.add(KpiValue(organisation=organisation("4601"), kpi=percent, year=2023, value=2))
    _db.session.commit()
    assert client.get("/api/v1/kpi-values").get_json()["total"] == 2


def test_a_changed_kpi_definition_shows_on_the_next_request(client, db, kpis):
    percent, _ = kpis
    slug = "ec-ict-ict-1c"
    before = percent.name_en, percent.target_value
    assert percent.name_en in client.get(f"/indikatorer/{slug}/", headers=EN).get_data(True)
    percent.name_en, percent.target_value = "Homes online", 97.5
    _db.session.commit()
    try:
        assert "Homes online" in client.get("/indikatorer/", headers=EN).get_data(True)
        page = client.get(f"/indikatorer/{slug}/", headers=EN).get_data(True)
        assert "<h1" in page and "Homes online" in page and "97.5" in page
        api = client.get("/api/v1/kpis?per_page=100").get_json()["results"]
        assert any(k["name"]["en"] == "Homes online" for k in api)
    finally:
        percent.name_en, percent.target_value = before
        _db.session.commit()


def test_a_renamed_municipality_shows_on_the_kpi_page_on_the_next_request(client, db, kpis):
    """Organisations' names are kept per process for the ranking: read again after a commit."""
    percent, _ = kpis
    molde = organisation("1506")
    _db.session.add(KpiValue(organisation=molde, kpi=percent, year=2023, value=50))
    _db.session.commit()
    path = "/indikatorer/ec-ict-ict-1c/?kommune=molde"
    assert ">Molde</a>" in client.get(path, headers=EN).get_data(True)
    molde.name = "Molde & Hustadvika"
    _db.session.commit()
    try:
        html = client.get(path, headers=EN).get_data(True)
        assert ">Molde &amp; Hustadvika</a>" in html  # the ranking
        assert ">Molde &amp; Hustadvika</option>" in html  # the municipalities to compare
    finally:
        molde.name = "Molde"
        _db.session.commit()
