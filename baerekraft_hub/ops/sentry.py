"""Error reporting to Sentry, only when `SENTRY_DSN` is set: otherwise nothing is sent, nothing
is even started. Events carry the request id (the one the user quotes from the 500 page) and
no personal data."""

from __future__ import annotations

from flask import Flask

from baerekraft_hub.core.request_id import current_request_id


def _tag_request_id(event: dict, hint: dict) -> dict:
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_app(app: Flask) -> None:
    """Start the Sentry SDK with its Flask integration when SENTRY_DSN is set."""
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[FlaskIntegration()],
        environment=app.config["BAEREKRAFT_ENV"],
        # No user ids, addresses or form bodies leave the site.
        data_collection={"user_info": False, "http_bodies": []},
        traces_sample_rate=float(app.config["SENTRY_TRACES_SAMPLE_RATE"]),
        before_send=_tag_request_id,
    )
