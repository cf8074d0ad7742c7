"""Follow and unfollow (a button that swaps in place with htmx), and "Mine følger"."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from baerekraft_hub.core import htmx
from baerekraft_hub.core.urls import safe_next
from baerekraft_hub.follows import bp, queries, services, suggestions
from baerekraft_hub.follows.kinds import followable_of
from baerekraft_hub.follows.models import FollowKind


def load_followable(kind: str, key: str) -> services.Followed:
    """What the URL names, if it exists and the user may see it; 404 otherwise."""
    follow_kind = FollowKind.from_slug(kind)
    if follow_kind is None:
        abort(404)
    try:
        return services.find_followable(current_user, follow_kind.value, key[:20])
    except services.NotFollowable:
        abort(404)


@bp.post("/folg/<kind>/<key>/")
@login_required
def follow(kind: str, key: str):
    followed = load_followable(kind, key)
    services.follow(current_user, followed)
    return _answer(followed, _("You follow %(name)s.", name=followed.name))


@bp.post("/folg/<kind>/<key>/slutt/")
@login_required
def unfollow(kind: str, key: str):
    followed = load_followable(kind, key)
    services.unfollow(current_user, followed)
    return _answer(followed, _("You no longer follow %(name)s.", name=followed.name))


def _answer(followed: services.Followed, message: str):
    """htmx gets the button in its new state; without JavaScript, back to the page."""
    if htmx.is_partial():
        state = queries.follow_state(current_user, followed.kind, followed.key, followed.name)
        return render_template("follows/_button.html", state=state)
    flash(message, "success")
    return redirect(safe_next(request.form.get("next"), default=followed.url))


@bp.get("/profil/folger/")
@login_required
def mine():
    user = current_user._get_current_object()
    follows = queries.follows_of(user)
    suggested = suggestions.suggestions_for(user, follows.keys)
    on_page = [obj for _entry, items in follows.groups for obj in items]
    on_page += [*suggested.organisations, *suggested.projects]
    return render_template(
        "follows/mine.html",
        follows=follows,
        suggestions=suggested,
        states=queries.follow_states(user, [_thing(obj) for obj in on_page]),
        followable_of=followable_of,
    )


def _thing(obj) -> tuple[FollowKind, str, str]:
    entry = followable_of(obj)
    return entry.kind, entry.key_of(obj), entry.label(obj)
