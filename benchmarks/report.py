"""The one table of `make bench`: each figure beside its goal (issue 12), misses marked ✗, and
everything written as JSON to instance/bench/results.json (not committed)."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "instance" / "bench" / "results.json"
MAX_STATEMENTS = 10
MIN_SHARE, MIN_SHARE_CACHED = 0.05, 0.40
MAX_P99_MS = 250
MAX_SLOWDOWN = 3.0
MAX_RSS_MB = 200
MAX_SECONDS = 60  # import and reindex of 12,000 items
MAX_KPI_IMPORT_SECONDS = 60  # flask kpis import of 357 municipalities × 91 KPIs × 8 years
MAX_SEARCHABLE_SECONDS = 2


def _mark(value, ok: bool | None, fmt: str = "{}") -> str:
    if value is None:
        return "–"
    text = fmt.format(value)
    return text if ok is None or ok else f"{text} ✗"


def _slowdown(plain: dict, patho: dict) -> float | str | None:
    """Normal req/s over pathological req/s; "∞" when no pathological request finished."""
    if not plain.get("rps") or "rps" not in patho:
        return None
    return round(plain["rps"] / patho["rps"], 2) if patho["rps"] else "∞"


def _ms(load: dict, key: str, figures: dict, goal: float | None = None) -> str:
    """A latency in ms; "> the run's length" when no request finished within it."""
    if "requests" not in load:
        return "–"
    if not load["requests"]:
        return f"> {figures['wrk_seconds'] * 1000:.0f}" + (" ✗" if goal else "")
    value = load.get(key)
    if value is None:
        return "–"
    return _mark(value, value <= goal if goal else None, "{:.0f}")


def page_rows(figures: dict) -> list[list[str]]:
    """One row per page: SQL, no cache (req/s, share, p50/p95/p99), cache, pathological."""
    runs = figures["runs"]
    rows = []
    for name, plain in runs["cache_false"]["pages"].items():
        cached = runs["cache_true"]["pages"].get(name, {})
        patho = runs["pathological"]["pages"].get(name, {})
        anonymous = not name.startswith("signed in")
        sql = figures["statements"].get(name)
        slowdown = _slowdown(plain, patho)
        if "rps" not in plain:
            rows.append([name, _mark(sql, sql is not None and sql <= MAX_STATEMENTS)]
                        + [f"HTTP {plain.get('status')} ✗"] + ["–"] * 8)  # fmt: skip
            continue
        rows.append(
            [
                name,
                _mark(sql, sql is not None and sql <= MAX_STATEMENTS),
                f"{plain['rps']:.1f}"
                + (f" ({plain['errors']} errors) ✗" if plain["errors"] else ""),
                _mark(plain["share"], plain["share"] >= MIN_SHARE, "{:.3f}"),
                _ms(plain, "p50", figures),
                _ms(plain, "p95", figures),
                _ms(plain, "p99", figures, MAX_P99_MS if anonymous else None),
                f"{cached['rps']:.1f}" if cached.get("rps") else "–",
                _mark(
                    cached.get("share"),
                    cached.get("share", 0) >= MIN_SHARE_CACHED if anonymous else None,
                    "{:.3f}",
                ),
                _ms(cached, "p99", figures),
                # The probes run without the cache and the pathological set: no slowdown.
                _mark(
                    slowdown, slowdown is not None and slowdown != "∞" and slowdown <= MAX_SLOWDOWN
                ),
            ]
        )
    return rows


PAGE_HEADER = [
    "page",
    f"SQL (≤{MAX_STATEMENTS})",
    "req/s",
    f"× hello (≥{MIN_SHARE})",
    "p50 ms",
    "p95 ms",
    f"p99 ms (≤{MAX_P99_MS})",
    "cached req/s",
    f"cached × hello (≥{MIN_SHARE_CACHED})",
    "cached p99 ms",
    f"pathological slowdown (≤{MAX_SLOWDOWN:g}×)",
]


def _row(name: str, value, goal: str, ok: bool | None) -> list[str]:
    return [name, _mark(value, ok), goal]


def _http_rows(http: dict) -> list[list[str]]:
    full = http["items"] >= 12_000  # the time goals are for the default scale
    goal = f"≤ {MAX_SECONDS} at 12,000 items"
    rows = [["hello floor, median (req/s)", f"{http['hello_rps_median']}", ""]]
    for key, name in (
        ("import_seconds", "flask projects import (s)"),
        ("import_seconds_pathological", "import, pathological set (s)"),
        ("reindex_seconds", "flask search reindex (s)"),
        ("reindex_seconds_pathological", "reindex, pathological set (s)"),
    ):
        rows.append(_row(name, http[key], goal, http[key] <= MAX_SECONDS if full else None))
    if "kpi_import_seconds" in http:
        values = http["kpi_values"]
        rows.append(
            _row(
                f"flask kpis import, {values:,} values (s)",
                http["kpi_import_seconds"],
                f"≤ {MAX_KPI_IMPORT_SECONDS} at 260,000 values",
                http["kpi_import_seconds"] <= MAX_KPI_IMPORT_SECONDS if values >= 250_000 else None,
            )
        )
    rss_goal = f"≤ {MAX_RSS_MB} each"
    for run, label in (("cache_false", "no cache"), ("cache_true", "cache")):
        rss = http["runs"][run]["worker_peak_rss_mb"]
        name = f"gunicorn workers' peak RSS after the run, {label} (MB)"
        rows.append(_row(name, rss, rss_goal, all(r <= MAX_RSS_MB for r in rss)))
    soak = http["soak"]
    searchable = soak["published_to_searchable_max"]
    clean = soak["search_check_clean"]
    rows += [
        [f"soak {soak['seconds']:.0f} s: requests", str(soak["requests"]), ""],
        _row("soak: errors", soak["errors"], "0", soak["errors"] == 0),
        _row("soak: 5xx responses", soak["status_5xx"], "0", soak["status_5xx"] == 0),
        _row("soak: flask search check clean", clean, "True", clean),
        _row(
            "soak: published → searchable on another worker, max (s)",
            searchable,
            f"≤ {MAX_SEARCHABLE_SECONDS}",
            searchable is not None and searchable <= MAX_SEARCHABLE_SECONDS,
        ),
        _row(
            "soak: gunicorn workers' peak RSS (MB)",
            soak["worker_peak_rss_mb"],
            rss_goal,
            all(r <= MAX_RSS_MB for r in soak["worker_peak_rss_mb"]),
        ),
        _row(
            "soak: flask worker peak RSS (MB)",
            soak["flask_worker_peak_rss_mb"],
            f"≤ {MAX_RSS_MB}",
            soak["flask_worker_peak_rss_mb"] <= MAX_RSS_MB,
        ),
    ]
    return rows


def other_rows(http: dict, benches: dict) -> list[list[str]]:
    """Figures that are not per page: [name, value (✗ when missed), goal]."""
    rows = _http_rows(http) if http.get("runs") else []
    search = benches.get("search_bench")
    if search:
        reindex, p95 = search["reindex_seconds"], search["search_ms_p95"]
        rows += [
            _row("search bench: reindex 10,000 documents (s)", reindex, "≤ 60", reindex <= 60),
            _row("search bench: search p95 (ms)", p95, "≤ 50", p95 <= 50),
        ]
        postgresql = search.get("postgresql") or {}
        if "search_ms_p95" in postgresql:
            reindex, p95 = postgresql["reindex_seconds"], postgresql["search_ms_p95"]
            name = f"search bench, PostgreSQL: reindex {postgresql['documents']:,} (s)"
            rows += [
                _row(name, reindex, "≤ 60", reindex <= 60),
                _row("search bench, PostgreSQL: search p95 (ms)", p95, "≤ 50", p95 <= 50),
            ]
        elif postgresql:
            rows.append(["search bench, PostgreSQL", postgresql["skipped"], ""])
    digest = benches.get("digest_bench")
    if digest:
        # The team's bar, raised from 2 once digests reached 1.7.
        ratio = digest["ratio"]
        rows.append(_row("digest bench: app / plain smtplib", ratio, "≤ 1.5", ratio <= 1.5))
        if "peak_rss_mb" in digest:
            rss = digest["peak_rss_mb"]
            name = f"digest bench: peak RSS, {digest['users']} digests (MB, bench process)"
            rows.append(_row(name, rss, f"≤ {MAX_RSS_MB}", rss <= MAX_RSS_MB))
    newsletter = benches.get("newsletter_bench")
    if newsletter:
        ratio = newsletter["ratio"]
        name = f"newsletter bench: {newsletter['recipients']} recipients, app / plain smtplib"
        rows.append(_row(name, ratio, "≤ 1.5", ratio <= 1.5))
    concurrency = benches.get("concurrency_bench")
    if concurrency:
        drift = concurrency["missing"] + concurrency["stale"] + concurrency["extra"]
        errors = concurrency["errors"]
        errors = len(errors) if isinstance(errors, list) else errors
        rows += [
            _row("concurrency bench: errors", errors, "0", errors == 0),
            _row("concurrency bench: index drift", drift, "0", drift == 0),
        ]
    return rows


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def print_http(figures: dict) -> None:
    print(f"\n== HTTP, {figures['database']}, {figures['items']} items, {figures['users']} users")
    print(markdown(PAGE_HEADER, page_rows(figures)))


def write(benches: dict, only: list[str] | None = None) -> None:
    """The one table of every bench that ran, printed and saved as JSON (results.json for a
    full run, results-<names>.json for the benches named on the command line)."""
    http = benches.get("http_bench") or {}
    print("\n== make bench: every figure beside its goal (✗: missed)")
    if http.get("runs"):
        print(markdown(PAGE_HEADER, page_rows(http)))
        print()
    print(markdown(["figure", "measured", "goal"], other_rows(http, benches)))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    machine = (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average at the end {load}"
    )
    print(f"\n{stamp}; {machine}")
    path = RESULTS.with_name(f"results-{'-'.join(only)}.json") if only else RESULTS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"date": stamp, "machine": machine, **benches}, ensure_ascii=False, indent=2),
        "utf-8",
    )
    print(f"written to {path}")
