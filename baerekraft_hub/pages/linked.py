"""The newest published items linked to a goal, a target or an organisation, as plain rows.

The lists' cards need whole items with their owner, county, targets and goals: an object
graph and three queries per kind, then a card each. At 20 of each kind that was most of the
goal page (27 of its 35 ms on the bench data). These pages read the shown columns as rows
(one query per kind, the owner and county joined) and the goals of both kinds in one more.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import aliased

from baerekraft_hub.content.labels import status_label
from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.content.queries import (
    Kind,
    goal_links,
    involved_ids,
    linked_to_goal,
    linked_to_target,
)
from baerekraft_hub.core.i18n import current_language
from baerekraft_hub.core.pagecache import per_generation
from baerekraft_hub.core.urls import id_url
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.pages.figures import remembered

_NO_CHIPS = Markup()
_CHIP = Markup('<li class="goal-chip sdg-{0}"><span class="ds-sr-only">{1} </span>{0}</li>')


@dataclass(slots=True)
class Row:
    """One item as the rows show it; `status` is a project's label (None for a practice)."""

    id: int
    url: str
    title: str
    summary: str
    language: str
    status: str | None
    owner: str
    county: str | None
    goals: list[int] = field(default_factory=list)
    chips: Markup = _NO_CHIPS  # the goals as the list's <li> chips (`goal_chips`)


# Made once: an alias built per request costs more than the query (its column proxies).
_OWNER, _COUNTY = aliased(Organisation, name="owner"), aliased(Organisation, name="county")


class Rows(list):
    """The first rows of a longer list, and how many there are in all (`total`)."""

    total: int = 0


def _involving(kind: Kind, organisation_id) -> sa.Select:
    """The items the organisation owns or (projects) takes part in.

    Read from the organisation's few ids (through the owner and participant indexes), then
    sorted: with `id IN (...)`, SQLite walked every published item in date order for the few
    that match (Molde on the bench data: 3.7 ms for its projects, 3.8 ms for its 3 practices,
    against 0.1 and 0.02 ms)."""
    ids = involved_ids(kind, [organisation_id])
    if isinstance(ids, sa.Select):
        # Owned only (practices): SQLite would merge a plain SELECT into the outer one and
        # walk the date index again; DISTINCT (a no-op on ids) keeps it apart.
        ids = ids.distinct()
    mine = ids.subquery("mine")
    return sa.select(kind.model).select_from(mine).join(kind.model, kind.model.id == mine.c[0])


LINKED_TO: dict[str, Callable[[Kind, sa.BindParameter], sa.Select]] = {
    "goal": lambda kind, value: sa.select(kind.model).where(linked_to_goal(kind, value)),
    "target": lambda kind, value: sa.select(kind.model).where(linked_to_target(kind, value)),
    "organisation": _involving,
}


@functools.cache
def _statements(kind: Kind, linked_to: str) -> tuple[sa.Select, sa.Select]:
    """The rows and the count of the kind's published items linked to a goal, a target or an
    organisation (`LINKED_TO`), with the value and the limit bound when run: built once per
    process, so SQLAlchemy neither builds them nor works out their cache key per request."""
    model = kind.model
    published = LINKED_TO[linked_to](kind, sa.bindparam("value")).where(
        model.state == PublicationState.PUBLISHED.value
    )
    status = model.status if hasattr(model, "status") else sa.null()
    rows = (
        published.with_only_columns(
            model.id,
            model.title,
            model.summary,
            model.language,
            status,
            _OWNER.name,
            _COUNTY.name,
        )
        .select_from(model)
        .join(_OWNER, _OWNER.id == model.owner_id)
        .outerjoin(_COUNTY, _COUNTY.id == _OWNER.county_id)
        .order_by(model.published_at.desc(), model.id.desc())
        .limit(sa.bindparam("limit"))
    )
    count = sa.select(sa.func.count()).select_from(published.with_only_columns(model.id).subquery())
    return rows, count


def _connection() -> sa.Connection:
    """The session's connection, for statements that read columns only: run there, they
    skip the ORM's execution layer (a third of a small statement's cost), and rows are all
    these pages want."""
    return db.session.connection()


def newest(kind: Kind, linked_to: str, value: int | str, endpoint: str, limit: int) -> Rows:
    """The newest `limit` published items of the kind linked to `value` (a goal number, a
    target id or an organisation id, as `linked_to` says) as rows linking to `endpoint`, and
    how many there are in all.

    The rows come first, alone: the database stops at the `limit`th match (goal 13 on the
    bench data: 0.8 ms, where counting in the same statement took 6 ms, as the window had to
    see all 755 matches). The total is counted only when the list is longer than the page
    shows, and then once per content generation."""
    rows_of, count_of = _statements(kind, linked_to)
    params = {"value": value, "limit": limit}
    rows = _connection().execute(rows_of, params).all()
    url = id_url(endpoint, kind.fk)
    # Each status translated once (a setdefault would translate it for every row first).
    labels = {status: status_label(status) for status in {row[4] for row in rows} if status}
    shown = Rows(
        Row(
            id_, url(id_), title, summary, language, labels.get(status), owner_name, county_name
        )
        for id_, title, summary, language, status, owner_name, county_name in rows
    )  # fmt: skip
    if len(shown) < limit:
        shown.total = len(shown)
    else:
        key = (kind.model.__tablename__, linked_to, value)
        shown.total = remembered(_totals(), key, lambda: db.session.scalar(count_of, params))
    return shown


@per_generation
def _totals() -> dict[tuple, int]:
    """How many items each list has, filled as pages ask (a fresh dict per generation)."""
    return {}


@functools.cache
def _goals_of(kinds: tuple[Kind, ...]) -> sa.CompoundSelect:
    """(kind, item, goal) for the items given per kind (`ids_<table>`), built once."""
    return sa.union_all(
        *(
            pair
            for kind in kinds
            for pair in goal_links(
                kind, sa.bindparam(f"ids_{kind.model.__tablename__}", expanding=True)
            )
        )
    )


def add_goals(*lists: tuple[Kind, Rows]) -> None:
    """Fill each row's goals (chosen directly or through a target, in order, once each) for
    lists of any kinds: one statement for all of them."""
    if not any(rows for _kind, rows in lists):
        return
    goals: dict[tuple[str, int], set[int]] = {}
    ids = {f"ids_{kind.model.__tablename__}": [row.id for row in rows] for kind, rows in lists}
    statement = _goals_of(tuple(kind for kind, _rows in lists))
    for kind_name, item, goal in _connection().execute(statement, ids):
        goals.setdefault((kind_name, item), set()).add(goal)
    language, made = current_language(), _goal_chips()
    for kind, rows in lists:
        name = kind.model.__tablename__
        for row in rows:
            row.goals = sorted(goals.get((name, row.id), ()))
            key = (language, *row.goals)
            if key not in made:
                made[key] = Markup().join(_CHIP.format(goal, _("Goal")) for goal in row.goals)
            row.chips = made[key]


@per_generation
def _goal_chips() -> dict[tuple, Markup]:
    """A row's goal chips by (language, its goals): a few hundred sets at most. Written out
    by the template they were three escaped outputs per chip (Molde's 35 rows: 680 escapes,
    more than the rest of the rows)."""
    return {}
