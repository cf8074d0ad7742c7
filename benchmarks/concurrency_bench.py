"""Four processes saving projects at once, as four gunicorn workers would, then a drift check.

Issue 5: "Four processes saving projects concurrently for 30 seconds: no error, and
`flask search check` reports zero drift afterwards." Each process runs the same service calls
and commit as a request, then the same after-request hook that applies index changes. The
database is DATABASE_URL if set (use PostgreSQL to mirror production), else a fresh SQLite file.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import tempfile
import time
import traceback
from pathlib import Path

WORKERS = 4
SECONDS = float(os.environ.get("CONCURRENCY_SECONDS", "30"))
OWNERS = ["1506", "4601", "0301", "1103"]
RESULTS = Path("bench-results/concurrency.json")


def _app(uri: str, instance: str, backend: str = "whoosh"):
    from baerekraft_hub import create_app

    os.environ["INSTANCE_PATH"] = instance
    return create_app("testing", {"SQLALCHEMY_DATABASE_URI": uri, "SEARCH_BACKEND": backend})


def _save_for(
    uri: str,
    instance: str,
    worker: int,
    seconds: float,
    min_saves: int = 0,
    backend: str = "whoosh",
) -> tuple[int, list[str]]:
    """Create, publish, edit, unpublish and delete projects for `seconds`, and at least
    `min_saves` times however slow the machine is; (saves, errors)."""
    from baerekraft_hub.content.services import delete, publish, unpublish
    from baerekraft_hub.extensions import db
    from baerekraft_hub.organisations.services import get_by_reference
    from baerekraft_hub.projects import services
    from baerekraft_hub.projects.models import Project
    from baerekraft_hub.search import changes

    app = _app(uri, instance, backend)
    rng = random.Random(worker)
    saves, errors = 0, []
    deadline = time.monotonic() + seconds
    with app.app_context():
        owner = get_by_reference(OWNERS[worker % len(OWNERS)])
        mine: list[int] = []
        while time.monotonic() < deadline or saves + len(errors) < min_saves:
            with app.test_request_context("/"):
                try:
                    action = rng.random()
                    if action < 0.4 or not mine:
                        data = services.ProjectData(
                            title=f"Overvann {worker}-{saves}",
                            summary="Regnbed tar unna styrtregn.",
                            owner=owner,
                            target_ids=["11.5"],
                        )
                        project = services.create_project(data, None)
                        publish(project, None)
                        db.session.flush()
                        mine.append(project.id)
                    else:
                        project = db.session.get(Project, rng.choice(mine))
                        if action < 0.7:
                            data = services.project_data_of(project)
                            data.title = f"Solceller {worker}-{saves}"
                            services.update_project(project, data, None)
                        elif action < 0.85:
                            unpublish(project, None) if project.is_published else publish(
                                project, None
                            )
                        else:
                            delete(project, None)
                            mine.remove(project.id)
                    db.session.commit()
                    changes._after_request(None)  # what every request does after its commit
                    saves += 1
                except Exception:
                    db.session.rollback()
                    errors.append(traceback.format_exc(limit=3))
    return saves, errors


def run_concurrently(
    uri: str, instance: str, seconds: float = SECONDS, min_saves: int = 0, backend: str = "whoosh"
) -> dict[str, object]:
    """Run the savers, then one applier pass (the worker), then compare index and database.

    `backend`: the SEARCH_BACKEND of every process ("postgresql" needs a PostgreSQL `uri`).
    """
    from sqlalchemy.orm import Session

    from baerekraft_hub.extensions import db
    from baerekraft_hub.search.builder import expected_versions
    from baerekraft_hub.search.changes import (
        apply_pending_changes,
        pending_count,
        rebuild_index,
        search_engine,
    )

    app = _app(uri, instance, backend)
    with app.app_context():
        rebuild_index()
    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        outcomes = pool.starmap(
            _save_for,
            [(uri, instance, w, seconds, min_saves, backend) for w in range(WORKERS)],
        )
    with app.app_context():
        pending_after_requests = pending_count()
        apply_pending_changes()  # flask worker's pass
        with Session(db.engine) as session:
            drift = search_engine().check(expected_versions(session))
    return {
        "workers": WORKERS,
        "seconds": seconds,
        "saves": sum(s for s, _ in outcomes),
        "errors": [e for _, errs in outcomes for e in errs],
        "pending_after_requests": pending_after_requests,
        "missing": len(drift.missing),
        "stale": len(drift.stale),
        "extra": len(drift.extra),
    }


def run() -> dict[str, object]:
    """`make bench`: 30 seconds against DATABASE_URL or a fresh SQLite database."""
    from flask_migrate import upgrade

    from baerekraft_hub.core.reference import Upserter
    from baerekraft_hub.extensions import db

    with tempfile.TemporaryDirectory() as instance:
        uri = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance) / 'bench.sqlite'}"
        app = _app(uri, instance)
        with app.app_context():
            upgrade()
            from baerekraft_hub.organisations.services import load_reference as orgs
            from baerekraft_hub.sdg.services import load_reference as sdg

            upsert = Upserter()
            sdg(upsert)
            orgs(upsert)
            db.session.commit()
        figures = run_concurrently(uri, instance)
    print(f"{'processes x seconds':<28}{WORKERS:>6} x {SECONDS:.0f}")
    print(f"{'saves':<28}{figures['saves']:>10}")
    print(f"{'errors':<28}{len(figures['errors']):>10}")
    print(f"{'pending after requests':<28}{figures['pending_after_requests']:>10}")
    drift = f"{figures['missing']}/{figures['stale']}/{figures['extra']}"
    print(f"{'drift missing/stale/extra':<28}{drift:>10}")
    for error in figures["errors"][:3]:
        print(error)
    RESULTS.parent.mkdir(exist_ok=True)
    saved = figures | {"errors": len(figures["errors"])}
    RESULTS.write_text(json.dumps(saved, indent=2), "utf-8")
    return figures
