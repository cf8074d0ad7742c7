"""`flask worker`: one long-running process that runs the registered periodic tasks.

Domains plug in with `register_task(name, func, every_seconds)`: the outbox deliverer now, the
search index applier and the digest sender later. Each run gets a fresh app context (and so a
fresh database session); a task that raises is logged and tried again at its next turn.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from baerekraft_hub.core.dialects import upsert
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import db

log = logging.getLogger(__name__)
# A task that succeeds every second is recorded at most this often (one small write).
RECORD_EVERY_SECONDS = 30.0
# A task that ran this long allocated a lot (a digest run, the medians, the suggestions): what
# it freed is collected and handed back to the system before the next task piles on top.
RELEASE_AFTER_SECONDS = 0.25


class WorkerTaskRun(db.Model):
    """When each task last ran without error: /metrics shows it, so a stuck worker alerts."""

    __tablename__ = "worker_task_run"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_success_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass
class Task:
    name: str
    func: Callable[[], object]
    every_seconds: float
    next_run: float = 0.0
    recorded_at: float | None = None  # monotonic time of the last WorkerTaskRun write


_tasks: dict[str, Task] = {}


def register_task(name: str, func: Callable[[], object], every_seconds: float) -> None:
    """Run `func()` every `every_seconds` in the worker; registering a name again replaces it."""
    if every_seconds <= 0:
        raise ValueError("every_seconds must be positive")
    _tasks[name] = Task(name, func, float(every_seconds))


def registered_tasks() -> list[Task]:
    """The tasks the worker runs, in registration order."""
    return list(_tasks.values())


class WhenChanged:
    """A task that does `work(session)` only when `fingerprint(session)` has changed since its
    last run in this process, and at least every `at_least_every` seconds whatever it says."""

    def __init__(
        self,
        fingerprint: Callable[[Session], object],
        work: Callable[[Session], str],
        at_least_every: float = 3600.0,
    ) -> None:
        self.fingerprint, self.work, self.at_least_every = fingerprint, work, at_least_every
        self.last: object = None
        self.at: float | None = None

    def __call__(self) -> str:
        with Session(db.engine) as session:
            fingerprint = self.fingerprint(session)
            fresh = self.at is not None and time.monotonic() - self.at < self.at_least_every
            if fresh and fingerprint == self.last:
                return ""
            result = self.work(session)
        self.last, self.at = fingerprint, time.monotonic()
        return result


def _record_success(task: Task) -> None:
    now = time.monotonic()
    if task.recorded_at is not None and now - task.recorded_at < RECORD_EVERY_SECONDS:
        return
    db.session.execute(
        upsert(WorkerTaskRun, {"name": task.name, "last_success_at": utcnow()}, ["name"])
    )
    db.session.commit()
    task.recorded_at = now


def _malloc_trim() -> Callable[[int], int] | None:
    library = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(library), "malloc_trim", None) if library else None
    return trim  # glibc's; elsewhere freed memory stays with the process as before


_trim = _malloc_trim()


def release_memory() -> None:
    """Free the cyclic garbage a big task left, and give freed heap pages back to the system:
    without it, Python's allocator keeps each task's peak, and the next task's peak lands on
    top of it (the worker's resident memory is the sum of its tasks' peaks, not the largest)."""
    gc.collect()
    if _trim is not None:
        _trim(0)


def run_task(app: Flask, task: Task) -> object:
    """Run one task in its own app context; log and swallow its failure."""
    started = time.monotonic()
    try:
        return _run_task(app, task)
    finally:
        if time.monotonic() - started >= RELEASE_AFTER_SECONDS:
            release_memory()


def _run_task(app: Flask, task: Task) -> object:
    with app.app_context():
        try:
            result = task.func()
        except Exception:
            log.exception("worker: task %s failed", task.name)
            db.session.rollback()
            db.session.remove()
            return None
        try:
            _record_success(task)
        except Exception:  # the task did its work; only the record of it is missing
            log.exception("worker: could not record that %s succeeded", task.name)
            db.session.rollback()
        finally:
            db.session.remove()
    if result:
        log.info("worker: %s: %s", task.name, result)
    return result


def run_worker(
    app: Flask,
    *,
    stop: threading.Event | None = None,
    once: bool = False,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Run every task when due until `stop` is set (or each once, with `once`)."""
    stop = stop or threading.Event()
    tasks = registered_tasks()
    for task in tasks:
        task.next_run = 0.0
        task.recorded_at = None  # a new worker records its first success at once
    while not stop.is_set():
        now = clock()
        for task in tasks:
            if task.next_run <= now:
                run_task(app, task)
                task.next_run = clock() + task.every_seconds
        if once:
            return
        next_due = min((task.next_run for task in tasks), default=clock() + 1.0)
        stop.wait(max(0.05, min(next_due - clock(), 5.0)))
