"""The pages the bench measures (issue 12's list), with their real URLs for a dataset."""

from __future__ import annotations

from math import ceil
from urllib.parse import quote

from sqlalchemy import create_engine, text

from benchmarks import data
from benchmarks.dataset import Dataset

GOAL, COUNTY, TARGET, MUNICIPALITY = 13, "15", "11.5", "molde"
KPI = "ec-ict-ict-1c"  # household Internet access (issue 15's pages)
KPI_CODE = "EC: ICT: ICT: 1C"  # the same KPI, as the API names it
PER_PAGE = 20


def _engine(url: str):
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return create_engine(url)


def pages(dataset: Dataset, scale: float, seed: int = data.SEED) -> list[dict]:
    """[{"name", "path", "signed_in", "anonymous"}] in the order of the table."""
    counts = data.Counts.at(scale)
    engine = _engine(dataset.url)
    with engine.connect() as connection:

        def id_of(table: str, external_id: str) -> int:
            query = text(f"SELECT id FROM {table} WHERE external_id = :e")  # noqa: S608
            return connection.execute(query, {"e": external_id}).scalar_one()

        project = id_of("project", f"bench-project-{counts.projects // 2}")
        practice = id_of("practice", f"bench-practice-{counts.projects + counts.practices // 2}")
    engine.dispose()
    project_page = min(50, ceil(counts.projects / PER_PAGE))
    practice_page = min(50, ceil(counts.practices / PER_PAGE))
    filtered = f"?goal={GOAL}&county={COUNTY}"
    anonymous = [
        ("home", "/"),
        ("projects", "/prosjekter/"),
        ("projects goal+county", f"/prosjekter/{filtered}"),
        (f"projects page {project_page}", f"/prosjekter/?page={project_page}"),
        ("practices", "/praksis/"),
        ("practices goal+county", f"/praksis/{filtered}"),
        (f"practices page {practice_page}", f"/praksis/?page={practice_page}"),
        ("project page", f"/prosjekter/{project}/"),
        ("practice page", f"/praksis/{practice}/"),
        ("goal page", f"/barekraftsmal/{GOAL}/"),
        ("target page", f"/barekraftsmal/delmal/{TARGET}/"),
        ("municipality profile", f"/organisasjoner/{MUNICIPALITY}/"),
        ("municipalities", "/kommuner/"),
        ("status page", f"/organisasjoner/{MUNICIPALITY}/status/"),
        ("KPI page", f"/indikatorer/{KPI}/?kommune={MUNICIPALITY}&kommune=bergen"),
        ("KPI index", "/indikatorer/"),
        ("api kpi-values kpi+year", f"/api/v1/kpi-values?kpi={quote(KPI_CODE)}&year=2024"),
        ("api kpi-values", "/api/v1/kpi-values"),
        ("search common word", f"/sok?q={quote(data.COMMON_WORD)}"),
        ("search rare word", f"/sok?q={quote(data.rare_word_for(seed))}"),
        ("search two words", f"/sok?q={quote(data.TWO_WORDS)}"),
        ("api search", f"/api/v1/search?q={quote(data.COMMON_WORD)}"),
    ]
    signed_in = [
        ("signed in: Nytt for deg", "/nytt-for-deg/"),
        ("signed in: Mine følger", "/profil/folger/"),
        ("signed in: project page", f"/prosjekter/{project}/"),
    ]
    return [{"name": n, "path": p, "signed_in": False} for n, p in anonymous] + [
        {"name": n, "path": p, "signed_in": True} for n, p in signed_in
    ]


def probes() -> list[dict]:
    """The load balancer's checks (issue 16): measured without the page cache only, as they
    are never cached; they must cost next to nothing."""
    return [
        {"name": f"probe: {name}", "path": f"/{name}", "signed_in": False}
        for name in ("healthz", "readyz")
    ]


def bench_user(n: int = 0) -> str:
    return f"bruker{n}@bench.example.no"
