"""Pages of lists: the page number from a query string, and one page of a query."""

from __future__ import annotations

from collections.abc import Mapping

from baerekraft_hub.extensions import db

# Beyond this no person is paging; it also keeps OFFSET within what every database takes.
MAX_PAGE = 10_000


def page_number(args: Mapping, name: str = "page") -> int:
    """The page a query string asks for: 1 when missing or malformed, at most MAX_PAGE."""
    raw = str(args.get(name) or "").strip()
    if not (raw.isascii() and raw.isdigit()):
        return 1
    return min(max(int(raw[:12]), 1), MAX_PAGE)


def paginate(query, page: int, per_page: int = 20):
    """One page of a SELECT; a page past the end is empty, never an error."""
    page = min(max(page, 1), MAX_PAGE)
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)
