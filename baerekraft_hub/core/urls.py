"""Where a `next` parameter may lead."""

from __future__ import annotations

from urllib.parse import urlsplit


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
    from flask import current_app

    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
