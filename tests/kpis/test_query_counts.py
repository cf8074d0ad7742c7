"""The KPI value pages and the API load what they show in a fixed number of queries: the
same with a few values as with thousands, at most ten."""

from __future__ import annotations

import pytest

from baerekraft_hub.extensions import db as _db
from baerekraft_hub.kpis.models import KpiValue
from baerekraft_hub.memberships.models import Role
from baerekraft_hub.sdg.models import Kpi
from tests.factories import make_member, organisation
from tests.pages.test_query_counts import LIMIT, queries_per_page

MUNICIPALITIES = ["1506", "4601", "3301", "5001", "1505", "1108"]


def add_values(municipalities: list[str], kpi_count: int, years: range) -> None:
    kpis = list(_db.session.scalars(_db.select(Kpi).order_by(Kpi.code).limit(kpi_count)))
    _db.session.add_all(
        KpiValue(organisation=organisation(m), kpi=kpi, year=year, value=float(year % 7))
        for m in municipalities
        for kpi in kpis
        for year in years
    )
    _db.session.commit()


PATHS = [
    "/organisasjoner/molde/indikatorverdier/",
    "/api/v1/kpis",
    "/api/v1/kpi-values",
    "/api/v1/kpi-values?municipality=1506&year=2023",
    "/api/v1/kpi-values?county=15&kpi=EC:%20ICT:%20ICT:%201C",
]


@pytest.mark.parametrize("signed_in", [False, True])
def test_kpi_pages_run_the_same_few_queries_at_any_size(
    client, db, count_queries, login_as, signed_in
):
    paths = PATHS + (["/organisasjoner/molde/indikatorverdier/ny/"] if signed_in else [])
    if signed_in:
        login_as(make_member("1506", Role.EDITOR))
    add_values(["1506"], 2, range(2022, 2024))
    small = queries_per_page(client, count_queries, paths)
    add_values(MUNICIPALITIES[1:], 91, range(2019, 2025))
    add_values(["1506"], 91, range(2015, 2022))
    large = queries_per_page(client, count_queries, paths)
    assert small == large
    assert max(large.values()) <= LIMIT, large


def test_the_kpi_definitions_are_read_once_until_the_next_commit(client, db, count_queries):
    """The 91 KPIs and their structure are reference data: kept per process, read again only
    after a commit (tests/kpis/test_pages.py: a changed name shows on the next request)."""
    add_values(["1506"], 2, range(2022, 2024))
    paths = [
        "/indikatorer/",
        "/indikatorer/ec-ict-ict-1c/",
        "/organisasjoner/molde/status/",
        "/organisasjoner/molde/status/?kategori=alle",
        "/api/v1/kpi-values",
    ]
    for path in paths:
        client.get(path)
    with count_queries() as statements:
        for path in paths:
            assert client.get(path).status_code == 200, path
    definitions = [s for s in statements if "u4ssc_kpi_group" in s or "FROM u4ssc_kpi " in s]
    assert definitions == []
