"""Practice pages: list, show, create, edit, publish, and "we are reusing this"."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from baerekraft_hub.content import item_views
from baerekraft_hub.content import services as content
from baerekraft_hub.content.visibility import can_see
from baerekraft_hub.core import htmx, policy
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.forms import show_error
from baerekraft_hub.core.urls import id_from
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices import bp, queries, services
from baerekraft_hub.practices.editing import data_from_form, fill_form, prepare_form
from baerekraft_hub.practices.forms import PracticeForm, ReuseForm
from baerekraft_hub.practices.queries import PracticeFilters
from baerekraft_hub.projects.editing import read_filters, target_groups
from baerekraft_hub.projects.queries import filter_choices
from baerekraft_hub.sdg.services import all_goals


def load_practice(practice_id: int, *, edit: bool = False):
    """The practice if the user may see it (404 otherwise), and may edit it when asked (403)."""
    practice = queries.get_practice(practice_id)
    if practice is None or not can_see(current_user, practice):
        abort(404)
    if edit and not policy.can_edit_item(current_user, practice):
        abort(403)
    return practice


@bp.get("/praksis/")
def index():
    common = read_filters(request.args)
    filters = PracticeFilters(
        goal=common.goal,
        target=common.target,
        county=common.county,
        municipality=common.municipality,
        tag=common.tag,
        page=common.page,
    )
    return htmx.render(
        "practices/index.html",
        "practices/_results.html",
        pagination=queries.practice_list(filters, current_user),
        filters=filters,
        choices=filter_choices(),
        goals=all_goals(),
    )


def refuse_keeping_text(form, practice):
    message = _(
        "You no longer have the right to save this practice. Your text is kept below so "
        "you can copy it; ask an administrator of your organisation for access."
    )
    return item_views.refuse_keeping_text(message, render_form, form, practice)


def render_form(form, practice, status=None):
    if status is None:
        status = 422 if form.errors and request.method == "POST" else 200
    html = render_template(
        "practices/form.html", form=form, practice=practice, target_groups=target_groups(form)
    )
    return html, status


@bp.route("/praksis/ny/", methods=["GET", "POST"])
@login_required
def create():
    if not policy.editable_organisations(current_user) and not policy.is_coordinator(current_user):
        if request.method == "POST":
            return refuse_keeping_text(prepare_form(PracticeForm(), current_user), None)
        abort(403)
    form = prepare_form(PracticeForm(), current_user)
    if form.validate_on_submit():
        try:
            practice = services.create_practice(data_from_form(form), current_user)
        except ValidationError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The practice was saved as a draft."), "success")
            return redirect(url_for("practices.show", practice_id=practice.id))
    return render_form(form, None)


@bp.get("/praksis/<int:practice_id>/")
def show(practice_id: int):
    practice = load_practice(practice_id)
    reusers = [o for o in policy.editable_organisations(current_user) if o.id != practice.owner_id]
    reuse_form = ReuseForm(formdata=None)
    reuse_form.organisation.choices = [(o.id, o.name) for o in reusers]
    adopted = {a.organisation_id for a in practice.adoptions}
    return render_template(
        "practices/show.html",
        practice=practice,
        can_edit=policy.can_edit_item(current_user, practice),
        reuse_form=reuse_form if reusers else None,
        own_adoptions=[o for o in reusers if o.id in adopted],
    )


@bp.route("/praksis/<int:practice_id>/rediger/", methods=["GET", "POST"])
@login_required
def edit(practice_id: int):
    practice = load_practice(practice_id)
    if not policy.can_edit_item(current_user, practice):
        if request.method == "POST":
            return refuse_keeping_text(
                prepare_form(PracticeForm(), current_user, practice), practice
            )
        abort(403)
    form = prepare_form(PracticeForm(), current_user, practice)
    if request.method == "GET":
        fill_form(form, practice)
    elif form.validate_on_submit():
        try:
            services.update_practice(
                practice, data_from_form(form), current_user, int(form.version.data or 0)
            )
        except content.EditConflict:
            db.session.rollback()
            practice = load_practice(practice_id, edit=True)
            form.version.data = practice.version
            flash(
                _(
                    "Someone else saved this practice while you were editing. Your text is "
                    "kept below: compare it with the saved version and save again."
                ),
                "error",
            )
            return render_form(form, practice, status=409)
        except ValidationError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The practice was saved."), "success")
            return redirect(url_for("practices.show", practice_id=practice.id))
    return render_form(form, practice)


@bp.post("/praksis/<int:practice_id>/publiser/")
@login_required
def publish(practice_id: int):
    practice = load_practice(practice_id, edit=True)
    back_url = url_for("practices.show", practice_id=practice.id)
    return item_views.publish(practice, done=_("The practice is published."), back_url=back_url)


@bp.route("/praksis/<int:practice_id>/avpubliser/", methods=["GET", "POST"])
@login_required
def unpublish(practice_id: int):
    practice = load_practice(practice_id, edit=True)
    back_url = url_for("practices.show", practice_id=practice.id)
    done = _("The practice is no longer published.")
    return item_views.unpublish(practice, done=done, back_url=back_url)


@bp.route("/praksis/<int:practice_id>/slett/", methods=["GET", "POST"])
@login_required
def delete(practice_id: int):
    practice = load_practice(practice_id, edit=True)
    back_url = url_for("practices.show", practice_id=practice.id)
    done = _("The practice was deleted.")
    return item_views.delete(
        practice, done=done, back_url=back_url, list_url=url_for("practices.index")
    )


@bp.post("/praksis/<int:practice_id>/gjenbruk/")
@login_required
def reuse(practice_id: int):
    """ "We are reusing this" (or, with undo, take it back) for one of the user's organisations."""
    practice = load_practice(practice_id)
    if not practice.is_published:
        abort(404)
    organisation_id = id_from(request.form.get("organisation"))
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None or not policy.can_mark_reuse(current_user, practice, organisation):
        abort(403)
    form = ReuseForm()
    form.organisation.choices = [(organisation.id, organisation.name)]
    if not form.validate_on_submit():
        abort(400)
    if request.form.get("undo"):
        services.unmark_reused(practice, organisation)
        flash(_("%(name)s no longer marked as reusing this practice.", name=organisation.name))
    elif services.mark_reused(practice, organisation, current_user):
        flash(
            _("%(name)s is now listed as reusing this practice.", name=organisation.name), "success"
        )
    else:
        flash(_("%(name)s was already listed as reusing this practice.", name=organisation.name))
    db.session.commit()
    return redirect(url_for("practices.show", practice_id=practice.id, _anchor="reuse"))
