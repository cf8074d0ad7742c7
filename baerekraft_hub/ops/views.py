"""`/healthz` and `/readyz`, for the load balancer; never rate-limited, never cached."""

from __future__ import annotations

from flask import current_app, jsonify

from baerekraft_hub.extensions import limiter
from baerekraft_hub.ops import bp
from baerekraft_hub.ops.health import run_checks


def _uncached(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """The process can serve. Touches nothing else: a database outage must not make the
    load balancer restart every web server."""
    return _uncached(jsonify(status="ok"))


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """200 when every check passes, else 503; the body says which check failed and why."""
    checks = run_checks(current_app._get_current_object())
    failed = [name for name, outcome in checks.items() if not outcome["ok"]]
    body = {"status": "fail" if failed else "ok", "failed": failed, "checks": checks}
    return _uncached(jsonify(body)), 503 if failed else 200
