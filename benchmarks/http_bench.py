"""Issue 12 over HTTP: the app under gunicorn (2 workers, production settings) at a chosen scale,
each page measured with wrk right after the bare hello app (the floor), without and with the
page cache, then again on the pathological set; SQL statements per page; worker memory; import
and reindex times; a 60 s soak. `benchmarks.report` prints the table.

BENCH_SCALE (default 1.0: 10,000 projects), BENCH_SECONDS (per wrk run, default 3),
BENCH_SOAK_SECONDS (default 60), DATABASE_URL (PostgreSQL; default a SQLite file).
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from benchmarks import dataset, pages, report, soak
from benchmarks.dataset import PASSWORD, Dataset
from benchmarks.load import lua_script, run_wrk, wrk_available
from benchmarks.queries import count_queries
from benchmarks.web import Client, Server


def settings() -> tuple[float, float, float]:
    return (
        float(os.environ.get("BENCH_SCALE", "1.0")),
        float(os.environ.get("BENCH_SECONDS", "3")),
        float(os.environ.get("BENCH_SOAK_SECONDS", "60")),
    )


def _flush_rate_limits(env: dict[str, str]) -> None:
    """The bench's own Redis database starts empty (sign-in limits from an earlier run)."""
    try:
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    except Exception as error:  # noqa: BLE001 - Redis is optional; the limits may then bite
        print(f"   Redis not flushed ({error})")


def measure(
    data: Dataset, page_list: list[dict], hello: Server, cache: str, script: str, seconds: float
) -> dict:
    """Every page after the hello floor, alternating; the workers' peak memory after."""
    results = {}
    with Server("wsgi:app", data.env(PAGE_CACHE=cache), ready_path="/robots.txt") as app:
        member = Client(app.port)
        member.sign_in(pages.bench_user(), PASSWORD)
        cookie = member.cookie_header()
        for page in page_list:
            client = member if page["signed_in"] else Client(app.port)
            status = client.get(page["path"], timeout=120).status
            if status != 200:
                results[page["name"]] = {"status": status}
                print(f"   {page['name']}: HTTP {status}, not measured")
                continue
            floor = run_wrk(f"{hello.base}/", seconds, script=script)
            load = run_wrk(
                app.base + page["path"],
                seconds,
                cookie=cookie if page["signed_in"] else None,
                script=script,
            )
            app.drain()
            share = load.rps / floor.rps if floor.rps else 0.0
            results[page["name"]] = vars(load) | {
                "hello_rps": floor.rps,
                "share": round(share, 4),
                "path": page["path"],
            }
            print(
                f"   [{cache:>5}] {page['name']:<28} {load.rps:>8.1f} req/s "
                f"({share:.3f} of hello {floor.rps:.0f})  "
                f"p50 {load.p50:.1f} ms  p99 {load.p99:.1f} ms",
                flush=True,
            )
        rss = app.peak_rss_mb()
    return {"pages": results, "worker_peak_rss_mb": rss}


def run() -> dict:
    scale, seconds, soak_seconds = settings()
    if not wrk_available():
        print("wrk is missing (Debian's wrk package): the HTTP bench is skipped")
        return {"skipped": "wrk missing"}
    normal = dataset.prepare(scale)
    patho = dataset.prepare(scale, pathological=True)
    _flush_rate_limits(normal.env())
    page_list = pages.pages(normal, scale)
    print("   counting SQL statements per page…", flush=True)
    # Without the page cache: a kept page runs none, which says nothing about the page.
    uncached = normal.env() | {"PAGE_CACHE": "false"}
    statements = count_queries(uncached, page_list, pages.bench_user(), PASSWORD)
    hello_env = {k: v for k, v in normal.env().items() if k not in ("FLASK_APP",)}
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        script = lua_script(Path(tmp))
        with Server("benchmarks.hello:app", hello_env) as hello:
            for cache in ("false", "true"):
                runs[f"cache_{cache}"] = measure(normal, page_list, hello, cache, script, seconds)
            patho_pages = pages.pages(patho, scale)
            runs["pathological"] = measure(patho, patho_pages, hello, "false", script, seconds)
    soaked = soak.run(normal, soak_seconds, scale)
    floors = [
        p["hello_rps"] for r in runs.values() for p in r["pages"].values() if "hello_rps" in p
    ]
    figures = {
        "scale": scale,
        "database": normal.url.split(":", 1)[0],
        "items": normal.items,
        "users": normal.users,
        "wrk_seconds": seconds,
        "hello_rps_median": round(statistics.median(floors), 1) if floors else None,
        "statements": statements,
        "runs": runs,
        "import_seconds": normal.import_seconds,
        "import_seconds_pathological": patho.import_seconds,
        "reindex_seconds": normal.reindex_seconds,
        "reindex_seconds_pathological": patho.reindex_seconds,
        "kpi_values": normal.kpi_values,
        "kpi_import_seconds": normal.kpi_import_seconds,
        "dataset_built": normal.built,
        "soak": soaked,
    }
    report.print_http(figures)
    return figures


if __name__ == "__main__":
    run()
