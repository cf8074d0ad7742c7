"""One commit per request: views change data through services and never commit themselves.

When the view has answered, the request commits if it was a POST (or another unsafe method)
answered below 400: a redirect after success, an htmx fragment. Anything else rolls back: a
form sent back with errors (422), a refusal (4xx), and every GET, which is not protected
against cross-site requests and so must change nothing. An unhandled exception rolls back at
once, before the 500 page is rendered; so does a commit that fails, and the user then gets the
500 page. Either way the messages flashed during the request are withdrawn: a success
message is shown only when its change was committed.

Two exceptions, each said in the view: `keep_changes()` commits a GET whose link carries its
own credential (a token from an email), or a refusal that reports a change it made ("we have
sent you a new link"); `undo_changes()` rolls back a refusal answered with a redirect.

Side effects ride on the same transaction (outbox rows, search index changes, activity
events), so they commit or vanish with it. A view that still commits by hand is harmless:
the request's commit then has nothing left to do. Commands, the worker and the outbox
deliverers commit themselves, where their documentation says.
"""

from __future__ import annotations

from flask import Flask, Response, g, got_request_exception, message_flashed, request, session

from baerekraft_hub.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_KEEP = "transaction_keep_changes"
_FLASHED = "transaction_flashed"


def keep_changes() -> None:
    """Commit this request's changes although the rule would not (a GET, or a 4xx answer)."""
    setattr(g, _KEEP, True)


def changes_kept() -> bool:
    """Whether this request called `keep_changes()` (its answer is about that change)."""
    return bool(g.get(_KEEP))


def undo_changes() -> None:
    """Roll back what this request changed so far (a refused change, answered with a
    redirect, must not commit what the service did before it refused)."""
    db.session.rollback()


def _commits(response: Response) -> bool:
    if response.status_code >= 500:
        return False
    if g.get(_KEEP):
        return True
    return request.method not in SAFE_METHODS and response.status_code < 400


def _end_transaction(response: Response) -> Response:
    """Commit or roll back the request's transaction, by the rule above."""
    if not _commits(response):
        if db.session.registry.has():  # a page served from the cache never opened one
            db.session.rollback()
        return response
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()  # the 500 page is rendered on a clean session
        raise
    return response


def _fail(sender: Flask, exception: BaseException, **extra: object) -> None:
    """An unhandled exception (or a failed commit): nothing is committed, nothing flashed."""
    db.session.rollback()
    flashed = g.pop(_FLASHED, [])
    if flashed:
        kept = list(session.get("_flashes", []))
        for message in flashed:
            if message in kept:
                kept.remove(message)
        if kept:
            session["_flashes"] = kept
        else:
            session.pop("_flashes", None)


def _note_flash(sender: Flask, message: str, category: str, **extra: object) -> None:
    g.setdefault(_FLASHED, []).append((category, message))


def init_app(app: Flask) -> None:
    """Install the rule. Call it before other extensions add their after-request hooks:
    hooks run in reverse order, so the commit is then the last thing a response waits for."""
    app.after_request(_end_transaction)
    got_request_exception.connect(_fail, app)
    message_flashed.connect(_note_flash, app)
