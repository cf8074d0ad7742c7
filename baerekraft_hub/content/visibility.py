"""Who may see a project or practice: the one rule, as SQL and as Python.

Published content is public. A draft or an unpublished item is seen by the members (any
role, approved) of its owner and of its participants, and by the coordinator. `visible_to`
writes the rule for a query, `sees` for values in hand; tests/content/test_visibility.py holds
the two to the same table.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import sqlalchemy as sa

from baerekraft_hub.content.models import PublicationState, Tag
from baerekraft_hub.content.queries import Kind, involves
from baerekraft_hub.memberships import policy


def readable_organisation_ids(user) -> set[int]:
    """Organisations whose drafts the user may read: approved memberships, any role."""
    if not policy.is_signed_in(user):
        return set()
    return {m.organisation_id for m in user.memberships if m.is_approved}


def involved_organisation_ids(item) -> set[int]:
    """The item's owner and participants (practices have no participants)."""
    return {item.owner_id, *(o.id for o in getattr(item, "participants", ()))}


def sees(user, *, published: bool, involved: Collection[int]) -> bool:
    """The rule on plain values: for callers that read the item's state up front."""
    if published or policy.is_coordinator(user):
        return True
    return not readable_organisation_ids(user).isdisjoint(involved)


def can_see(user, item) -> bool:
    """The rule for one loaded item."""
    return sees(user, published=item.is_published, involved=involved_organisation_ids(item))


def visible_to(kind: Kind, user, *, narrowed: bool = False):
    """The rule as a WHERE clause on the kind's table.

    `narrowed`: other filters pick the few items by id (a goal and a county). The state is
    then checked on those rows (`state || ''` keeps SQLite off the state index, which made it
    walk every published item: count of goal 13 + county 15, 4.7 ms against 2.0 ms)."""
    if policy.is_coordinator(user):
        return sa.true()
    state = kind.model.state.concat("") if narrowed else kind.model.state
    published = state == PublicationState.PUBLISHED.value
    org_ids = readable_organisation_ids(user)
    return sa.or_(published, involves(kind, sorted(org_ids))) if org_ids else published


def tag_in_sight(kinds: Iterable[Kind], user):
    """The tag is on an item of one of the kinds that the user may see.

    Tag lists must not tell what the drafts of other organisations are about.
    """
    return sa.or_(
        *(
            sa.exists().where(
                kind.tags.c.tag_id == Tag.id, kind.link(kind.tags), visible_to(kind, user)
            )
            for kind in kinds
        )
    )


def newest_first(kind: Kind, user) -> tuple:
    """The lists' order: newest published first, and drafts (no published_at) last.

    When the user sees published items only, no NULL is there to place: the plain order is one
    that the (state, published_at, id) index serves on both databases (PostgreSQL would need
    a NULLS LAST index for the other, which SQLite cannot declare).
    """
    model = kind.model
    if sees_only_published(user):
        return model.published_at.desc(), model.id.desc()
    return model.published_at.desc().nulls_last(), model.id.desc()


def sees_only_published(user) -> bool:
    """The user sees no draft or unpublished item (anonymous visitors, most users)."""
    return not (policy.is_coordinator(user) or readable_organisation_ids(user))
