"""Network membership in the console: the members, adding one, changing or ending one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from baerekraft_hub.console import bp, network
from baerekraft_hub.console.forms import ActionForm, NetworkMemberForm
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.forms import show_error
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.organisations.services import get_by_slug


def _member_org(slug: str) -> Organisation:
    organisation = get_by_slug(slug[:80])
    if organisation is None or organisation.kind not in network.KINDS:
        abort(404)
    return organisation


def _save(form: NetworkMemberForm, organisation: Organisation | None):
    """Save a valid form; the error (next to its field) otherwise. Whether it was saved."""
    if not form.validate_on_submit():
        return False
    organisation = organisation or _member_org(form.organisation.data)
    try:
        network.save(
            current_user._get_current_object(),
            organisation,
            form.since.data,
            form.contact_name.data,
            form.contact_email.data,
            form.reason.data,
        )
    except ValidationError as error:
        show_error(form, error)
        return False
    flash(
        _(
            "%(name)s is a member of the network since %(date)s.",
            name=organisation.name,
            date=form.since.data.isoformat(),
        ),
        "success",
    )
    return True


@bp.route("/nettverk/", methods=["GET", "POST"])
def network_page():
    form = NetworkMemberForm()
    form.organisation.choices = [("", "")] + network.candidates()
    if _save(form, None):
        return redirect(url_for("console.network_page"))
    return render_template(
        "console/network.html", form=form, members=network.members()
    ), 422 if form.errors else 200


@bp.route("/nettverk/<slug>/", methods=["GET", "POST"])
def network_member(slug: str):
    organisation = _member_org(slug)
    form = NetworkMemberForm()
    form.organisation.validators = []  # named by the address
    form.organisation.validate_choice = False
    if not form.is_submitted():
        form.since.data = organisation.network_member_since
        form.contact_name.data = organisation.network_contact_name
        form.contact_email.data = organisation.network_contact_email
    if _save(form, organisation):
        return redirect(url_for("console.network_page"))
    return render_template(
        "console/network_member.html",
        organisation=organisation,
        form=form,
        leave_form=ActionForm(prefix="leave", formdata=None),
    ), 422 if form.errors else 200


@bp.post("/nettverk/<slug>/fjern/")
def network_leave(slug: str):
    organisation = _member_org(slug)
    form = ActionForm(prefix="leave")
    if not form.validate_on_submit():
        abort(400)
    if network.leave(current_user._get_current_object(), organisation, form.reason.data):
        flash(
            _("%(name)s is no longer a member of the network.", name=organisation.name), "success"
        )
    return redirect(url_for("console.network_page"))
