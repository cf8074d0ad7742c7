"""The signed-in user's own pages: profile, password, their data, deleting the account."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from baerekraft_hub.accounts import bp, services
from baerekraft_hub.accounts.forms import ChangePasswordForm, DeleteAccountForm, ProfileForm
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.forms import render_form, show_error


@bp.route("/profil/", methods=["GET", "POST"])
@login_required
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if request.method == "GET":
        form.newsletter.data = user.newsletter_consent_at is not None
    if form.validate_on_submit():
        try:
            services.update_profile(
                user,
                name=form.name.data,
                title=form.title.data,
                language=form.language.data,
                newsletter=form.newsletter.data,
            )
        except ValidationError as error:
            show_error(form, error)
        else:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_form("accounts/profile.html", form, user=user)


@bp.route("/profil/passord/", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except ValidationError as error:
            show_error(form, error)
        else:
            login_user(user)  # this session carries on; every other one has ended
            flash(_("Your password is changed. You are signed out everywhere else."), "success")
            return redirect(url_for("accounts.profile"))
    return render_form("accounts/change_password.html", form)


@bp.get("/profil/mine-data.json")
@login_required
def export_data():
    data = services.export_user_data(current_user._get_current_object())
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="baerekraftshub-mine-data.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/profil/slett/", methods=["GET", "POST"])
@login_required
def delete_account():
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_user(user, form.password.data)
        except ValidationError as error:
            show_error(form, error)
        else:
            logout_user()
            flash(_("Your account and your personal data are deleted."), "success")
            return redirect(url_for("pages.home"))
    return render_form("accounts/delete_account.html", form)
