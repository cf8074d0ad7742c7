"""What "Your follows" suggests to an organisation's members, computed ahead by the worker.

Asked live, a member of a large municipality (Molde on the bench data: 61 targets, about
5,000 projects on them) costs 70-90 ms of SQL a page view: every project on those targets is
counted. The ranking depends only on the organisation's targets, so the worker ranks it for
every organisation with published projects at once (one read of the published links, counted
in memory as a digest run does) when published work has changed, and at least hourly. The
page reads the organisation's first rows, skipping what the person follows.

The stored ranking is the live one only when the person's targets are their organisation's:
one organisation, and every followed target among its targets. Otherwise (and before the
worker's first run) `suggestions_for` asks the database as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from baerekraft_hub.core.models import utcnow
from baerekraft_hub.follows.models import FollowKind, OrganisationSuggestion, OrganisationWork
from baerekraft_hub.follows.peers import register_refresh
from baerekraft_hub.follows.suggestions import STORED, SuggestionIndex

ORGANISATION = FollowKind.ORGANISATION.value
PROJECT = FollowKind.PROJECT.value


def refresh_suggestions(session: Session, stored: int = STORED) -> int:
    """Rank suggestions for every organisation with published projects and replace the stored
    ones; returns how many rows."""
    index = SuggestionIndex.load(session=session)
    now = utcnow()
    work, rows = [], []
    for organisation_id, targets in index.by_owner.items():
        work.append(
            {
                "organisation_id": organisation_id,
                "target_ids": " ".join(sorted(targets)),
                "computed_at": now,
            }
        )
        organisations, projects = index.suggest(
            targets, {organisation_id}, set(), stored, remember=False
        )
        for kind, ids in ((ORGANISATION, organisations), (PROJECT, projects)):
            rows += [
                {"organisation_id": organisation_id, "kind": kind, "rank": rank, "item_id": i}
                for rank, i in enumerate(ids)
            ]
    session.execute(sa.delete(OrganisationSuggestion))
    session.execute(sa.delete(OrganisationWork))
    if work:
        session.execute(sa.insert(OrganisationWork), work)
    if rows:
        session.execute(sa.insert(OrganisationSuggestion), rows)
    session.commit()
    return len(rows)


def init_app(app: Flask) -> None:
    """The worker keeps the organisations' suggestions computed."""
    register_refresh("organisation-suggestions", refresh_suggestions, "suggestions")
