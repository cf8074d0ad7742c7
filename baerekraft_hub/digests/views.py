"""The digest preference on the profile, and the one-click unsubscribe link."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from baerekraft_hub.accounts.tokens import TokenExpired, TokenInvalid
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.forms import render_form, show_error
from baerekraft_hub.digests import bp, services
from baerekraft_hub.digests.forms import DigestForm
from baerekraft_hub.extensions import csrf


@bp.route("/profil/oppsummering/", methods=["GET", "POST"])
@login_required
def preferences():
    user = current_user._get_current_object()
    form = DigestForm()
    if request.method == "GET":
        form.frequency.data = user.digest_frequency
    if form.validate_on_submit():
        try:
            services.set_frequency(user, form.frequency.data)
        except ValidationError as error:
            show_error(form, error)
        else:
            flash(_("Your digest choice is saved."), "success")
            return redirect(url_for("digests.preferences"))
    return render_form("digests/preferences.html", form)


# The token in the path is this endpoint's credential, and mail providers POST to it without
# a session (RFC 8058 one-click): the one route exempt from CSRF protection.
@bp.route("/avmeld/<token>/", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    try:
        user = services.user_for_unsubscribe_token(token[:500])
    except (TokenExpired, TokenInvalid):
        return render_template("digests/unsubscribe_problem.html"), 400
    if request.method == "POST":
        services.unsubscribe(user)
        return render_template("digests/unsubscribed.html")
    return render_template("digests/unsubscribe.html", token=token)
