"""The newest published items linked to a goal, a target or an organisation, as plain rows.

The lists' cards need whole items with their owner, county, targets and goals: an object
graph and three queries per kind, then a card each. At 20 of each kind that was most of the
goal page (27 of its 35 ms on the bench data). These pages read the shown columns as rows
(one query per kind, the owner and county joined) and the goals of both kinds in one more.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.content.queries import Kind, goal_links, involving
from baerekraft_hub.core.pagecache import per_generation
from baerekraft_hub.core.urls import id_url
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation


@dataclass(slots=True)
class Row:
    """One item as the rows show it; `status` is a project's (None for a practice)."""

    id: int
    url: str
    title: str
    summary: str
    language: str
    status: str | None
    owner: str
    county: str | None
    goals: list[int] = field(default_factory=list)


# Made once: an alias built per request costs more than the query (its column proxies).
_OWNER, _COUNTY = aliased(Organisation, name="owner"), aliased(Organisation, name="county")


class Rows(list):
    """The first rows of a longer list, and how many there are in all (`total`)."""

    total: int = 0


def newest(kind: Kind, query: sa.Select, endpoint: str, limit: int, key: str) -> Rows:
    """The first `limit` items of `query` (a SELECT of the kind's model, ordered) as rows
    linking to `endpoint`, and how many it has in all.

    The rows come first, alone: the database stops at the `limit`th match (goal 13 on the
    bench data: 0.8 ms, where counting in the same statement took 6 ms, as the window had to
    see all 755 matches). The total is counted only when the list is longer than the page
    shows, and then once per content generation under `key` (what the query selects)."""
    model = kind.model
    status = model.status if hasattr(model, "status") else sa.null()
    owner, county = _OWNER, _COUNTY
    rows = db.session.execute(
        query.with_only_columns(
            model.id,
            model.title,
            model.summary,
            model.language,
            status,
            owner.name,
            county.name,
        )
        .select_from(model)
        .join(owner, owner.id == model.owner_id)
        .outerjoin(county, county.id == owner.county_id)
        .limit(limit)
    ).all()
    url = id_url(endpoint, kind.fk)
    shown = Rows(Row(row[0], url(row[0]), *row[1:]) for row in rows)
    if len(shown) < limit:
        shown.total = len(shown)
    else:
        shown.total = _total(key, query.with_only_columns(model.id).order_by(None))
    return shown


@per_generation
def _totals() -> dict[str, int]:
    """How many items each list has, filled as pages ask (a fresh dict per generation)."""
    return {}


def _total(key: str, ids: sa.Select) -> int:
    totals = _totals()
    if key not in totals:
        totals[key] = db.session.scalar(sa.select(sa.func.count()).select_from(ids.subquery()))
    return totals[key]


def add_goals(*lists: tuple[Kind, Rows]) -> None:
    """Fill each row's goals (chosen directly or through a target, in order, once each) for
    lists of any kinds: one statement for all of them."""
    pairs = [
        pair for kind, rows in lists if rows for pair in goal_links(kind, [row.id for row in rows])
    ]
    if not pairs:
        return
    goals: dict[tuple[str, int], set[int]] = {}
    for kind_name, item, goal in db.session.execute(sa.union_all(*pairs)):
        goals.setdefault((kind_name, item), set()).add(goal)
    for kind, rows in lists:
        name = kind.model.__tablename__
        for row in rows:
            row.goals = sorted(goals.get((name, row.id), ()))


def involving_organisation(kind: Kind, organisation_id: int) -> sa.Select:
    """The published items the organisation owns or (projects) takes part in, newest first."""
    model = kind.model
    return (
        sa.select(model)
        .where(model.state == PublicationState.PUBLISHED.value)
        .where(involving(kind, [organisation_id]))
        .order_by(model.published_at.desc(), model.id.desc())
    )
