"""The soak: mixed traffic for 60 s against 2 gunicorn workers plus `flask worker`, on a scratch
copy of the dataset (the cached one stays as built). Readers browse and search; signed-in
visitors follow and unfollow and save their digest choice (POSTs with CSRF tokens). Meanwhile
projects are published from another process, and we time until a search on the served workers
finds each. Afterwards `flask search check` must be clean."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path

from benchmarks import data, pages
from benchmarks.dataset import PASSWORD, Dataset, _reset_postgres
from benchmarks.web import ROOT, Client, Server, peak_rss_mb

READERS = 6
MEMBERS = 2
PUBLISHES = 5
READ_PATHS = ["/", "/prosjekter/", "/praksis/", "/kommuner/", "/barekraftsmal/7/"]
SEARCH_WORDS = ["kommune", "energi", "overvann", "skole", "natur", "klima", "avfall", "bolig"]


@contextmanager
def scratch_copy(source: Dataset):
    """A throwaway copy of the dataset: its SQLite file and index, or a PostgreSQL template copy."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(Path(source.instance) / "search-index", Path(tmp) / "search-index")
        if source.url.startswith("postgres"):
            head, _, name = source.url.rpartition("/")
            url = f"{head}/{name}_soak"
            _reset_postgres(url, template=name)
        else:
            shutil.copy(source.url.removeprefix("sqlite:///"), Path(tmp) / "bench.sqlite")
            url = f"sqlite:///{tmp}/bench.sqlite"
        yield replace(source, url=url, instance=tmp)


def _reader(port: int, stop: threading.Event, tally: Counter, seed: int, projects: int) -> None:
    rng = random.Random(seed)
    client = Client(port)
    while not stop.is_set():
        if rng.random() < 0.4:
            path = f"/sok?q={rng.choice(SEARCH_WORDS)}"
        elif rng.random() < 0.5:
            path = f"/prosjekter/{rng.randint(1, projects)}/"
        else:
            path = rng.choice(READ_PATHS)
        _tally(tally, lambda p=path: client.get(p))


def _member(port: int, n: int, stop: threading.Event, tally: Counter, projects: int) -> None:
    rng = random.Random(100 + n)
    client = Client(port)
    _tally(tally, lambda: client.sign_in(pages.bench_user(n), PASSWORD) or _Ok())
    while not stop.is_set():
        project = rng.randint(1, projects)
        choice = rng.random()
        if choice < 0.4:
            _tally(tally, lambda: client.get("/nytt-for-deg/"))
        elif choice < 0.8:
            page = f"/prosjekter/{project}/"
            ending = "" if rng.random() < 0.5 else "slutt/"
            action = f"/folg/prosjekt/{project}/{ending}"
            _tally(tally, partial(client.post_form, page, action, {}))
        else:
            frequency = rng.choice(["weekly", "daily", "none"])
            form = {"frequency": frequency}
            page = "/profil/oppsummering/"
            _tally(tally, partial(client.post_form, page, page, form))
        time.sleep(0.2)


class _Ok:
    status = 200


def _tally(tally: Counter, call) -> None:
    try:
        status = call().status
    except Exception as error:  # noqa: BLE001 - every failure is counted, none stops the soak
        tally["errors"] += 1
        tally[f"error: {type(error).__name__}: {error}"[:120]] += 1
        return
    tally["requests"] += 1
    tally[f"{status // 100}xx"] += 1
    if status >= 400:
        tally[f"status {status}"] += 1


_PUBLISH = """
import sys, time
from baerekraft_hub import create_app
from baerekraft_hub.content.services import publish
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.services import get_by_reference
from baerekraft_hub.projects import services
from baerekraft_hub.search import changes
app = create_app()
word = sys.argv[1]
with app.app_context(), app.test_request_context("/"):
    data = services.ProjectData(title=f"Publisert {word}", summary="Måling av søk.",
                                owner=get_by_reference("1506"), target_ids=["11.5"])
    project = services.create_project(data, None)
    publish(project, None)
    db.session.commit()
    committed = time.time()
    changes._after_request(None)  # what the request that published does after its commit
    print(project.id, committed, time.time())
"""


def _published_to_searchable(env: dict, port: int, n: int) -> tuple[float | None, float]:
    """Seconds from the commit of a new project (another process) until /sok finds it, and
    until the publishing process had written it to the index."""
    word = f"soakord{n}x{random.randrange(10**6)}"
    done = subprocess.run(
        [sys.executable, "-c", _PUBLISH, word], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        print(done.stderr[-2000:])
        return None, 0.0
    project_id, committed, applied = done.stdout.split()[-3:]
    written = round(float(applied) - float(committed), 2)
    client = Client(port)
    while time.time() - float(committed) < 30:
        if f"/prosjekter/{project_id}/" in client.get(f"/sok?q={word}").body:
            return round(time.time() - float(committed), 2), written
        time.sleep(0.05)
    return None, written


def run(source: Dataset, seconds: float, scale: float) -> dict:
    projects = data.Counts.at(scale).projects
    print(f"   soak: {seconds:.0f} s of mixed traffic…", flush=True)
    with scratch_copy(source) as scratch:
        env = scratch.env()
        worker = subprocess.Popen(
            [str(Path(sys.executable).with_name("flask")), "worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        worker_rss = 0.0
        tally: Counter = Counter()
        try:
            with Server("wsgi:app", env, ready_path="/robots.txt") as app:
                stop = threading.Event()
                threads = [
                    threading.Thread(target=_reader, args=(app.port, stop, tally, n, projects))
                    for n in range(READERS)
                ] + [
                    threading.Thread(target=_member, args=(app.port, n + 1, stop, tally, projects))
                    for n in range(MEMBERS)
                ]
                for thread in threads:
                    thread.start()
                started = time.monotonic()
                searchable, written = [], []
                for n in range(PUBLISHES):
                    time.sleep(
                        max(0.0, started + (n + 0.5) * seconds / PUBLISHES - time.monotonic())
                    )
                    found, index_write = _published_to_searchable(env, app.port, n)
                    searchable.append(found)
                    written.append(index_write)
                    worker_rss = max(worker_rss, peak_rss_mb(worker.pid))
                time.sleep(max(0.0, started + seconds - time.monotonic()))
                stop.set()
                for thread in threads:
                    thread.join(60)
                rss = app.peak_rss_mb()
            worker_rss = max(worker_rss, peak_rss_mb(worker.pid))
        finally:
            worker.terminate()  # it finishes the task at hand (a digest run can take a minute)
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(30)
        check = subprocess.run(
            [str(Path(sys.executable).with_name("flask")), "search", "check"],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
    found = [s for s in searchable if s is not None]
    figures = {
        "seconds": seconds,
        "requests": tally["requests"],
        "errors": tally["errors"],
        "status_5xx": tally["5xx"],
        "status_4xx": tally["4xx"],
        "error_kinds": {k: v for k, v in tally.items() if k.startswith(("error:", "status "))},
        "search_check_clean": check.returncode == 0,
        "search_check": check.stdout.strip().splitlines()[:3],
        "published_to_searchable_seconds": searchable,
        "published_to_searchable_max": max(found) if found else None,
        "of_which_index_write_seconds": written,
        "worker_peak_rss_mb": rss,
        "flask_worker_peak_rss_mb": worker_rss,
    }
    print(f"   soak: {json.dumps(figures, ensure_ascii=False)}")
    return figures
