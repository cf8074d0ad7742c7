"""Finding practices: the filtered list, one practice's page, and what other pages show."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from baerekraft_hub.content import cards, reference
from baerekraft_hub.content import queries as content
from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.content.visibility import newest_first, sees_only_published, visible_to
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations import services as organisation_services
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices.models import (
    Practice,
    PracticeAdoption,
    practice_goal,
    practice_tag,
    practice_target,
)
from baerekraft_hub.sdg.models import Target

PRACTICES = content.register_kind(
    content.Kind(Practice, practice_target, practice_goal, practice_tag)
)


PracticeFilters = content.ContentFilters


def filtered(filters: PracticeFilters, user) -> sa.Select:
    """SELECT of the practices the user may see that match the filters, newest first."""
    visible = visible_to(PRACTICES, user, narrowed=filters.narrows_by_id())
    query = db.select(Practice).where(visible)
    query = content.apply_filters(PRACTICES, query, filters)
    return query.order_by(*newest_first(PRACTICES, user))


def practice_list(filters: PracticeFilters, user, per_page: int = 20) -> cards.CardPagination:
    """One page of matching practices, as cards."""
    total = None
    if not filters.active() and sees_only_published(user):
        total = reference.published_count(PRACTICES)  # kept per generation: no count query
    return cards.card_page(PRACTICES, filtered(filters, user), filters.page, per_page, total)


def filter_choices() -> dict:
    """What the practice list's filters offer besides the fixed lists: the counties."""
    return {"counties": organisation_services.counties()}


def get_practice(practice_id: int) -> Practice | None:
    """A practice with everything its page shows: a target's goal and an adoption's
    organisation joined to their rows (two queries less), of the linked projects only what
    the page shows (not their descriptions)."""
    project = content.kind_named("project").model
    return content.get_item(
        Practice,
        practice_id,
        selectinload(Practice.targets).joinedload(Target.goal),
        selectinload(Practice.goals),
        selectinload(Practice.tags),
        selectinload(Practice.projects).load_only(project.id, project.title, project.state),
        selectinload(Practice.adoptions).joinedload(PracticeAdoption.organisation),
    )


def published(filters: PracticeFilters, limit: int = 100) -> cards.Shown:
    """The newest published practices matching the filters, for the goal and target pages,
    and how many match."""
    return cards.first_cards(PRACTICES, filtered(filters, None), limit)


def published_for_organisation(organisation: Organisation, limit: int = 100) -> cards.Shown:
    """The newest published practices the organisation owns, and how many it has."""
    query = (
        db.select(Practice)
        .where(Practice.state == PublicationState.PUBLISHED.value)
        .where(Practice.owner_id == organisation.id)
        .order_by(Practice.published_at.desc())
    )
    return cards.first_cards(PRACTICES, query, limit)


def coverage_of(organisation: Organisation) -> tuple[content.Kind, sa.Select]:
    """The published practices the organisation owns, for `goals_with_counts`."""
    ids = db.select(Practice.id).where(
        Practice.state == PublicationState.PUBLISHED.value, Practice.owner_id == organisation.id
    )
    return PRACTICES, ids
