"""The page cache: anonymous GET pages served from a store instead of being rendered again.

With `PAGE_CACHE` on, a GET or HEAD from a visitor who is not signed in, has no remember-me
cookie and nothing of their own in the session (no message waiting, no address they just
registered with; a CSRF secret is allowed) is looked up by (content generation, language,
page or htmx fragment, URL). A miss renders the page as usual; it is kept when it is a 200
that is the same for every such visitor: it set no cookie, rendered no CSRF token (those
belong to a session), changed no session, and the view did not opt out (`exempt`, or
`Cache-Control: no-store` or `private`). Kept and served pages carry an ETag, answer
`If-None-Match` with 304, and say `Cache-Control: private, no-cache`: browsers revalidate,
shared proxies keep nothing.

Invalidation is whole-site and needs no list of pages: every commit that changes content moves
the generation on (core/generation.py), and the entries of older generations are never read
again (they expire after `PAGE_CACHE_TIMEOUT`, also a bound on staleness that no write
explains, such as "3 days ago").

The store is Flask-Caching's: Redis with `REDIS_URL` (shared by the workers, with a copy of
the pages each process served in its memory), otherwise each process's memory; the generation
is then a file in the instance folder, shared by them all.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from cachelib import SimpleCache
from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user

from baerekraft_hub.core.generation import (
    FileGeneration,
    Generation,
    RecentGeneration,
    RedisGeneration,
    track_writes,
)
from baerekraft_hub.core.htmx import wants_fragment
from baerekraft_hub.core.i18n import language_of
from baerekraft_hub.core.request_id import HEADER as REQUEST_ID_HEADER
from baerekraft_hub.core.request_id import request_id_for
from baerekraft_hub.core.transactions import changes_kept
from baerekraft_hub.extensions import cache, db

log = logging.getLogger(__name__)

CACHE_CONTROL = "private, no-cache"
KEY_PREFIX = "baerekraft:"
# In every key: entries of an older shape (kept in Redis by the release before) are never read.
ENTRY_SHAPE = "page2"  # (status, headers, body, endpoint)
T = TypeVar("T")
_KEY = "page_cache_key"  # g: this request may be served from, or kept in, the cache
_HIT = "page_cache_hit"
_EXEMPT = "_page_cache_exempt"
_SKIPPED_HEADERS = frozenset({"content-length", "set-cookie", "x-request-id"})


def exempt(view: Callable) -> Callable:
    """Never cache this view's pages (they depend on more than the database and the URL)."""
    setattr(view, _EXEMPT, True)
    return view


def generation(app: Flask | None = None) -> Generation:
    """The app's content generation."""
    return (app or current_app).extensions["page_generation"]


def _may_be_cached() -> bool:
    if request.method not in ("GET", "HEAD") or request.endpoint in (None, "static"):
        return False
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, _EXEMPT, False):
        return False
    if request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")):
        return False
    # A session holding more than the CSRF secret and Flask-Login's freshness mark is someone's
    # own: signed in, a flashed message, the address they registered with. Their pages may
    # show it; they are neither served from the cache nor kept in it.
    return session.keys() <= {current_app.config["WTF_CSRF_FIELD_NAME"], "_fresh"}


def _key() -> str:
    # The visitor is anonymous here (`_may_be_cached`): their language needs no user loaded.
    return page_key(request, current_app.config, generation().current())


def page_key(request, config, generation_: str) -> str:
    """The key of a (werkzeug) request's page: the generation, the visitor's language, page
    or fragment, the URL."""
    where = (request.scheme, request.host, request.script_root, request.path)
    url = "|".join(where) + "?" + request.query_string.decode("latin-1")
    fragment = "fragment" if wants_fragment(request.headers) else "page"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"{ENTRY_SHAPE}:{generation_}:{language_of(request, config)}:{fragment}:{digest}"


class PageStore:
    """Where kept pages live: Flask-Caching's store, behind a copy in this process's memory
    when that store is Redis. An entry never changes under its key (the key holds the
    generation), so the copy is as fresh as Redis's; it saves a round trip per page."""

    def __init__(self, store, local: SimpleCache | None = None) -> None:
        self.store, self.local = store, local

    def get(self, key: str):
        entry = self.local.get(key) if self.local is not None else None
        if entry is None:
            entry = self.store.get(key)
            if entry is not None and self.local is not None:
                self.local.set(key, entry)
        return entry

    def set(self, key: str, entry) -> None:
        self.store.set(key, entry)
        if self.local is not None:
            self.local.set(key, entry)


def _serve_cached() -> Response | None:
    """Before the view: answer from the cache when this page is there."""
    if not _may_be_cached():
        return None
    try:
        key = _key()
        entry = current_app.extensions["page_store"].get(key)
    except Exception:  # the store is down: render, as without the cache
        log.exception("page cache: lookup failed")
        return None
    setattr(g, _KEY, key)
    if entry is None:
        return None
    setattr(g, _HIT, True)
    status, headers, body, _endpoint = entry
    return Response(body, status=status, headers=headers)


def on_hit(app: Flask, observer: Callable[[HitSeen], None]) -> None:
    """Call `observer` for each page the middleware answers (the request log, the metrics):
    Flask's after-request hooks do not run for those."""
    app.extensions.setdefault("page_cache_observers", []).append(observer)


@dataclass(frozen=True)
class HitSeen:
    method: str
    path: str
    status: int
    endpoint: str | None
    request_id: str
    seconds: float


class ServeHits:
    """WSGI middleware: a kept page is answered here, before Flask builds its contexts, opens a
    session or runs any hook. Anyone it is unsure of goes on to Flask as before: requests
    other than GET/HEAD, any session or remember-me cookie (`_may_be_cached` reads those),
    a miss, a store that fails. What it sends is what Flask's hit sends: the kept headers
    (security headers and Vary included), this request's id, 304 for a matching ETag."""

    def __init__(self, app: Flask, wsgi_app) -> None:
        self.app, self.wsgi_app = app, wsgi_app
        self.cookies = (
            app.config["SESSION_COOKIE_NAME"],
            app.config.get("REMEMBER_COOKIE_NAME", "remember_token"),
        )

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        request = self.app.request_class(environ)
        request.trusted_hosts = self.app.config.get("TRUSTED_HOSTS")
        try:
            if any(name in request.cookies for name in self.cookies):
                entry = None
            else:
                key = page_key(request, self.app.config, generation(self.app).current())
                entry = self.app.extensions["page_store"].get(key)
        except Exception:  # a bad Host, a store that is down: Flask answers as without us
            entry = None
        if entry is None:
            return self.wsgi_app(environ, start_response)
        status, headers, body, endpoint = entry
        response = self.app.response_class(body, status=status, headers=headers)
        response.headers[REQUEST_ID_HEADER] = request_id = request_id_for(request.headers)
        if "If-None-Match" in request.headers:
            response = response.make_conditional(request)
        seen = HitSeen(
            request.method,
            request.path,
            response.status_code,
            endpoint,
            request_id,
            time.perf_counter() - started,
        )
        for observer in self.app.extensions.get("page_cache_observers", ()):
            observer(seen)
        return response(environ, start_response)


def _storable(response: Response) -> bool:
    if request.method != "GET" or response.status_code != 200:
        return False
    if response.direct_passthrough or response.is_streamed:
        return False
    if "Set-Cookie" in response.headers or response.cache_control.no_store:
        return False
    if response.cache_control.private:
        return False
    if current_app.config["WTF_CSRF_FIELD_NAME"] in g:  # a token of this visitor's session
        return False
    if current_app.session_interface.should_set_cookie(current_app, session):
        return False
    return not changes_kept() and not current_user.is_authenticated


def _keep_and_mark(response: Response) -> Response:
    """After the view: keep a page fit for every anonymous visitor; answer 304s. Any other
    answer is this visitor's own: no shared proxy may keep it either."""
    key = g.get(_KEY)
    if key is None or not (g.get(_HIT) or _storable(response)):
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "private")
        return response
    if not g.get(_HIT):
        response.add_etag()
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.vary.update(("Accept-Language", "Cookie"))
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _SKIPPED_HEADERS]
        try:
            entry = (response.status_code, headers, response.get_data(), request.endpoint)
            current_app.extensions["page_store"].set(key, entry)
        except Exception:
            log.exception("page cache: could not keep a page")
    if "If-None-Match" in request.headers:
        return response.make_conditional(request)
    return response


def per_generation(compute: Callable[[], T]) -> Callable[[], T]:
    """Remember what `compute` returns (plain values, not ORM rows: they belong to a session)
    until the content generation moves on: computed once per commit per process, not per
    request. Read the generation before computing, so a value is never newer-labelled than
    the rows it was computed from."""
    name = f"{compute.__module__}.{compute.__qualname__}"

    def remembered() -> T:
        app = current_app._get_current_object()
        generation_ = app.extensions.get("page_generation")
        if generation_ is None:
            return compute()
        now = generation_.current()
        kept = app.extensions["page_remembered"].get(name)
        if kept is not None and kept[0] == now:
            return kept[1]
        value = compute()
        app.extensions["page_remembered"][name] = (now, value)
        return value

    return remembered


def _shared_generation(app: Flask, store) -> Generation:
    redis_url = app.config.get("REDIS_URL")
    if not redis_url:
        return FileGeneration(Path(app.instance_path) / "page-cache-generation")
    if store is None:  # no page cache: the generation alone, for `per_generation`
        import redis
        from cachelib import RedisCache

        client = redis.Redis.from_url(redis_url)
        store = RedisCache(host=client, key_prefix=KEY_PREFIX)
    return RedisGeneration(store)


def init_app(app: Flask) -> None:
    """Track the content generation; serve anonymous pages from the cache, when the
    PAGE_CACHE setting is on."""
    store = None
    if app.config["PAGE_CACHE"]:
        store = _init_store(app)
    shared = _shared_generation(app, store)
    app.extensions["page_generation"] = RecentGeneration(
        shared, app.config["PAGE_CACHE_GENERATION_SECONDS"]
    )
    app.extensions["page_remembered"] = {}
    with app.app_context():
        track_writes(db.engine, app.extensions["page_generation"])
    if store is not None:
        app.before_request(_serve_cached)  # visitors with a session the middleware leaves
        app.after_request(_keep_and_mark)
        app.wsgi_app = ServeHits(app, app.wsgi_app)


def _init_store(app: Flask):
    redis_url = app.config.get("REDIS_URL")
    settings = {
        "CACHE_DEFAULT_TIMEOUT": app.config["PAGE_CACHE_TIMEOUT"],
        "CACHE_KEY_PREFIX": KEY_PREFIX,
    }
    if redis_url:
        settings |= {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url}
    else:
        threshold = app.config["PAGE_CACHE_MAX_ENTRIES"]
        settings |= {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": threshold}
    cache.init_app(app, config=settings)
    store = app.extensions["cache"][cache]
    local = None
    if redis_url:
        local = SimpleCache(app.config["PAGE_CACHE_MAX_ENTRIES"], app.config["PAGE_CACHE_TIMEOUT"])
    app.extensions["page_store"] = PageStore(store, local)
    return store
