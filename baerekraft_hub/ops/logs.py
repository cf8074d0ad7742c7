"""Logs: one JSON object a line in production, readable text in development; every line
carries the request id, and (in JSON) every request ends with one line saying what it was.

`LOG_FORMAT` picks "json" or "text"; unset (tests), logging is left as it is. A JSON line:

    {"level": "INFO", "logger": "baerekraft_hub.requests", "message": "GET /prosjekter/ 200",
     "request_id": "4b1f…", "method": "GET", "path": "/prosjekter/", "status": 200,
     "duration_ms": 12.3, "time": "2026-11-30T23:40:01.123456+00:00"}
"""

from __future__ import annotations

import logging
import sys
import time

from flask import Flask, Response, g, request
from flask.logging import default_handler
from pythonjsonlogger.json import JsonFormatter

from baerekraft_hub.core import pagecache
from baerekraft_hub.core.request_id import RequestIdFilter

TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
JSON_FIELDS = "{levelname}{name}{message}{request_id}"
requests_log = logging.getLogger("baerekraft_hub.requests")


class _OurHandler(logging.StreamHandler):
    """The handler this module installs (so a second app replaces it, not adds one)."""


def formatter(kind: str) -> logging.Formatter:
    """The formatter for LOG_FORMAT `kind` ("json" or "text")."""
    if kind == "json":
        return JsonFormatter(
            JSON_FIELDS,
            style="{",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",  # ISO 8601, UTC
            json_ensure_ascii=False,
        )
    if kind == "text":
        return logging.Formatter(TEXT_FORMAT)
    raise ValueError(f"LOG_FORMAT must be 'json' or 'text', not {kind!r}")


def configure_logging(app: Flask) -> None:
    """Send every log record (ours, Flask's, gunicorn's error log) to stderr in LOG_FORMAT."""
    kind = app.config.get("LOG_FORMAT")
    if not kind:
        return
    handler = _OurHandler(sys.stderr)
    handler.setFormatter(formatter(kind))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    app.logger.removeHandler(default_handler)  # the root handler writes Flask's errors too
    if kind == "json":  # in development the server's own access log says as much
        app.before_request(_start_clock)
        app.after_request(_log_request)
        pagecache.on_hit(app, _log_hit)


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    started = g.get("request_started")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    requests_log.info(
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
        },
    )
    return response


def _log_hit(seen: pagecache.HitSeen) -> None:
    """The same line for a page the cache answered before Flask ran."""
    requests_log.info(
        "%s %s %s",
        seen.method,
        seen.path,
        seen.status,
        extra={
            "method": seen.method,
            "path": seen.path,
            "status": seen.status,
            "duration_ms": round(seen.seconds * 1000, 1),
            "request_id": seen.request_id,
        },
    )
