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
