"""The status page, the KPI page, the goal page's KPIs and the exports, on figures computed by
hand: Molde (county Møre og Romsdal, 32,816 inhabitants) against its peers."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime

import pytest

from baerekraft_hub.extensions import db as _db
from baerekraft_hub.kpis.definitions import kpi_slug
from baerekraft_hub.kpis.medians import KpiMedian
from baerekraft_hub.kpis.models import KpiValue
from baerekraft_hub.sdg.models import Kpi
from tests.factories import make_project, organisation

EN = {"Accept-Language": "en"}
A, B, C = "EC: ICT: ICT: 1C", "EN: EN: AQ: 1C", "SC: EH: ED: 1C"


@pytest.fixture()
def targets(db):
    """A: higher is better, target 80; B: lower is better, target 5; C: no target."""
    kpis = {k.code: k for k in db.session.scalars(db.select(Kpi).where(Kpi.code.in_([A, B, C])))}
    saved = {code: (k.direction, k.target_value) for code, k in kpis.items()}
    wanted = {A: ("higher", 80.0), B: ("lower", 5.0), C: ("higher", None)}
    for code, (direction, target) in wanted.items():
        kpis[code].direction, kpis[code].target_value = direction, target
    db.session.commit()
    yield kpis
    for code, (direction, target) in saved.items():
        kpis[code].direction, kpis[code].target_value = direction, target
    db.session.commit()


def add(number: str, kpi: Kpi, year: int, value: float, demo: bool = False) -> None:
    _db.session.add(
        KpiValue(organisation=organisation(number), kpi=kpi, year=year, value=value, demo=demo)
    )


@pytest.fixture()
def values(db, targets):
    a, b, c = targets[A], targets[B], targets[C]
    add("1506", a, 2020, 40)
    add("1506", a, 2022, 44)  # 55 % of 80: 2 points; 4.88 %/year against 7.18 % needed
    add("1506", b, 2022, 10)  # 5/10 = 50 %: 2 points; one year: not enough data
    add("1506", c, 2020, 100)
    add("1506", c, 2022, 104)  # no target: no points; 1.98 %/year: on track
    add("1505", a, 2022, 60)  # Kristiansund: same county, same band (24,404)
    add("1577", a, 2022, 70)  # Volda: same county, 10,000-20,000
    add("4601", a, 2022, 20, demo=True)  # Bergen: another county, 50,000 and more
    db.session.commit()
    return targets


def row(html: str, code: str) -> str:
    match = re.search(rf'<tr data-kpi="{re.escape(code)}">(.*?)</tr>', html, re.S)
    assert match, code
    return re.sub(r"\s+", " ", match.group(1))


def test_medians_follow_the_values_in_the_same_transaction(values, db):
    medians = {
        (m.scope, m.scope_key): (m.median, m.reporting, m.demo)
        for m in db.session.scalars(
            db.select(KpiMedian).where(KpiMedian.kpi_id == values[A].id, KpiMedian.year == 2022)
        )
    }
    county = organisation("15").id
    assert medians[("network", 0)] == (52.0, 4, True)  # 20, 44, 60, 70
    assert medians[("county", county)] == (60.0, 3, False)  # 44, 60, 70
    assert medians[("band", 20000)] == (52.0, 2, False)  # 44, 60
    value = db.session.scalars(db.select(KpiValue).where(KpiValue.value == 20)).one()
    db.session.delete(value)
    db.session.commit()
    network = db.session.get(KpiMedian, (values[A].id, 2022, "network", 0))
    assert (network.median, network.reporting, network.demo) == (60.0, 3, False)


def test_status_page_shows_points_trend_and_peers(values, client):
    html = client.get("/organisasjoner/molde/status/?kategori=alle", headers=EN).get_data(True)
    a = row(html, A)
    assert "44" in a and "2022" in a and "2 of 4" in a and "Needs acceleration" in a
    assert re.search(r'class="median-county">60 ', a)
    assert re.search(r'class="median-band">52 ', a)
    assert re.search(r'class="median-network">52 .*demo', a)
    b = row(html, B)
    assert "2 of 4" in b and "Not enough data" in b
    c = row(html, C)
    assert "On track" in c and 'class="points" data-points=""><span class="muted">–' in c
    assert "3 of 91" in html  # KPIs reported
    assert "4 of 8 (50 %)" in html  # points over all: 2 + 2 of 2 × 4
    assert "Not reported" in row(html, "EC: ICT: ICT: 2C")


def test_status_page_lists_linked_projects(values, client, db):
    project = make_project("1506", title="Fiber til alle")
    project.kpis = [values[A]]
    db.session.commit()
    html = client.get("/organisasjoner/molde/status/?kategori=alle", headers=EN).get_data(True)
    assert "Fiber til alle" in row(html, A)
    assert "Fiber til alle" not in row(html, B)


def test_status_page_summarises_categories_and_links_to_each_ones_kpis(values, client):
    html = client.get("/organisasjoner/molde/status/", headers=EN).get_data(as_text=True)
    assert "<tr data-kpi=" not in html  # the summary: no KPI rows
    assert "3 of 91" in html and "4 of 8 (50 %)" in html
    link = re.search(r'href="(\?kategori=ec-ict-ict)#cat-ec-ict-ict">ICT Infrastructure<', html)
    one = client.get("/organisasjoner/molde/status/" + link.group(1), headers=EN).get_data(True)
    assert "44" in row(one, A)  # the category's rows, and only those
    assert f'data-kpi="{B}"' not in one and "<tr data-kpi=" in one
    every = client.get("/organisasjoner/molde/status/?kategori=alle", headers=EN).get_data(True)
    assert every.count("<tr data-kpi=") == 91
    unknown = client.get("/organisasjoner/molde/status/?kategori=<b>x", headers=EN)
    assert unknown.status_code == 200 and "There is no such category" in unknown.get_data(True)
    assert "<b>x" not in unknown.get_data(True)


def test_status_of_a_partner_is_not_found(client, db):
    assert client.get("/organisasjoner/ks/status/").status_code == 404
    assert client.get("/organisasjoner/nowhere/status/").status_code == 404


def test_status_exports_are_excel_friendly_csv_and_json(values, client):
    response = client.get("/organisasjoner/molde/status/status.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="status-molde.csv"'
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = {r["kpi"]: r for r in csv.DictReader(io.StringIO(text[1:]), delimiter=";")}
    assert rows[A]["value"] == "44" and rows[A]["points"] == "2"
    assert rows[A]["county_median"] == "60" and rows[A]["trend"] == "needs_acceleration"
    data = json.loads(client.get("/organisasjoner/molde/status/status.json").data)
    assert (data["points_earned"], data["points_possible"], data["reported"]) == (4, 8, 3)
    assert {k["kpi"]: k["network_median"] for k in data["kpis"]}[A] == 52.0


def test_kpi_page_ranks_and_compares_chosen_municipalities(values, client):
    path = f"/indikatorer/{kpi_slug(A)}/"
    html = client.get(path + "?kommune=molde&kommune=bergen", headers=EN).get_data(True)
    ranking = html[html.index('class="ds-table ranking-table"') :]
    names = re.findall(r'<th scope="row"><a class="ds-link" href="[^"]+">([^<]+)</a>', ranking)
    assert names == ["Volda", "Kristiansund", "Molde", "Bergen"]  # higher is better
    assert "32 816" in ranking or "32,816" in ranking
    assert "4 municipalities reported for 2022" in html
    assert html.count('class="chart-line') == 3  # Molde, Bergen, the network's median
    assert "demo" in html


def test_kpi_page_year_choice_and_unknown_kpi(values, client):
    path = f"/indikatorer/{kpi_slug(A)}/"
    html = client.get(path + "?ar=2020", headers=EN).get_data(as_text=True)
    assert "1 municipality reported for 2020" in html
    assert client.get(path + "?ar=1999").status_code == 200  # falls back to the latest year
    assert client.get("/indikatorer/no-such-kpi/").status_code == 404


def test_ranking_exports(values, client):
    text = client.get(f"/indikatorer/{kpi_slug(A)}/rangering.csv?ar=2022").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    last = rows[-1]
    assert (last["municipality"], last["value"], last["demo"]) == ("Bergen", "20", "demo")
    data = json.loads(client.get(f"/indikatorer/{kpi_slug(A)}/rangering.json").data)
    assert data["year"] == 2022 and len(data["municipalities"]) == 4


def test_index_and_goal_page_show_reporting(values, client):
    html = client.get("/indikatorer/", headers=EN).get_data(as_text=True)
    assert "4 municipalities reported for 2022" in html
    goal = values[A].sdg_goals.split(";")[0].strip()
    html = client.get(f"/barekraftsmal/{goal}/", headers=EN).get_data(as_text=True)
    assert "Network median" in html and ">52 " in html


def test_the_imports_bulk_writes_keep_the_medians_in_step(runner, kpis, tmp_path, db):
    from tests.kpis.conftest import PERCENT_KPI, write

    def network(year: int) -> tuple[float, int]:
        kpi_id = kpis[0].id
        m = db.session.get(KpiMedian, (kpi_id, year, "network", 0))
        db.session.expire_all()
        return (m.median, m.reporting) if m else None

    header = "organisation;kpi;year;value\n"
    rows = "".join(f"{n};{PERCENT_KPI};2023;{v}\n" for n, v in (("1506", 10), ("1505", 30)))
    result = runner.invoke(args=["kpis", "import", str(write(tmp_path, header + rows))])
    assert result.exit_code == 0, result.output
    assert network(2023) == (20.0, 2)  # bulk INSERT
    changed = header + f"1506;{PERCENT_KPI};2023;50\n"
    result = runner.invoke(args=["kpis", "import", str(write(tmp_path, changed, "b.csv"))])
    assert result.exit_code == 0, result.output
    assert network(2023) == (40.0, 2)  # bulk UPDATE by id: 30 and 50


def test_a_county_is_compared_with_the_network_only(values, client):
    html = client.get(
        "/organisasjoner/more-og-romsdal-fylke/status/?kategori=alle", headers=EN
    ).get_data(True)
    assert "County median" not in html and "Median, similar size" not in html
    assert "Network median" in html and "0 of 91" in html


def test_group_names_come_from_the_structure_in_the_readers_language(app, db):
    from baerekraft_hub.kpis.definitions import all_kpis, grouped, structure_of
    from baerekraft_hub.sdg.models import KpiGroup

    db.session.execute(db.delete(KpiGroup))  # reference data: loaded again at the end
    db.session.add_all(
        [
            KpiGroup(code="EC", level="dimension", name_en="Economy", name_nb="Økonomi"),
            KpiGroup(code="ICT", level="category", name_en="ICT Infrastructure", name_nn="IKT"),
        ]
    )
    db.session.commit()  # the kept definitions are read again after a commit
    with app.test_request_context("/"):
        kpis = all_kpis()
        economy = grouped({k.id: k for k in kpis})[0]
        assert str(economy.name) == "Økonomi"
        assert str(economy.children[0].name) == "IKT"  # only in nynorsk: bokmål falls back to it
        assert str(grouped({k.id: k for k in kpis}, structure_of(kpis, {}))[0].name) == "Economy"
    db.session.execute(db.delete(KpiGroup))
    db.session.commit()
    app.test_cli_runner().invoke(args=["seed", "reference"])  # the real structure back


def test_the_worker_recomputes_medians_after_writes_the_session_did_not_see(app, db, targets):
    from baerekraft_hub.core.worker import registered_tasks, run_task

    molde, kpi = organisation("1506"), targets[A]
    with db.engine.begin() as connection:  # raw SQL: no session, no hook
        connection.execute(
            KpiValue.__table__.insert().values(
                organisation_id=molde.id,
                kpi_id=kpi.id,
                year=2021,
                value=33.0,
                quality="medium",
                verified=False,
                demo=False,
                entered_at=datetime.now(UTC),
            )
        )
    assert db.session.get(KpiMedian, (kpi.id, 2021, "network", 0)) is None
    task = next(t for t in registered_tasks() if t.name == "kpi-medians")
    assert "KPI medians" in run_task(app, task)
    median = db.session.get(KpiMedian, (kpi.id, 2021, "network", 0))
    assert (median.median, median.reporting) == (33.0, 1)
    assert run_task(app, task) == ""  # nothing changed since: nothing done


def test_kpi_page_shows_the_ends_of_a_long_ranking_and_links_to_all_of_it(targets, client, db):
    """50 municipalities: the page lists the top and bottom 20 and the chosen one (rank 25),
    says what it left out and links to the whole ranking (and the CSV)."""
    from baerekraft_hub.organisations.models import Organisation, OrgKind

    kpi = targets[A]
    places = db.session.scalars(
        db.select(Organisation)
        .where(Organisation.kind == OrgKind.MUNICIPALITY)
        .order_by(Organisation.id)
    ).all()[:50]
    for position, place in enumerate(places):
        db.session.add(KpiValue(organisation=place, kpi=kpi, year=2022, value=100 - position))
    db.session.commit()
    chosen = places[24]

    def ranks(html):
        ranking = html[html.index('class="ds-table ranking-table"') :]
        return [int(r) for r in re.findall(r"<tr><td>(\d+)</td>", ranking)]

    path = f"/indikatorer/{kpi_slug(A)}/"
    html = client.get(f"{path}?kommune={chosen.slug}", headers=EN).get_data(as_text=True)
    assert ranks(html) == [*range(1, 21), 25, *range(31, 51)]
    assert html.count('class="ranking-gap"') == 2
    assert "Showing the top and bottom 20 of 50 municipalities" in html
    everything = re.search(r'href="([^"]*alle=1[^"]*)"', html).group(1).replace("&amp;", "&")
    assert ranks(client.get(everything, headers=EN).get_data(as_text=True)) == list(range(1, 51))
