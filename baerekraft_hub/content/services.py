"""Services shared by projects and practices: tags, SDG links, publication, conflicts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.util import identity_key

from baerekraft_hub.content import signals
from baerekraft_hub.content.models import PublicationState, Tag
from baerekraft_hub.core.dialects import insert_ignoring_conflicts
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import db
from baerekraft_hub.sdg.models import Goal, Target


class EditConflict(Exception):
    """Someone else saved this content after the editor opened it."""


MAX_TAG_LENGTH = 60


def normalise_tag(name: str) -> str:
    """'  #Klima-Tilpasning ' -> 'klima-tilpasning': lower case, no hash, single spaces."""
    name = re.sub(r"\s+", " ", name.strip().lstrip("#").strip()).casefold()
    return name[:MAX_TAG_LENGTH]


def split_tags(text: str) -> list[str]:
    """Tags typed as one comma-separated field, normalised, without duplicates."""
    seen: dict[str, None] = {}
    for part in text.split(","):
        tag = normalise_tag(part)
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


def tags_named(names: Iterable[str]) -> list[Tag]:
    """Existing tags by name, creating the missing ones.

    Missing ones are inserted with ON CONFLICT DO NOTHING, then read: when two saves create
    the same new tag at once, the second waits for the first's commit and uses its row.
    """
    names = [n for n in dict.fromkeys(normalise_tag(n) for n in names) if n]
    if not names:
        return []
    query = db.select(Tag).where(Tag.name.in_(names))
    existing = {t.name: t for t in db.session.scalars(query)}
    missing = [{"name": n} for n in names if n not in existing]
    if missing:
        db.session.execute(insert_ignoring_conflicts(Tag, missing, ["name"]))
        existing = {t.name: t for t in db.session.scalars(query)}
    return [existing[n] for n in names]


def suggest_tags(prefix: str, in_sight, limit: int = 10) -> list[str]:
    """Tag names starting with (or containing) what the user typed, among `in_sight` ones."""
    prefix = normalise_tag(prefix)
    if not prefix:
        return []
    query = db.select(Tag.name).where(Tag.name.contains(prefix, autoescape=True), in_sight)
    names = list(db.session.scalars(query.order_by(Tag.name).limit(50)))
    names.sort(key=lambda n: (not n.startswith(prefix), n))
    return names[:limit]


def targets_by_id(ids: Iterable[str]) -> list[Target]:
    """Targets for ids like '11.6'; raises ValidationError naming any unknown id."""
    ids = list(dict.fromkeys(i.strip() for i in ids if i and i.strip()))
    if not ids:
        return []
    found = _in_session(Target, ids)
    if len(found) < len(ids):
        query = db.select(Target).where(Target.id.in_([i for i in ids if i not in found]))
        found.update((t.id, t) for t in db.session.scalars(query))
    unknown = [i for i in ids if i not in found]
    if unknown:
        message = _l("Unknown target: %(ids)s", ids=", ".join(unknown))
        raise ValidationError(message, field="targets")
    return [found[i] for i in ids]


def _in_session(model, keys: list) -> dict:
    """Reference rows (goals, targets) the session already holds, by primary key: an import
    names the same few hundred thousands of times, and each lookup was a query."""
    identity_map = db.session.identity_map
    held = ((key, identity_map.get(identity_key(model, key))) for key in keys)
    return {key: obj for key, obj in held if obj is not None}


def goals_by_number(numbers: Iterable[int]) -> list[Goal]:
    """Goals by number; raises ValidationError naming any number outside 1..17."""
    numbers = list(dict.fromkeys(int(n) for n in numbers))
    if not numbers:
        return []
    found = _in_session(Goal, numbers)
    if len(found) < len(numbers):
        query = db.select(Goal).where(Goal.number.in_([n for n in numbers if n not in found]))
        found.update((g.number, g) for g in db.session.scalars(query))
    unknown = [str(n) for n in numbers if n not in found]
    if unknown:
        message = _l("Unknown goal: %(ids)s", ids=", ".join(unknown))
        raise ValidationError(message, field="goals")
    return [found[n] for n in numbers]


def check_version(content, expected_version: int | None) -> None:
    """Refuse a save that started from an older version than the one stored."""
    if expected_version is not None and expected_version != content.version:
        raise EditConflict()


def publish(content, user) -> None:
    """Make the content public."""
    if content.state == PublicationState.PUBLISHED:
        return
    mark_published(content)
    db.session.flush()
    signals.content_published.send(content, user=user)


def mark_published(content) -> None:
    """Set the published state only: for content not yet inserted (see `announce_created`)."""
    content.state = PublicationState.PUBLISHED.value
    content.published_at = content.published_at or utcnow()
    content.unpublished_reason = None


def announce_created(items, user) -> None:
    """The signals for content inserted together (one flush, ids known), as creating and
    publishing each would have sent them; the receivers' rows go in with the next flush."""
    for item in items:
        signals.content_changed.send(item, user=user)
        if item.state == PublicationState.PUBLISHED:
            signals.content_published.send(item, user=user)


def unpublish(content, user, reason: str | None = None) -> None:
    """Take the content down; the reason is kept and sent to the owner."""
    if content.state != PublicationState.PUBLISHED:
        return
    content.state = PublicationState.UNPUBLISHED.value
    content.unpublished_reason = reason or None
    db.session.flush()
    signals.content_unpublished.send(content, user=user, reason=reason)


def delete(content, user) -> None:
    """Delete the content and everything hanging on it."""
    kind, content_id = content.__tablename__, content.id
    db.session.delete(content)
    db.session.flush()
    signals.content_deleted.send(type(content), kind=kind, id=content_id, user=user)
