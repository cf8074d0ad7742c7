"""Every page loads what it shows in a fixed number of queries, however much there is: the
same count with 2 and with 200 projects (and a practice for every project), at most ten."""

from __future__ import annotations

import pytest

from baerekraft_hub.core.worker import registered_tasks, run_task
from baerekraft_hub.follows.services import find_followable, follow
from baerekraft_hub.kpis.models import KpiValue
from baerekraft_hub.sdg.models import Kpi
from tests.factories import make_member, make_practice, make_project, organisation
from tests.search.engine.conftest import on_postgresql

LIMIT = 10
OWNERS = ["1506", "4601", "3301", "5001"]


def add_content(db, count: int) -> None:
    kpis = list(db.session.scalars(db.select(Kpi).order_by(Kpi.id)))
    start = db.session.scalar(db.select(db.func.count()).select_from(KpiValue))
    for i in range(start, start + count):
        # KPI values and project links grow with the content: one value a project
        owner = organisation(OWNERS[i % 4])
        db.session.add(KpiValue(organisation=owner, kpi=kpis[i % 91], year=2020 + i % 3, value=i))
        project = make_project(
            OWNERS[i % 4],
            title=f"Prosjekt {i}",
            target_ids=["11.5", "13.1"],
            participants=[organisation("1505")],
            tags=[f"tag{i % 7}"],
        )
        project.kpis = [kpis[i % 91], kpis[(i + 1) % 91]]
        make_practice(OWNERS[i % 4], title=f"Praksis {i}", target_ids=["11.5"])
    db.session.commit()


def pages(first_project: int, first_practice: int, signed_in: bool) -> list[str]:
    paths = [
        "/",
        "/prosjekter/",
        "/prosjekter/?county=15&goal=11",
        "/praksis/",
        "/praksis/?goal=11&county=15",
        f"/prosjekter/{first_project}/",
        f"/praksis/{first_practice}/",
        "/barekraftsmal/",
        "/barekraftsmal/11/",
        "/barekraftsmal/delmal/11.5/",
        "/organisasjoner/molde/",
        "/kommuner/",
        "/organisasjoner/molde/status/",
        "/indikatorer/",
        "/indikatorer/ec-ict-ict-1c/?kommune=molde&kommune=bergen",
        "/sok?q=prosjekt",
        "/api/v1/search?q=prosjekt",
    ]
    return paths + ["/nytt-for-deg/", "/profil/folger/"] if signed_in else paths


def queries_per_page(client, count_queries, paths: list[str]) -> dict[str, int]:
    counts = {}
    for path in paths:
        client.get(path)  # once before counting: what a first request caches is not counted
        with count_queries() as statements:
            assert client.get(path).status_code == 200, path
        counts[path] = len(statements)
    return counts


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_runs_the_same_few_queries_at_2_and_200_projects(
    app, client, db, count_queries, login_as, signed_in
):
    add_content(db, 2)
    first_project = make_project("1506", title="Først")
    first_practice = make_practice("1506", title="Først")
    if signed_in:
        user = make_member("1506", "editor")
        for kind, key in [
            ("organisation", str(organisation("4601").id)),
            ("goal", "11"),
            ("target", "13.1"),
            ("project", str(first_project.id)),
        ]:
            follow(user, find_followable(user, kind, key))
        login_as(user)
    db.session.commit()
    for task in registered_tasks():  # similar projects, peers and suggestions, from the worker
        if task.name in ("similar-projects", "organisation-peers", "organisation-suggestions"):
            run_task(app, task)
    paths = pages(first_project.id, first_practice.id, signed_in)
    small = queries_per_page(client, count_queries, paths)
    add_content(db, 198)
    large = queries_per_page(client, count_queries, paths)
    assert large == small
    assert {path: n for path, n in large.items() if n > LIMIT} == {}


@pytest.mark.skipif(not on_postgresql(), reason="the PostgreSQL search backend")
def test_search_on_postgresql_runs_the_same_few_queries_at_2_and_200_projects(
    app, client, db, count_queries
):
    """The search backend's statements are counted with the page's: they go to the same
    database (a misspelling adds the near-spelling look-ups)."""
    from baerekraft_hub.search.changes import rebuild_index
    from tests.search.conftest import using_backend

    paths = ["/sok?q=prosjekt", "/api/v1/search?q=prosjekt&goal=11", "/sok?q=prosjkt&sort=newest"]
    with using_backend(app, "postgresql"):
        rebuild_index()
        add_content(db, 2)
        small = queries_per_page(client, count_queries, paths)
        add_content(db, 198)
        large = queries_per_page(client, count_queries, paths)
    assert large == small
    assert {path: n for path, n in large.items() if n > LIMIT} == {}
