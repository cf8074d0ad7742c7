"""A request id: one per request, on every log line, in the `X-Request-ID` response header,
on the 500 page and on the outbox rows the request queues, so that a user who quotes it
leads the operator to the exact lines and emails.

An id sent by the proxy in front (`X-Request-ID`) is kept when it is well-formed (letters,
digits, `-`, `_`, `.`, at most 64 characters): the proxy's logs and ours then agree. Anything
else is replaced by a fresh one, so a client cannot smuggle text into the logs.
"""

from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id() -> str | None:
    """This request's id, or None outside a request."""
    if not has_request_context():
        return None
    request_id = g.get("request_id")
    if request_id is None:
        request_id = g.request_id = request_id_for(request.headers)
    return request_id


def request_id_for(headers) -> str:
    """The proxy's id when well-formed, else a fresh one."""
    incoming = headers.get(HEADER, "")
    return incoming if _WELL_FORMED.fullmatch(incoming) else uuid.uuid4().hex


def _take_request_id() -> None:
    current_request_id()


def _send_request_id(response: Response) -> Response:
    response.headers[HEADER] = current_request_id()
    return response


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every log record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # A page answered from the cache before Flask ran logs with its id as `extra`.
        record.request_id = current_request_id() or getattr(record, "request_id", None) or "-"
        return True


def init_app(app: Flask) -> None:
    """Give every request its id and send it back in the response."""
    app.before_request(_take_request_id)
    app.after_request(_send_request_id)
    app.jinja_env.globals["request_id"] = current_request_id  # the 500 page shows it
