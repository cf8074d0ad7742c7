"""How a followed thing is named and where its page is."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from baerekraft_hub.follows.models import FollowKind


def name_of(followed) -> str:
    """'Molde', 'Goal 13: Climate action', 'Target 13.1', or the project's title."""
    obj = followed.obj
    if followed.kind == FollowKind.ORGANISATION:
        return obj.name
    if followed.kind == FollowKind.GOAL:
        return _("Goal %(number)s: %(title)s", number=obj.number, title=obj.short_title)
    if followed.kind == FollowKind.TARGET:
        return _("Target %(id)s", id=obj.id)
    return obj.title


def page_of(followed) -> str:
    """The path of the followed thing's own page."""
    obj = followed.obj
    if followed.kind == FollowKind.ORGANISATION:
        return url_for("pages.organisation", slug=obj.slug)
    if followed.kind == FollowKind.GOAL:
        return url_for("pages.goal", number=obj.number)
    if followed.kind == FollowKind.TARGET:
        return url_for("pages.target", target_id=obj.id)
    if followed.kind == FollowKind.PROJECT:
        return url_for("projects.show", project_id=obj.id)
    return url_for("practices.show", practice_id=obj.id)
