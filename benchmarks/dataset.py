"""A bench database: migrated, reference data seeded, `data`'s rows imported with the real
`flask projects import` (timed), users, follows and a week of activity written in bulk, and the
search index rebuilt with `flask search reindex` (timed).

SQLite files are kept under instance/bench/data/<key>/, the key naming the scale, seed, set
(normal or pathological) and schema revision, so a second `make bench` reuses them with the
times measured when they were built (BENCH_REBUILD=1 builds them again). On PostgreSQL the
sets live in <name>_normal and <name>_patho beside DATABASE_URL's database <name>.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks import data

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "instance" / "bench"
GENERATOR_VERSION = 4  # bump when data.py changes what it generates
PASSWORD = "bench-passord-som-er-langt-nok"  # noqa: S105 - the generated users' password


@dataclass
class Dataset:
    """Where a built dataset lives and what building it took."""

    key: str
    url: str
    instance: str
    items: int
    users: int
    import_seconds: float
    reindex_seconds: float
    extras_seconds: float
    built: str  # when the times were measured
    kpi_values: int = 0
    kpi_import_seconds: float = 0.0

    def env(self, **more: str) -> dict[str, str]:
        """The environment for flask commands and gunicorn against this dataset."""
        return app_env(self.url, self.instance) | more


def app_env(url: str, instance: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        BAEREKRAFT_ENV="production",
        SECRET_KEY="bench-secret-not-for-production",  # noqa: S106
        DATABASE_URL=url,
        INSTANCE_PATH=instance,
        FLASK_APP="wsgi.py",
        PUBLIC_URL="http://127.0.0.1",
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        MAIL_PORT="1",  # nothing is delivered during the bench
    )
    return env


def schema_revision() -> str:
    versions = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    return versions[-1].split("_")[0] if versions else "none"


def flask(env: dict[str, str], *args: str) -> float:
    """Run `flask <args>` in the checkout; seconds it took (raises when it fails). Its output
    comes through, so the long commands' progress (a bar in a terminal) shows."""
    started = time.perf_counter()
    sys.stdout.flush()
    done = subprocess.run(
        [str(Path(sys.executable).with_name("flask")), *args],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stderr}")
    return time.perf_counter() - started


def _postgres_url(base: str, pathological: bool) -> str:
    """Databases of their own beside DATABASE_URL's (which the concurrency bench fills)."""
    head, _, name = base.rpartition("/")
    return f"{head}/{name.split('?')[0]}_{'patho' if pathological else 'normal'}"


def _intact(dataset: Dataset) -> bool:
    """The database still holds what was built (a dropped or changed one is rebuilt)."""
    from sqlalchemy import create_engine, text

    url = dataset.url.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        engine = create_engine(url)
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT (SELECT count(*) FROM project) + (SELECT count(*) FROM practice)")
            ).scalar_one()
        engine.dispose()
    except Exception:  # noqa: BLE001 - any failure to read it means: build again
        return False
    return found == dataset.items


def _reset_postgres(url: str, template: str | None = None) -> None:
    from sqlalchemy import create_engine, text

    head, _, name = url.rpartition("/")
    engine = create_engine(
        f"{head}/postgres".replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        copy = f' TEMPLATE "{template}"' if template else ""
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    engine.dispose()


def prepare(scale: float, seed: int = data.SEED, pathological: bool = False) -> Dataset:
    """The dataset for these settings: reused when built before, else built now."""
    postgres = os.environ.get("DATABASE_URL", "")
    kind = "postgresql" if postgres.startswith("postgres") else "sqlite"
    set_name = "patho" if pathological else "normal"
    key = f"{kind}-s{scale}-seed{seed}-{set_name}-rev{schema_revision()}-g{GENERATOR_VERSION}"
    folder = BENCH_DIR / "data" / key
    manifest = folder / "dataset.json"
    if manifest.exists() and not os.environ.get("BENCH_REBUILD"):
        dataset = Dataset(**json.loads(manifest.read_text()))
        if _intact(dataset):
            print(f"   dataset {key}: reused (built {dataset.built})")
            _analyze(dataset.url)
            return dataset
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if kind == "postgresql":
        url = _postgres_url(postgres, pathological)
        _reset_postgres(url)
    else:
        url = f"sqlite:///{folder / 'bench.sqlite'}"
    print(f"   dataset {key}: building…", flush=True)
    dataset = build(url, str(folder), scale, seed, pathological, key)
    manifest.write_text(json.dumps(asdict(dataset), indent=2), "utf-8")
    _analyze(dataset.url)
    return dataset


def _analyze(url: str) -> None:
    """PostgreSQL: gather the planner's statistics, as autovacuum does on a running server
    within a minute of a bulk load. A server with autovacuum off (this CI machine's) would
    otherwise plan every page over tables it never measured: target pages measured 3× slower
    (0.017 → 0.050 of hello), the project list 2.7× (0.026 → 0.069)."""
    if not url.startswith("postgresql"):
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    engine.dispose()


def build(
    url: str, instance: str, scale: float, seed: int, pathological: bool, key: str
) -> Dataset:
    env = app_env(url, instance)
    flask(env, "db", "upgrade")
    flask(env, "seed", "reference")
    from baerekraft_hub.core.progress import Progress

    counts = data.Counts.at(scale)
    with Progress("generating items", length=counts.projects + counts.practices) as progress:
        rows = data.item_rows(scale, seed, pathological, progress=progress.advance)
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as file:
        json.dump(rows, file, ensure_ascii=False)
        file.flush()
        import_seconds = flask(env, "projects", "import", file.name)
    kpi_values, kpi_import_seconds = 0, 0.0
    if not pathological:  # the same table either way: imported (and timed) once
        table, kpi_values = data.kpi_values_csv(scale, seed)
        with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8") as file:
            file.write(table)
            file.flush()
            kpi_import_seconds = flask(env, "kpis", "import", file.name)
    started = time.perf_counter()
    users = write_extras(env, scale, seed)
    extras_seconds = time.perf_counter() - started
    reindex_seconds = flask(env, "search", "reindex")
    return Dataset(
        key=key,
        url=url,
        instance=instance,
        items=len(rows),
        users=users,
        import_seconds=round(import_seconds, 2),
        reindex_seconds=round(reindex_seconds, 2),
        extras_seconds=round(extras_seconds, 2),
        built=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        kpi_values=kpi_values,
        kpi_import_seconds=round(kpi_import_seconds, 2),
    )


def write_extras(env: dict[str, str], scale: float, seed: int) -> int:
    """Users, follows, updates and result values, and a week of activity (in a child process,
    so the app is configured exactly as the commands are). Its progress and errors come
    through on stderr; stdout says how many users it wrote."""
    code = f"from benchmarks.dataset import _write_extras; _write_extras({scale!r}, {seed!r})"
    sys.stdout.flush()
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    if done.returncode:
        raise RuntimeError("writing users and activity failed (its error is above)")
    return int(done.stdout.strip().splitlines()[-1])


def _write_extras(scale: float, seed: int) -> None:
    from decimal import Decimal

    from sqlalchemy import insert, update

    import baerekraft_hub.models  # noqa: F401 - every mapper, before a module builds statements
    from baerekraft_hub import create_app
    from baerekraft_hub.accounts.models import User
    from baerekraft_hub.accounts.passwords import hash_password
    from baerekraft_hub.activity.models import ActivityEvent
    from baerekraft_hub.core.models import utcnow
    from baerekraft_hub.core.progress import Progress
    from baerekraft_hub.extensions import db
    from baerekraft_hub.follows.models import Follow
    from baerekraft_hub.follows.peers import refresh_peers
    from baerekraft_hub.follows.suggestion_store import refresh_suggestions
    from baerekraft_hub.memberships.models import Membership, MembershipStatus
    from baerekraft_hub.organisations.models import Organisation
    from baerekraft_hub.projects import services as projects
    from baerekraft_hub.projects.models import Project
    from baerekraft_hub.search.changes import apply_pending_changes

    app = create_app()
    extra = data.extras(scale, seed)
    rng = random.Random(seed + 2)
    with app.app_context():
        now = utcnow()
        password = hash_password(PASSWORD)
        db.session.execute(
            insert(User),
            [
                user
                | {
                    "password_hash": password,
                    "confirmed_at": now,
                    "is_coordinator": False,
                    "session_version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for user in extra.users
            ],
        )
        user_ids = list(db.session.scalars(db.select(User.id).order_by(User.id)))
        org_ids = dict(db.session.execute(db.select(Organisation.number, Organisation.id)).all())
        project_ids = {
            int(external.rsplit("-", 1)[1]): pid
            for external, pid in db.session.execute(db.select(Project.external_id, Project.id))
        }

        def key_of(kind: str, key: str) -> str:
            if kind == "organisation":
                return str(org_ids[key])
            return str(project_ids[int(key)]) if kind == "project" else key

        db.session.execute(
            insert(Follow),
            [
                {"user_id": user_ids[u], "kind": kind, "key": key_of(kind, key), "created_at": now}
                for u, kind, key in extra.follows
            ],
        )
        db.session.execute(
            insert(Membership),
            [
                {
                    "user_id": user_ids[u],
                    "organisation_id": org_ids[number],
                    "role": "member",
                    "requested_role": "member",
                    "status": MembershipStatus.APPROVED.value,
                    "decided_at": now,
                    "requested_at": now,
                }
                for u, number in extra.memberships
            ],
        )
        steps = len(extra.updates) + len(extra.values)
        with Progress("updates and results", length=steps, file=sys.stderr) as progress:
            for index, title, body in extra.updates:
                project = db.session.get(Project, project_ids[index])
                projects.post_update(project, title, body, None)
                progress.advance()
            for index, value in extra.values:
                project = db.session.get(Project, project_ids[index])
                indicator = projects.add_indicator(
                    project,
                    name="Andel fornybar energi",
                    unit="%",
                    baseline_value=Decimal(10),
                    baseline_year=2022,
                    target_value=Decimal(100),
                    target_year=2030,
                )
                projects.record_indicator_value(indicator, Decimal(value), now.date(), None)
                progress.advance()
        db.session.flush()
        # A week of activity: spread the events (recorded now) over the last seven days.
        week = [
            {"id": event_id, "created_at": now - timedelta(seconds=rng.randint(60, 7 * 86400))}
            for event_id in db.session.scalars(db.select(ActivityEvent.id))
        ]
        db.session.execute(update(ActivityEvent), week)
        db.session.commit()
        apply_pending_changes()
        refresh_peers(db.session)  # what the worker computes first
        refresh_suggestions(db.session)
        print(len(user_ids))
