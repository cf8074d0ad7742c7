""" "Nytt for deg": what happened to what the user follows, newest first."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required

from baerekraft_hub.activity import bp, queries
from baerekraft_hub.core.pagination import page_number


@bp.get("/nytt-for-deg/")
@login_required
def feed():
    page = page_number(request.args)
    pagination, entries = queries.feed(current_user._get_current_object(), page=page)
    return render_template("activity/feed.html", pagination=pagination, entries=entries)
