"""Judge search on a query set over the demo content: recall@10 and MRR, per category.

    python -m benchmarks.relevance /work/heldout-search/queries.csv [--show-misses]

The set is a CSV with columns category, query, expected; `expected` lists the items that should
be found, `kind:title` separated by `|`, where a hit matches when its title starts with the
given title (case-insensitive; the demo titles end in "(demo)"). Recall@10 is counted against
min(|expected|, 10); MRR is the mean of 1/rank of the first expected hit.

The app is built as configured (DATABASE_URL, SEARCH_BACKEND ...); without DATABASE_URL it uses
a fresh SQLite database in a temporary folder. Reference data and the demo content are loaded
(idempotently, `seed demo --once`) and the index is rebuilt before judging.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path


def load_cases(path: Path) -> list[dict]:
    """The cases of a query set: category, query and the expected (kind, title) pairs."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            "category": row["category"].strip(),
            "query": row["query"],
            "expected": [
                tuple(item.strip().split(":", 1)) for item in row["expected"].split("|") if item
            ],
        }
        for row in rows
    ]


def _matches(hit, expected: tuple[str, str]) -> bool:
    kind, title = expected
    return hit.kind == kind and hit.title.casefold().startswith(title.casefold())


def judge(search, cases: list[dict]) -> tuple[dict[str, list[tuple]], float, float]:
    """Per category (query, recall@10, reciprocal rank, hit titles); overall recall and MRR."""
    per_category: dict[str, list[tuple]] = defaultdict(list)
    for case in cases:
        hits = search(case["query"]).hits[:10]
        expected = case["expected"]
        found = sum(any(_matches(h, e) for h in hits) for e in expected)
        recall = found / min(len(expected), 10)
        rank = next(
            (i for i, h in enumerate(hits, 1) if any(_matches(h, e) for e in expected)), None
        )
        titles = [f"{h.kind}:{h.title}" for h in hits[:5]]
        per_category[case["category"]].append(
            (case["query"], recall, 1 / rank if rank else 0.0, titles)
        )
    rows = [row for rows in per_category.values() for row in rows]
    recall = sum(r[1] for r in rows) / len(rows)
    mrr = sum(r[2] for r in rows) / len(rows)
    return per_category, recall, mrr


def _demo_app():
    from baerekraft_hub import create_app
    from baerekraft_hub.extensions import db

    overrides = {}
    if not os.environ.get("DATABASE_URL"):
        folder = Path(tempfile.mkdtemp(prefix="relevance-"))
        overrides = {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.db'}",
            "SEARCH_INDEX_DIR": str(folder / "search-index"),
        }
    app = create_app("development", overrides)
    with app.app_context():
        db.create_all()
    runner = app.test_cli_runner()
    for args in (["seed", "reference"], ["seed", "demo", "--once"], ["search", "reindex"]):
        result = runner.invoke(args=args)
        if result.exit_code:
            sys.exit(f"flask {' '.join(args)} failed:\n{result.output}")
    return app


def main(argv: list[str] | None = None) -> int:
    """Print recall@10 and MRR of the configured backend on a query set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", type=Path)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    cases = load_cases(args.queries)
    app = _demo_app()
    from baerekraft_hub.search.changes import search_engine

    with app.app_context():
        engine = search_engine(app)
        per_category, recall, mrr = judge(lambda q: engine.search(q, per_page=10), cases)
    backend = app.config.get("SEARCH_BACKEND", "whoosh")
    print(f"backend {backend}: {len(cases)} queries")
    for category, rows in per_category.items():
        c_recall = sum(r[1] for r in rows) / len(rows)
        c_mrr = sum(r[2] for r in rows) / len(rows)
        print(f"  {category:<14} n={len(rows):<3} recall@10 {c_recall:.3f}  MRR {c_mrr:.3f}")
        if args.show_misses:
            for query, r, rr, titles in rows:
                if r < 1 or rr < 1:
                    print(f"      miss {query!r}: recall {r:.2f} rr {rr:.2f} top {titles[:3]}")
    print(f"recall@10 {recall:.3f}  MRR {mrr:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
