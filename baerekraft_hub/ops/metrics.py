"""Prometheus metrics at `/metrics`, for whoever holds `METRICS_TOKEN` (to anyone else: 404).

Measured in the process: request latency per endpoint, method and status; search latency.
Read from the database at each scrape (so every web server reports the same, and the worker
needs no port of its own): the outbox by template and status and the age of its oldest
pending email, the latest digest run per frequency, and each worker task's last success.

Under gunicorn with several workers, set `PROMETHEUS_MULTIPROC_DIR` to an empty folder
(emptied at each start) and call `prometheus_client.multiprocess.mark_process_dead` in
gunicorn's `child_exit` hook: each scrape then adds up the values of every worker.
"""

from __future__ import annotations

import hmac
import os
import time
from functools import wraps

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func

from baerekraft_hub.core import pagecache
from baerekraft_hub.core.outbox import OutboxMessage
from baerekraft_hub.core.worker import WorkerTaskRun
from baerekraft_hub.digests.models import DigestRun
from baerekraft_hub.extensions import db, limiter
from baerekraft_hub.ops import bp
from baerekraft_hub.ops.health import oldest_pending_email_age

REQUEST_SECONDS = Histogram(
    "hub_request_duration_seconds",
    "Time to answer a request, by endpoint, method and status.",
    ["endpoint", "method", "status"],
)
SEARCH_SECONDS = Histogram(
    "hub_search_duration_seconds",
    "Time the search engine takes for one query, by kind of query.",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)


def _timestamp(moment) -> float:
    return moment.timestamp() if moment is not None else float("nan")


class DatabaseCollector:
    """Gauges read from the database at scrape time."""

    def collect(self):
        outbox = GaugeMetricFamily(
            "hub_outbox_messages", "Emails in the outbox, by template and status.",
            labels=["template", "status"],
        )  # fmt: skip
        counts = db.session.execute(
            db.select(OutboxMessage.template, OutboxMessage.status, func.count()).group_by(
                OutboxMessage.template, OutboxMessage.status
            )
        )
        for template, status, count in counts:
            outbox.add_metric([template, status], count)
        yield outbox
        oldest = oldest_pending_email_age()
        yield GaugeMetricFamily(
            "hub_outbox_oldest_pending_age_seconds",
            "Seconds the oldest unsent email has waited (0: none waiting).",
            value=oldest or 0.0,
        )
        yield from self._digests()
        last_success = GaugeMetricFamily(
            "hub_worker_task_last_success_timestamp_seconds",
            "When each worker task last ran without error (Unix time; recorded every 30 s).",
            labels=["task"],
        )
        for run in db.session.scalars(db.select(WorkerTaskRun)):
            last_success.add_metric([run.name], _timestamp(run.last_success_at))
        yield last_success

    def _digests(self):
        """The newest run of each frequency: how many queued, whether it finished."""
        queued = GaugeMetricFamily(
            "hub_digest_run_queued", "Digests queued by the newest run.", labels=["frequency"]
        )
        completed = GaugeMetricFamily(
            "hub_digest_run_completed",
            "1 when the newest run queued every digest of its period.",
            labels=["frequency"],
        )
        started = GaugeMetricFamily(
            "hub_digest_run_started_timestamp_seconds",
            "When the newest run started (Unix time).",
            labels=["frequency"],
        )
        newest = (
            db.select(DigestRun.frequency, func.max(DigestRun.period_start).label("period"))
            .group_by(DigestRun.frequency)
            .subquery()
        )
        runs = db.session.scalars(
            db.select(DigestRun).join(
                newest,
                (DigestRun.frequency == newest.c.frequency)
                & (DigestRun.period_start == newest.c.period),
            )
        )
        for run in runs:
            queued.add_metric([run.frequency], run.queued)
            completed.add_metric([run.frequency], 1.0 if run.completed_at else 0.0)
            started.add_metric([run.frequency], _timestamp(run.started_at))
        yield from (queued, completed, started)


def _process_registry() -> CollectorRegistry:
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


@bp.get("/metrics")
@limiter.exempt
def metrics():
    """The metrics, in Prometheus's text format; 404 without the right bearer token."""
    token = current_app.config.get("METRICS_TOKEN")
    given = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        abort(404)
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector())
    body = generate_latest(_process_registry()) + generate_latest(database)
    response = Response(body, content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _observe_request(response: Response) -> Response:
    started = g.get("metrics_started")
    if started is not None:
        endpoint = request.url_rule.endpoint if request.url_rule else "unmatched"
        REQUEST_SECONDS.labels(endpoint, request.method, str(response.status_code)).observe(
            time.perf_counter() - started
        )
    return response


def _observe_hit(seen: pagecache.HitSeen) -> None:
    """A page the cache answered before Flask ran, under the endpoint that rendered it."""
    endpoint = seen.endpoint or "unmatched"
    REQUEST_SECONDS.labels(endpoint, seen.method, str(seen.status)).observe(seen.seconds)


class TimedSearch:
    """The search backend, with each query's time observed (everything else passed on)."""

    def __init__(self, backend) -> None:
        self._backend = backend

    def __getattr__(self, name: str):
        attribute = getattr(self._backend, name)
        if name not in ("search", "suggest", "similar"):
            return attribute

        @wraps(attribute)
        def timed(*args, **kwargs):
            with SEARCH_SECONDS.labels(name).time():
                return attribute(*args, **kwargs)

        return timed


def init_app(app: Flask) -> None:
    """Time every request and every search query."""
    app.before_request(_start_timer)
    app.after_request(_observe_request)
    pagecache.on_hit(app, _observe_hit)
    if not isinstance(app.extensions.get("search_engine"), TimedSearch):
        app.extensions["search_engine"] = TimedSearch(app.extensions["search_engine"])
