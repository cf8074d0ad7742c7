"""Reference data the content pages show around their lists: how many items are published.
(The goals' names come from `sdg.services.all_goal_texts`, the counties from
`organisations.services.counties`.)

It changes with an import or a publish, not per visit: each value is read once per process
per content generation (`per_generation`, moved on by every commit) and kept as plain values,
never ORM rows, which belong to one request's session.
"""

from __future__ import annotations

import sqlalchemy as sa

from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.content.queries import Kind, registered_kinds
from baerekraft_hub.core.pagecache import per_generation
from baerekraft_hub.extensions import db


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
