"""People in the console: the list, one person's page, and what the coordinator does there."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from baerekraft_hub.accounts.models import User
from baerekraft_hub.console import bp, people
from baerekraft_hub.console.forms import ActionForm, ReasonForm, RoleChangeForm, person_forms
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.pagination import page_number, paginate
from baerekraft_hub.core.urls import safe_next
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships.models import Membership, Role
from baerekraft_hub.memberships.services import pending_requests

MAX_QUERY = 100


@bp.get("/personer/")
def people_page():
    query = request.args.get("q", "")[:MAX_QUERY]
    page = paginate(people.people(query), page_number(request.args), per_page=30)
    return render_template(
        "console/people.html",
        page=page,
        query=query,
        pending=pending_requests(),
        args={"q": query} if query else {},
    )


def _person(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _show(user: User, sent: str | None = None, form=None, status: int = 200):
    forms = person_forms(user)
    if sent is not None:
        forms[sent] = form
    return render_template("console/person.html", person=user, forms=forms), status


@bp.get("/personer/<int:user_id>/")
def person(user_id: int):
    return _show(_person(user_id))


def _act(user: User, name: str, form, action, success: str):
    """Validate the form sent from the person's page, run `action`; the page again on error."""
    if not form.validate_on_submit():
        return _show(user, name, form, 422)
    try:
        changed = action(form)
    except ValidationError as error:
        form.form_errors.append(error.message)
        return _show(user, name, form, 422)
    flash(success if changed is not False else _("Nothing to change."), "success")
    back = url_for("console.person", user_id=user.id)
    return redirect(safe_next(form.next.data, back) if hasattr(form, "next") else back)


def _me() -> User:
    return current_user._get_current_object()


@bp.post("/personer/<int:user_id>/koordinator/")
def set_coordinator(user_id: int):
    user = _person(user_id)
    make = not user.is_coordinator
    return _act(
        user,
        "coordinator",
        ActionForm(prefix="coordinator"),
        lambda f: people.set_coordinator(_me(), user, make, f.reason.data),
        _("%(name)s is now a network coordinator.", name=user.name)
        if make
        else _("%(name)s is no longer a network coordinator.", name=user.name),
    )


@bp.post("/personer/<int:user_id>/deaktiver/")
def deactivate(user_id: int):
    user = _person(user_id)
    return _act(
        user,
        "deactivate",
        ReasonForm(prefix="deactivate"),
        lambda f: people.deactivate(_me(), user, f.reason.data),
        _("%(name)s can no longer sign in. Their content stays.", name=user.name),
    )


@bp.post("/personer/<int:user_id>/aktiver/")
def reactivate(user_id: int):
    user = _person(user_id)
    return _act(
        user,
        "reactivate",
        ActionForm(prefix="reactivate"),
        lambda f: people.reactivate(_me(), user, f.reason.data),
        _("%(name)s can sign in again.", name=user.name),
    )


def _membership(membership_id: int) -> Membership:
    return db.session.get(Membership, membership_id) or abort(404)


DECISIONS = {
    # URL word: (what the coordinator does, what they are told)
    "godkjenn": (
        lambda me, m, f: people.approve(me, m, Role(f.role.data), f.reason.data),
        _l("The request is approved, and the person has been told by email."),
    ),
    "avsla": (
        lambda me, m, f: people.decline(me, m, f.reason.data),
        _l("The request is declined, and the person has been told by email."),
    ),
    "rolle": (
        lambda me, m, f: people.change_role(me, m, Role(f.role.data), f.reason.data),
        _l("The role is changed."),
    ),
}


@bp.post("/medlemskap/<int:membership_id>/<any(godkjenn, avsla, rolle):decision>/")
def decide(membership_id: int, decision: str):
    """Answer a request or change a member's role (from a person's page or the overview)."""
    membership = _membership(membership_id)
    form = RoleChangeForm(prefix=f"m{membership.id}")
    if decision == "avsla":
        form.role.validate_choice = False  # the role is not needed to decline
    run, success = DECISIONS[decision]
    return _act(
        membership.user,
        f"m{membership.id}",
        form,
        lambda f: run(_me(), membership, f),
        str(success),
    )
