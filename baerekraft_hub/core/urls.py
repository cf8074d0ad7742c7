"""Where a `next` parameter may lead."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlsplit

from flask import url_for


def safe_next(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default`.

    Refuses absolute URLs, scheme-relative `//host`, backslash tricks (`/\\host`, `\\\\host`)
    and control characters, all of which browsers may read as another site.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def public_url(endpoint: str, **values) -> str:
    """An absolute URL on the configured PUBLIC_URL, for emails and command-line output.

    Never built from the request's Host header, which a client controls: a password-reset
    link must lead to this site whoever asked for it. Works outside a request too.
    """
    return _public_adapter().build(endpoint, values, force_external=True)


def site_path(endpoint: str, **values) -> str:
    """The path (below PUBLIC_URL's) of a page, the same inside a request or outside one.

    For what stores paths (search documents): no request context needed, so nothing that
    a request's teardown would run again.
    """
    return _public_adapter().build(endpoint, values)


def _public_adapter():
    from flask import current_app

    base = urlsplit(current_app.config["PUBLIC_URL"])
    return current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )


def install_id_converter(app) -> None:
    """Make `<int:...>` in every route match only numbers the database's ids can hold.

    Ids are INTEGER columns: 32 bits on PostgreSQL, 64 on SQLite. A larger number in a URL
    would fail in the database (a 500); with this it matches no route, which is a 404.
    Call before the blueprints are registered: rules pick their converter when added.
    """
    from werkzeug.routing import IntegerConverter

    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    largest = 2**63 - 1 if sqlite else 2**31 - 1

    class IdConverter(IntegerConverter):
        def __init__(self, map, *args, max=largest, **kwargs):  # noqa: A002 - werkzeug's name
            super().__init__(map, *args, max=max, **kwargs)

    app.url_map.converters["int"] = IdConverter
    app.config["MAX_ID"] = largest


def id_from(value: str | None) -> int | None:
    """An id sent in a form or query string, or None when it is not one the database holds."""
    from flask import current_app

    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= current_app.config["MAX_ID"] else None


def id_url(endpoint: str, argument: str) -> Callable[[int | str], str]:
    """The URL of `endpoint` for any value of its one `argument` (an id), from one url_for:
    a list of links costs a string join each rather than a url_for each."""
    head, tail = url_for(endpoint, **{argument: "0"}).rsplit("0", 1)
    return lambda value: f"{head}{quote(str(value), safe='')}{tail}"
