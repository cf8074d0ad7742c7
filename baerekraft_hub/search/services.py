"""Searching from the app: the engine when it can, a simple database search when it cannot."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from markupsafe import escape
from sqlalchemy.orm import selectinload

from baerekraft_hub.content import queries as content
from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.kinds import followable_of
from baerekraft_hub.organisations.models import Organisation, OrgKind
from baerekraft_hub.organisations.services import counties as organisation_counties
from baerekraft_hub.practices.queries import PRACTICES
from baerekraft_hub.projects.queries import PROJECTS
from baerekraft_hub.sdg.services import GoalInfo, all_goal_texts
from baerekraft_hub.search.changes import search_engine
from baerekraft_hub.search.engine import SearchHit, SearchResults, SearchUnavailable
from baerekraft_hub.search.params import SearchParams

log = logging.getLogger(__name__)

FALLBACK_WORDS = 5


@dataclass
class SearchOutcome:
    """Results, and whether they come from the simple database search (index unavailable)."""

    results: SearchResults
    fallback: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.results.total // self.results.per_page))


def goal_names() -> dict[int, GoalInfo]:
    """The goals by number, for the goal filter (kept per content generation by `sdg`)."""
    return {goal.number: goal for goal in all_goal_texts()}


def counties() -> dict[str, str]:
    """The county filter's choices (number: name), kept per content generation."""
    return {county.number: county.name for county in organisation_counties() if county.number}


def run_search(params: SearchParams) -> SearchOutcome:
    """Search the index; if it is missing or broken, search titles and summaries instead."""
    try:
        results = search_engine().search(
            params.q,
            filters=params.filters,
            sort=params.sort,
            page=params.page,
            per_page=params.per_page,
        )
        return SearchOutcome(results)
    except SearchUnavailable:
        log.warning("search index unavailable: falling back to the database search")
        return SearchOutcome(database_search(params), fallback=True)


def _words(text: str) -> list[str]:
    cleaned = "".join(c if c.isalnum() or c in "-." else " " for c in text[:200])
    return [w.lower() for w in cleaned.split()][:FALLBACK_WORDS]


def _filtered(kind: content.Kind, params: SearchParams) -> sa.Select | None:
    model = kind.model
    if params.kinds and model.__tablename__ not in params.kinds:
        return None
    query = db.select(model).where(model.state == PublicationState.PUBLISHED.value)
    for word in _words(params.q):
        query = query.where(
            sa.or_(
                sa.func.lower(model.title).contains(word, autoescape=True),
                sa.func.lower(model.summary).contains(word, autoescape=True),
            )
        )
    if params.goals:
        query = query.where(sa.or_(*[content.linked_to_goal(kind, g) for g in params.goals]))
    if params.counties:
        numbers = db.select(Organisation.number).where(
            Organisation.kind == OrgKind.COUNTY.value, Organisation.name.in_(params.counties)
        )
        in_any = [content.in_county(kind, number) for number in db.session.scalars(numbers)]
        query = query.where(sa.or_(*in_any) if in_any else sa.false())
    if model.__tablename__ == "project":
        if params.statuses:
            query = query.where(model.status.in_(params.statuses))
        if params.start_years:
            years = [sa.extract("year", model.start_date) == y for y in params.start_years]
            query = query.where(sa.or_(*years))
    elif params.statuses or params.start_years:
        return None
    return query


def database_search(params: SearchParams) -> SearchResults:
    """Published content whose title or summary contains every word: the fallback search."""
    limit = params.page * params.per_page
    items, total = [], 0
    for kind in (PROJECTS, PRACTICES):
        query = _filtered(kind, params)
        if query is None:
            continue
        total += db.session.scalar(db.select(sa.func.count()).select_from(query.subquery()))
        ordered = query.order_by(kind.model.updated_at.desc()).limit(limit)
        items += db.session.scalars(ordered.options(selectinload(kind.model.owner)))
    items.sort(key=lambda item: item.updated_at, reverse=True)
    start = (params.page - 1) * params.per_page
    hits = [_hit(item) for item in items[start:limit]]
    return SearchResults(
        total=total, hits=hits, facets={}, page=params.page, per_page=params.per_page
    )


def _hit(item) -> SearchHit:
    entry = followable_of(item)
    return SearchHit(
        kind=entry.kind.value,
        id=item.id,
        title=item.title,
        url=entry.url(item),
        snippet=str(escape(item.summary)),
        organisation=item.owner.name,
        score=0.0,
    )
