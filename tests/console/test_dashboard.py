"""The dashboard: grouped counts of published projects, drawn as SVG with a table of numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from baerekraft_hub.console.dashboard import figures
from baerekraft_hub.memberships.services import request_membership
from tests.factories import make_practice, make_project, make_user, organisation


def _world():
    make_project("1506", target_ids=["13.1"], goal_numbers=[13], status="ongoing")
    make_project("1506", target_ids=["11.5"], status="planned")
    make_project("4601", target_ids=["11.5"], status="planned")
    make_project("46", target_ids=["6.1"], status="completed")  # Vestland itself
    make_project("1506", target_ids=["1.1"], published=False)  # a draft: never counted
    make_practice("1506")
    request_membership(make_user(), organisation("1506"))


def _bars(chart) -> dict[str, int]:
    return {bar.label: bar.value for bar in chart.bars}


def test_figures_count_published_projects_once_each(app, db):
    _world()
    with app.test_request_context():  # labels in the default language, bokmål
        found = figures()
    assert found.municipalities[0] == 2 and found.municipalities[1] >= 357
    assert found.counties[0] == 1 and found.counties[1] == 15
    status = _bars(found.by_status)
    assert (status["Pågår"], status["Planlagt"], status["Fullført"], status["Idé"]) == (1, 2, 1, 0)
    goals = {bar.css: bar.value for bar in found.by_goal.bars}
    assert len(goals) == 17
    # Goal 13 chosen directly and through target 13.1: one project, counted once.
    assert (goals["sdg-13"], goals["sdg-11"], goals["sdg-6"], goals["sdg-1"]) == (1, 2, 1, 0)
    counties = _bars(found.by_county)
    assert counties["Møre og Romsdal"] == 2 and counties["Vestland"] == 2
    assert (found.new_this_month, found.new_this_year) == (5, 5)
    assert found.pending_requests == 1


def test_older_projects_are_not_new_this_month(app, db):
    make_project("1506", published_at=datetime.now(UTC) - timedelta(days=400))
    with app.test_request_context():
        found = figures()
    assert (found.new_this_month, found.new_this_year) == (0, 0)


def test_the_page_draws_each_chart_and_tables_its_numbers(client, db, login_as):
    _world()
    login_as(make_user(coordinator=True))
    response = client.get("/koordinator/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<svg") == 3 and html.count("<table") == 3
    assert len(re.findall(r'class="chart__bar sdg-\d+"', html)) == 17
    assert re.search(r"<th scope=\"row\">Vestland</th><td class=\"number\">2</td>", html)
    activity = html.split('id="activity-title"')[1].split("</section>")[0]
    assert "Overvannshåndtering i Molde sentrum</a> (Molde): Publisert" in activity


def test_the_dashboard_runs_at_most_ten_queries_however_much_content(
    app, client, db, login_as, count_queries
):
    login_as(make_user(coordinator=True))

    def measure():
        with count_queries() as statements:
            assert client.get("/koordinator/").status_code == 200
        return len(statements)

    few = measure()
    _world()
    for n in range(20):
        make_project(["1506", "4601", "3301"][n % 3], title=f"P{n}", target_ids=["7.1"])
    db.session.commit()
    many = measure()
    assert many == few
    with app.test_request_context(), count_queries() as statements:
        figures()
    assert len(statements) <= 10


def test_every_console_page_is_in_the_console_menu(client, db, login_as):
    login_as(make_user(coordinator=True))
    html = client.get("/koordinator/").get_data(as_text=True)
    menu = html.split('class="console-nav"')[1].split("</nav>")[0]
    for path in ("personer", "innhold", "nettverk", "eksport", "sperrede-adresser", "logg"):
        assert f'href="/koordinator/{path}/"' in menu
