"""Follow and unfollow (a button that swaps in place with htmx), and "Mine følger"."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from baerekraft_hub.core import htmx
from baerekraft_hub.core.urls import safe_next
from baerekraft_hub.follows import bp, queries, services
from baerekraft_hub.follows.labels import name_of, page_of
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
    return _answer(followed, _("You follow %(name)s.", name=name_of(followed)))


@bp.post("/folg/<kind>/<key>/slutt/")
@login_required
def unfollow(kind: str, key: str):
    followed = load_followable(kind, key)
    services.unfollow(current_user, followed)
    return _answer(followed, _("You no longer follow %(name)s.", name=name_of(followed)))


def _answer(followed: services.Followed, message: str):
    """htmx gets the button in its new state; without JavaScript, back to the page."""
    if htmx.is_partial():
        state = queries.follow_state(current_user, followed.kind, followed.key, name_of(followed))
        return render_template("follows/_button.html", state=state)
    flash(message, "success")
    return redirect(safe_next(request.form.get("next"), default=page_of(followed)))


@bp.get("/profil/folger/")
@login_required
def mine():
    user = current_user._get_current_object()
    follows = queries.follows_of(user)
    suggestions = queries.suggestions_for(user, follows.keys)
    return render_template(
        "follows/mine.html",
        follows=follows,
        suggestions=suggestions,
        states=queries.follow_states(user, _things_on_page(follows, suggestions)),
        FollowKind=FollowKind,
    )


def _things_on_page(follows: queries.MyFollows, suggestions: queries.Suggestions) -> list:
    things = [(FollowKind.ORGANISATION, str(o.id), o.name) for o in follows.organisations]
    things += [
        (FollowKind.GOAL, str(g.number), name_of(services.Followed(FollowKind.GOAL, "", g)))
        for g in follows.goals
    ]
    things += [(FollowKind.TARGET, t.id, _("Target %(id)s", id=t.id)) for t in follows.targets]
    things += [(FollowKind.PROJECT, str(p.id), p.title) for p in follows.projects]
    things += [(FollowKind.PRACTICE, str(p.id), p.title) for p in follows.practices]
    things += [(FollowKind.ORGANISATION, str(o.id), o.name) for o in suggestions.organisations]
    things += [(FollowKind.PROJECT, str(p.id), p.title) for p in suggestions.projects]
    return things
