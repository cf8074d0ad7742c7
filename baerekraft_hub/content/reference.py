"""Reference data the content pages show around their lists: the goals' names, the counties,
the tags and start years the filters offer, how many items are published.

It changes with an import or a publish, not per visit: each value is read once per process
per content generation (`per_generation`, moved on by every commit) and kept as plain values,
never ORM rows, which belong to one request's session.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.content.queries import Kind, registered_kinds
from baerekraft_hub.core.i18n import LocalText, localized
from baerekraft_hub.core.pagecache import per_generation
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.sdg.models import Goal


@dataclass(frozen=True, slots=True)
class GoalName:
    """A goal's number and short title (in the reader's language), for tiles and filters."""

    number: int
    short_title_en: str
    short_title_nb: str | None
    short_title_nn: str | None

    @property
    def short_title(self) -> LocalText:
        return localized(self, "short_title")


@dataclass(frozen=True, slots=True)
class County:
    number: str
    name: str


@per_generation
def goal_names() -> tuple[GoalName, ...]:
    """The 17 goals in order."""
    columns = (Goal.number, Goal.short_title_en, Goal.short_title_nb, Goal.short_title_nn)
    rows = db.session.execute(db.select(*columns).order_by(Goal.number))
    return tuple(GoalName(*row) for row in rows)


@per_generation
def counties() -> tuple[County, ...]:
    """The counties, in the order of their numbers: a choice in both list filters."""
    query = db.select(Organisation.number, Organisation.name).where(Organisation.kind == "county")
    return tuple(County(*row) for row in db.session.execute(query.order_by(Organisation.number)))


def published_count(kind: Kind) -> int:
    """How many items of the kind are published: the unfiltered list's total for those who
    see published items only."""
    return _published_counts()[kind.model.__tablename__]


@per_generation
def _published_counts() -> dict[str, int]:
    def count(model) -> sa.ScalarSelect:
        published = model.state == PublicationState.PUBLISHED.value
        return sa.select(sa.func.count(model.id)).where(published).scalar_subquery()

    kinds = registered_kinds()
    row = db.session.execute(sa.select(*(count(kind.model) for kind in kinds))).one()
    return {kind.model.__tablename__: n for kind, n in zip(kinds, row, strict=True)}
