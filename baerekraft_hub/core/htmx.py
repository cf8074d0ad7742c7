"""One place that decides between a whole page and the fragment htmx asked for."""

from __future__ import annotations

from flask import render_template, request


def is_partial() -> bool:
    """True when htmx asks for a fragment; a history restore needs the whole page."""
    return wants_fragment(request.headers)


def wants_fragment(headers) -> bool:
    """`is_partial` for given request headers (the page cache asks before Flask runs)."""
    return (
        headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") != "true"
    )


def render(page: str, fragment: str, **context) -> str:
    """Render `fragment` for htmx and `page` (which includes the same fragment) otherwise."""
    return render_template(fragment if is_partial() else page, **context)


def add_vary_header(response):
    """Responses differ by HX-Request: caches must keep the page and the fragment apart."""
    response.vary.add("HX-Request")
    return response
