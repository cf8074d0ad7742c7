"""Search at scale: reindex 10,000 generated projects, time searches, measure the index.

Goals from issue 5: full reindex <= 60 s, p95 <= 50 ms in the search function (this 2-core
machine). Documents are generated from the vocabulary of the relevance corpus with a fixed
seed, so runs are comparable.

The PostgreSQL backend is measured beside Whoosh (issue 14: 10,000 projects + 2,000
practices, so 12,000 documents) when DATABASE_URL is PostgreSQL; see search_postgresql.py.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from baerekraft_hub.search.engine import SearchDocument
from baerekraft_hub.search.engine.whoosh import WhooshEngine
from benchmarks import search_postgresql

DOCUMENTS = 10_000
POSTGRESQL_DOCUMENTS = 12_000
SEED = 5
RESULTS = Path("bench-results/search.json")

PLACES = [
    ("Molde", "Møre og Romsdal"), ("Ålesund", "Møre og Romsdal"), ("Volda", "Møre og Romsdal"),
    ("Bodø", "Nordland"), ("Rana", "Nordland"), ("Kristiansand", "Agder"), ("Arendal", "Agder"),
    ("Stavanger", "Rogaland"), ("Sandnes", "Rogaland"), ("Bergen", "Vestland"),
    ("Voss", "Vestland"), ("Sogndal", "Vestland"), ("Trondheim", "Trøndelag"),
    ("Oslo", "Oslo"), ("Bærum", "Akershus"), ("Hamar", "Innlandet"), ("Drammen", "Buskerud"),
    ("Tønsberg", "Vestfold"), ("Skien", "Telemark"), ("Fredrikstad", "Østfold"),
    ("Tromsø", "Troms"), ("Alta", "Finnmark"),
]  # fmt: skip
THEMES = [
    ("overvannshåndtering", "regnbed", "flom", "klimatilpasning", ["11.5", "13.1", "6.3"]),
    ("solcelleanlegg", "solceller", "energi", "skolebygg", ["7.2", "13.2"]),
    ("innbyggerinvolvering", "medvirkning", "folkemøte", "samfunnsdel", ["11.3", "16.7"]),
    ("matsvinn", "kantine", "matavfall", "sykehjem", ["12.3", "12.5"]),
    ("sykkelvei", "sykkelparkering", "trafikksikkerhet", "skolevei", ["11.2", "3.6"]),
    ("kildesortering", "gjenvinning", "plast", "restavfall", ["12.5", "11.6"]),
    ("energieffektivisering", "varmepumpe", "fjernvarme", "formålsbygg", ["7.3", "13.2"]),
    ("naturmangfold", "myr", "restaurering", "pollinatorer", ["15.1", "15.5"]),
    ("folkehelse", "friluftsliv", "eldre", "frivillighet", ["3.4", "11.7"]),
    ("kollektivtransport", "bestillingstransport", "buss", "pendling", ["11.2", "10.2"]),
]
FILLER = [
    "Kommunen samarbeider med næringslivet og frivillige lag om tiltaket.",
    "Prosjektet følges opp med indikatorer og rapporteres årlig til kommunestyret.",
    "Erfaringene deles i nettverket slik at andre kommuner kan ta dem i bruk.",
    "Innbyggerne er invitert til å komme med innspill underveis.",
    "Resultatene brukes i kommuneplanen.",
]
STATUSES = ["idea", "planned", "ongoing", "completed", "stopped"]
QUERIES = [
    "kommune",
    "kommunen",
    "prosjekt",
    "overvann",
    "overvatn",
    "solceller",
    "matsvinn skule",
    "innbyggerinvolvering",
    "klimatilpassing Vestland",
    "11.5",
    "mål 13",
    "sykkel Bodø",
    "kolektivtransport",
    "pollinatorer",
    "restaurering av myr",
    "Trondheim",
]


def generate(count: int = DOCUMENTS, seed: int = SEED) -> list[SearchDocument]:
    """`count` realistic projects in bokmål, a deterministic function of `seed`."""
    rng = random.Random(seed)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    docs = []
    for n in range(count):
        main, second, third, fourth, targets = rng.choice(THEMES)
        place, county = rng.choice(PLACES)
        sentences = [
            f"{place} kommune arbeider med {main} og {second}.",
            f"Tiltaket handler om {third} og {fourth} i {place}.",
            *rng.sample(FILLER, 3),
            f"Målet er mer {third} og bedre {second} innen {rng.randint(2025, 2030)}.",
        ]
        body = " ".join(rng.sample(sentences, len(sentences)) * rng.randint(1, 3))
        docs.append(
            SearchDocument(
                kind=rng.choice(["project", "project", "practice"]),
                id=n + 1,
                title=f"{main.capitalize()} i {place} ({n})",
                summary=f"{place} kommune jobber med {second} og {third}.",
                body=body,
                organisation=f"{place} kommune",
                places=[place, county],
                counties=[county],
                sdg_targets=targets,
                sdg_goals=sorted({int(t.split(".")[0]) for t in targets}),
                status=rng.choice(STATUSES),
                start_year=rng.randint(2018, 2025),
                tags=[main, third],
                url=f"/prosjekter/{n + 1}",
                updated_at=start + timedelta(hours=n),
            )
        )
    return docs


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run() -> dict[str, object]:
    """Measure, print a table, write JSON."""
    docs = generate()
    with tempfile.TemporaryDirectory() as tmp:
        engine = WhooshEngine(tmp)
        started = time.perf_counter()
        engine.rebuild(docs)
        reindex = time.perf_counter() - started
        engine.search("kommune")  # open the searcher and build facet bitsets once
        timings: dict[str, list[float]] = {q: [] for q in QUERIES}
        totals = {}
        for _ in range(10):
            for query in QUERIES:
                started = time.perf_counter()
                totals[query] = engine.search(query).total
                timings[query].append((time.perf_counter() - started) * 1000)
        size = _size(Path(tmp))
    every = sorted(t for ts in timings.values() for t in ts)
    figures = {
        "documents": len(docs),
        "reindex_seconds": round(reindex, 2),
        "search_ms_p50": round(statistics.median(every), 2),
        "search_ms_p95": round(every[int(len(every) * 0.95) - 1], 2),
        "index_mb": round(size / 1e6, 1),
        "per_query_ms_median": {q: round(statistics.median(t), 2) for q, t in timings.items()},
        "per_query_total": totals,
    }
    print(f"{'documents':<28}{figures['documents']:>10}")
    print(f"{'full reindex (s, goal 60)':<28}{figures['reindex_seconds']:>10}")
    print(f"{'search p50 (ms)':<28}{figures['search_ms_p50']:>10}")
    print(f"{'search p95 (ms, goal 50)':<28}{figures['search_ms_p95']:>10}")
    print(f"{'index size (MB)':<28}{figures['index_mb']:>10}")
    for query, ms in figures["per_query_ms_median"].items():
        print(f"  {query:<26}{ms:>8} ms {totals[query]:>7} hits")
    figures["postgresql"] = _postgresql()
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, ensure_ascii=False, indent=2), "utf-8")
    return figures


def _postgresql() -> dict[str, object]:
    """The same queries on the PostgreSQL backend, printed beside the Whoosh figures."""
    print("PostgreSQL backend", flush=True)
    figures = search_postgresql.measure(generate(POSTGRESQL_DOCUMENTS), QUERIES)
    if "skipped" in figures:
        print(f"  skipped: {figures['skipped']}")
        return figures
    print(f"{'documents':<28}{figures['documents']:>10}")
    print(f"{'full reindex (s, goal 60)':<28}{figures['reindex_seconds']:>10}")
    print(f"{'search p50 (ms)':<28}{figures['search_ms_p50']:>10}")
    print(f"{'search p95 (ms, goal 50)':<28}{figures['search_ms_p95']:>10}")
    print(f"{'similar, median (ms)':<28}{figures['similar_ms_median']:>10}")
    print(f"{'table size (MB)':<28}{figures['table_mb']:>10}")
    for query, ms in figures["per_query_ms_median"].items():
        print(f"  {query:<26}{ms:>8} ms {figures['per_query_total'][query]:>7} hits")
    return figures
