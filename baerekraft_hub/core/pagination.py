"""Pages of lists: the page number from a query string, and one page of a query."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from flask_sqlalchemy.pagination import SelectPagination

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


class _WindowPagination(SelectPagination):
    """A page whose ids and total come from one statement (a window count over the ids
    alone), then the page's rows with their loader options by those ids."""

    def _query_items(self) -> list:
        select, session = self._query_args["select"], self._query_args["session"]
        model = select.column_descriptions[0]["entity"]
        ids = select.with_only_columns(model.id, sa.func.count().over())
        rows = session.execute(ids.limit(self.per_page).offset(self._query_offset)).all()
        self._total = rows[0][1] if rows else None
        if not rows:
            return []
        position = {row[0]: n for n, row in enumerate(rows)}
        page = db.select(model).where(model.id.in_(position)).options(*self._query_args["options"])
        return sorted(session.execute(page).unique().scalars(), key=lambda i: position[i.id])

    def _query_count(self) -> int:
        if self._total is None:  # an empty page (past the end): count as usual
            return super()._query_count()
        return self._total


def paginate_ids(query, page: int, per_page: int = 20, options: tuple = ()):
    """`paginate` for a SELECT of one model that is costly to evaluate: the matching set is
    worked out once (page and total in one statement, over ids), not once for the page and
    again for the count; `options` load what the page shows for its rows only."""
    page = min(max(page, 1), MAX_PAGE)
    return _WindowPagination(
        select=query,
        session=db.session(),
        page=page,
        per_page=per_page,
        max_per_page=100,
        error_out=False,
        options=options,
    )
