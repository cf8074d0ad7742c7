"""Practice pages: list, show, "we are reusing this"; create, edit, publish, delete through
`content.item_views`.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from baerekraft_hub.content import item_views
from baerekraft_hub.content.editing import read_filters, target_groups
from baerekraft_hub.core import htmx
from baerekraft_hub.core.urls import id_from
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships import policy
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices import bp, editing, queries, services
from baerekraft_hub.practices.forms import PracticeForm, ReuseForm
from baerekraft_hub.practices.queries import PracticeFilters
from baerekraft_hub.sdg.services import all_goal_texts


@bp.get("/praksis/")
def index():
    filters = read_filters(request.args, PracticeFilters)
    return htmx.render(
        "practices/index.html",
        "practices/_results.html",
        pagination=queries.practice_list(filters, current_user),
        filters=filters,
        choices=queries.filter_choices(),
        goals=all_goal_texts(),
    )


def render_form(form, practice) -> str:
    """The create/edit page."""
    return render_template(
        "practices/form.html", form=form, practice=practice, target_groups=target_groups(form)
    )


@bp.get("/praksis/<int:practice_id>/")
def show(practice_id: int):
    practice = PAGES.load(practice_id)
    reusers = [o for o in policy.editable_organisations(current_user) if o.id != practice.owner_id]
    reuse_form = None
    if reusers:  # a form (and its CSRF token) only for who can use it: see projects.show
        reuse_form = ReuseForm(formdata=None)
        reuse_form.organisation.choices = [(o.id, o.name) for o in reusers]
    adopted = {a.organisation_id for a in practice.adoptions}
    return render_template(
        "practices/show.html",
        practice=practice,
        can_edit=policy.can_edit_item(current_user, practice),
        reuse_form=reuse_form,
        own_adoptions=[o for o in reusers if o.id in adopted],
    )


PAGES = item_views.ItemPages(
    kind="practice",
    get=queries.get_practice,
    form_class=PracticeForm,
    editing=editing,
    create=services.create_practice,
    update=services.update_practice,
    render_form=render_form,
)
item_views.add_routes(bp, PAGES, "/praksis/")


@bp.post("/praksis/<int:practice_id>/gjenbruk/")
@login_required
def reuse(practice_id: int):
    """ "We are reusing this" (or, with undo, take it back) for one of the user's organisations."""
    practice = PAGES.load(practice_id)
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
    return redirect(url_for("practices.show", practice_id=practice.id, _anchor="reuse"))
