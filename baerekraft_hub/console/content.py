"""What the coordinator does to content: unpublish or republish any project or practice with a
reason, and choose what the home page features. Each is audited; none commits.

Unpublishing goes through `content.services.unpublish`, whose signal queues the email to the
owner organisation's editors (content/notifications.py), in their language, in this transaction.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload

from baerekraft_hub.audit import record
from baerekraft_hub.content import services as content
from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.core.dialects import lock_named
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import db
from baerekraft_hub.practices.models import Practice
from baerekraft_hub.projects.models import Project

MAX_FEATURED = 6
KINDS = {"prosjekt": Project, "praksis": Practice}  # the URL's word for each kind


def kind_of(item) -> str:
    return item.__tablename__  # "project" or "practice"


def items(model, query: str = "", state: str = ""):
    """Every item of the kind, in any state, newest first (a SELECT to paginate)."""
    select = db.select(model).options(selectinload(model.owner))
    query = query.strip()
    if query:
        select = select.where(
            or_(
                model.title.icontains(query, autoescape=True),
                model.summary.icontains(query, autoescape=True),
            )
        )
    if state in {s.value for s in PublicationState}:
        select = select.where(model.state == state)
    return select.order_by(model.updated_at.desc(), model.id.desc())


def _audit(actor, action: str, item, reason: str | None) -> None:
    record(actor, action, kind_of(item), item.id, reason, {"label": item.title[:200]})


def unpublish(actor, item, reason: str) -> None:
    if not item.is_published:
        raise ValidationError(_l("Only published content can be unpublished."))
    content.unpublish(item, actor, reason)
    item.featured_at = None
    _audit(actor, "content.unpublish", item, reason)


def republish(actor, item, reason: str | None = None) -> None:
    if item.state != PublicationState.UNPUBLISHED.value:
        raise ValidationError(_l("Only unpublished content can be republished."))
    content.publish(item, actor)
    _audit(actor, "content.republish", item, reason)


def featured_count() -> int:
    """How many items are featured now, counted under a lock: two coordinators featuring at
    once cannot make seven (the second waits, then counts afresh)."""
    lock_named("featured")
    return sum(
        db.session.scalar(db.select(func.count(model.id)).where(model.featured_at.is_not(None)))
        for model in (Project, Practice)
    )


def feature(actor, item, reason: str | None = None) -> bool:
    """Show the item on the home page; refused for a seventh, or for unpublished content."""
    if item.featured_at is not None:
        return False
    if not item.is_published:
        raise ValidationError(_l("Only published content can be featured on the home page."))
    if featured_count() >= MAX_FEATURED:
        raise ValidationError(
            _l(
                "The home page already features %(max)d items. Remove one of them first.",
                max=MAX_FEATURED,
            )
        )
    item.featured_at = utcnow()
    _audit(actor, "content.feature", item, reason)
    return True


def unfeature(actor, item, reason: str | None = None) -> bool:
    if item.featured_at is None:
        return False
    item.featured_at = None
    _audit(actor, "content.unfeature", item, reason)
    return True


def featured() -> list:
    """What is featured now, newest choice first (both kinds, any state)."""
    found = []
    for model in (Project, Practice):
        found += db.session.scalars(
            db.select(model)
            .where(model.featured_at.is_not(None))
            .options(selectinload(model.owner))
        ).all()
    return sorted(found, key=lambda i: i.featured_at, reverse=True)
