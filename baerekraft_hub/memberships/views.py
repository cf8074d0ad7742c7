"""Ask to join an organisation; organisation admins and the coordinator answer and manage."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.forms import show_error
from baerekraft_hub.core.transactions import undo_changes
from baerekraft_hub.core.urls import safe_next
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships import bp, policy, services
from baerekraft_hub.memberships.forms import ActionForm, MembershipRequestForm, RoleForm
from baerekraft_hub.memberships.models import Membership, Role
from baerekraft_hub.memberships.signals import membership_managed
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.organisations.services import get_by_slug


@bp.route("/profil/organisasjoner/", methods=["GET", "POST"])
@login_required
def mine():
    """The user's organisations and requests, and the form to ask to join one more."""
    user = current_user._get_current_object()
    form = MembershipRequestForm()
    if request.method == "GET" and request.args.get("org"):
        wanted = get_by_slug(request.args["org"][:80])
        if wanted is not None:
            form.organisation.data = _label_of(wanted)
    if form.validate_on_submit():
        organisation = services.find_organisation(form.organisation.data)
        if organisation is None:
            form.organisation.errors.append(
                _("We found no single organisation by that name. Choose one from the list.")
            )
        else:
            try:
                services.request_membership(user, organisation, Role(form.role.data))
            except ValidationError as error:
                show_error(form, error)
            else:
                flash(
                    _(
                        "You have asked to join %(name)s. You will get an email when an "
                        "administrator has answered.",
                        name=organisation.name,
                    ),
                    "success",
                )
                return redirect(url_for("memberships.mine"))
    return render_template(
        "memberships/mine.html",
        form=form,
        memberships=services.memberships_of(user),
        choices=services.organisation_choices(),
    ), 422 if form.errors else 200


def _label_of(organisation: Organisation) -> str:
    for choice in services.organisation_choices():
        if choice.organisation.id == organisation.id:
            return choice.label
    return organisation.name


def _managed_organisation(slug: str) -> Organisation:
    """The organisation, if the current user may manage its members (404 / 403 otherwise)."""
    organisation = get_by_slug(slug) or abort(404)
    if not policy.can_manage_members(current_user, organisation):
        abort(403)
    return organisation


def _membership_in(organisation: Organisation, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != organisation.id:
        abort(404)
    return membership


@bp.get("/organisasjoner/<slug>/medlemmer/")
@login_required
def members(slug: str):
    organisation = _managed_organisation(slug)
    return render_template(
        "memberships/members.html",
        organisation=organisation,
        pending=services.pending_requests(organisation),
        members=services.members_of(organisation),
        role_form=RoleForm(),
        action_form=ActionForm(),
    )


@bp.get("/koordinator/medlemskap/")
@login_required
def overview():
    """Every waiting request in the network, for the coordinator."""
    if not policy.is_coordinator(current_user):
        abort(403)
    return render_template(
        "memberships/overview.html",
        pending=services.pending_requests(),
        role_form=RoleForm(),
        action_form=ActionForm(),
    )


def _act(slug: str, membership_id: int, form_class, action, success: str, name: str):
    """Run one decision on a membership and go back where the form came from."""
    organisation = _managed_organisation(slug)
    membership = _membership_in(organisation, membership_id)
    form = form_class()
    back = safe_next(form.next.data, url_for("memberships.members", slug=organisation.slug))
    if not form.validate_on_submit():
        abort(400)
    ids = {"membership_id": membership.id, "user_id": membership.user_id}
    try:
        action(membership, form)
    except ValidationError as error:
        undo_changes()
        flash(error.message, "warning")
    else:
        by = current_user._get_current_object()
        membership_managed.send(organisation, action=name, by=by, **ids)
        flash(success, "success")
    return redirect(back)


def _role(form: RoleForm) -> Role:
    if form.role.data not in {r.value for r in Role}:
        abort(400)
    return Role(form.role.data)


@bp.post("/organisasjoner/<slug>/medlemmer/<int:membership_id>/godkjenn/")
@login_required
def approve(slug: str, membership_id: int):
    return _act(
        slug,
        membership_id,
        RoleForm,
        lambda m, f: services.approve(m, role=_role(f), decided_by=current_user),
        _("The request is approved, and the person has been told by email."),
        "approve",
    )


@bp.post("/organisasjoner/<slug>/medlemmer/<int:membership_id>/avsla/")
@login_required
def decline(slug: str, membership_id: int):
    return _act(
        slug,
        membership_id,
        ActionForm,
        lambda m, f: services.decline(m, decided_by=current_user),
        _("The request is declined, and the person has been told by email."),
        "decline",
    )


@bp.post("/organisasjoner/<slug>/medlemmer/<int:membership_id>/rolle/")
@login_required
def change_role(slug: str, membership_id: int):
    return _act(
        slug,
        membership_id,
        RoleForm,
        lambda m, f: services.change_role(m, _role(f)),
        _("The role is changed."),
        "change_role",
    )


@bp.post("/organisasjoner/<slug>/medlemmer/<int:membership_id>/fjern/")
@login_required
def remove(slug: str, membership_id: int):
    return _act(
        slug,
        membership_id,
        ActionForm,
        lambda m, f: services.remove_member(m),
        _("The member is removed."),
        "remove",
    )
