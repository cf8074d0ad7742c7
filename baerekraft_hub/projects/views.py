"""Project pages: list, show, create, edit, publish, progress."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from baerekraft_hub.content import item_views
from baerekraft_hub.content import services as content
from baerekraft_hub.content.visibility import can_see
from baerekraft_hub.core import htmx, policy
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.forms import show_error
from baerekraft_hub.core.markdown import render_markdown
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.models import FollowKind
from baerekraft_hub.follows.queries import follow_state_of
from baerekraft_hub.projects import bp, queries, services
from baerekraft_hub.projects.editing import (
    data_from_form,
    fill_form,
    participant_groups,
    popular_tags,
    prepare_form,
    read_filters,
    suggested_tags,
    target_groups,
)
from baerekraft_hub.projects.forms import (
    IndicatorForm,
    IndicatorValueForm,
    ProjectForm,
    UpdateForm,
)
from baerekraft_hub.projects.models import ResultIndicator
from baerekraft_hub.sdg.services import all_goals
from baerekraft_hub.search.services import similar_projects


def load_project(project_id: int, *, edit: bool = False):
    """The project if the user may see it (404 otherwise), and may edit it when asked (403)."""
    project = queries.get_project(project_id)
    if project is None or not can_see(current_user, project):
        abort(404)
    if edit and not policy.can_edit_item(current_user, project):
        abort(403)
    return project


def refuse_keeping_text(form, project):
    message = _(
        "You no longer have the right to save this project. Your text is kept below so "
        "you can copy it; ask an administrator of your organisation for access."
    )
    return item_views.refuse_keeping_text(message, render_form, form, project)


@bp.get("/prosjekter/")
def index():
    filters = read_filters(request.args)
    pagination = queries.project_list(filters, current_user)
    return htmx.render(
        "projects/index.html",
        "projects/_results.html",
        pagination=pagination,
        filters=filters,
        choices=queries.filter_choices(),
        goals=all_goals(),
    )


@bp.route("/prosjekter/ny/", methods=["GET", "POST"])
@login_required
def create():
    if not policy.editable_organisations(current_user) and not policy.is_coordinator(current_user):
        if request.method == "POST":
            return refuse_keeping_text(prepare_form(ProjectForm(), current_user), None)
        abort(403)
    form = prepare_form(ProjectForm(), current_user)
    if request.form.get("preview"):
        return render_form(form, None, preview=True)
    if form.validate_on_submit():
        try:
            project = services.create_project(data_from_form(form), current_user)
        except ValidationError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The project was saved as a draft."), "success")
            return redirect(url_for("projects.show", project_id=project.id))
    return render_form(form, None)


@bp.get("/prosjekter/<int:project_id>/")
def show(project_id: int):
    project = load_project(project_id)
    return render_template(
        "projects/show.html",
        project=project,
        can_edit=policy.can_edit_item(current_user, project),
        can_post=policy.can_post_update(current_user, project),
        update_form=UpdateForm(formdata=None),
        indicator_form=IndicatorForm(formdata=None),
        value_forms=value_forms(project),
        similar=similar_projects(project.id) if project.is_published else [],
        follow=follow_state_of(current_user, FollowKind.PROJECT, project),
    )


@bp.route("/prosjekter/<int:project_id>/rediger/", methods=["GET", "POST"])
@login_required
def edit(project_id: int):
    project = load_project(project_id)
    if not policy.can_edit_item(current_user, project):
        if request.method == "POST":
            form = prepare_form(ProjectForm(), current_user, project)
            return refuse_keeping_text(form, project)
        abort(403)
    form = prepare_form(ProjectForm(), current_user, project)
    if request.method == "GET":
        fill_form(form, project)
    elif request.form.get("preview"):
        return render_form(form, project, preview=True)
    elif form.validate_on_submit():
        try:
            services.update_project(
                project, data_from_form(form), current_user, int(form.version.data or 0)
            )
        except content.EditConflict:
            db.session.rollback()
            project = load_project(project_id, edit=True)
            form.version.data = project.version
            flash(
                _(
                    "Someone else saved this project while you were editing. Your text is "
                    "kept below: compare it with the saved version and save again."
                ),
                "error",
            )
            return render_form(form, project, status=409)
        except ValidationError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The project was saved."), "success")
            return redirect(url_for("projects.show", project_id=project.id))
    return render_form(form, project)


def render_form(form, project, *, preview: bool = False, status: int | None = None):
    """The create/edit page; 422 when the form was sent with errors."""
    if status is None:
        status = 422 if form.errors and request.method == "POST" else 200
    html = render_template(
        "projects/form.html",
        form=form,
        project=project,
        target_groups=target_groups(form),
        participant_groups=participant_groups(form),
        suggestions=popular_tags(current_user),
        preview=render_markdown(form.description.data) if preview else None,
    )
    return html, status


@bp.get("/prosjekter/stikkord/")
def tag_suggestions():
    """Existing tags like the one being typed (the last one in the comma-separated field)."""
    typed = request.args.get("tags", "")[-200:].split(",")[-1]
    names = suggested_tags(typed, current_user)
    return render_template("projects/_tag_suggestions.html", suggestions=names)


@bp.post("/markdown/forhandsvis/")
def markdown_preview():
    """The description rendered as it will be shown (sanitised)."""
    text = request.form.get("description", "")[:20000]
    return render_template("content/_preview.html", preview=render_markdown(text))


@bp.post("/prosjekter/<int:project_id>/publiser/")
@login_required
def publish(project_id: int):
    project = load_project(project_id, edit=True)
    back_url = url_for("projects.show", project_id=project.id)
    return item_views.publish(project, done=_("The project is published."), back_url=back_url)


@bp.route("/prosjekter/<int:project_id>/avpubliser/", methods=["GET", "POST"])
@login_required
def unpublish(project_id: int):
    project = load_project(project_id, edit=True)
    back_url = url_for("projects.show", project_id=project.id)
    done = _("The project is no longer published.")
    return item_views.unpublish(project, done=done, back_url=back_url)


@bp.route("/prosjekter/<int:project_id>/slett/", methods=["GET", "POST"])
@login_required
def delete(project_id: int):
    project = load_project(project_id, edit=True)
    back_url = url_for("projects.show", project_id=project.id)
    done = _("The project was deleted.")
    return item_views.delete(
        project, done=done, back_url=back_url, list_url=url_for("projects.index")
    )


@bp.post("/prosjekter/<int:project_id>/oppdateringer/")
@login_required
def post_update(project_id: int):
    project = load_project(project_id)
    if not policy.can_post_update(current_user, project):
        abort(403)
    form = UpdateForm()
    if form.validate_on_submit():
        services.post_update(project, form.title.data, form.body.data, current_user)
        db.session.commit()
        flash(_("The update was posted."), "success")
        return redirect(url_for("projects.show", project_id=project.id, _anchor="updates"))
    return _show_with_errors(project, update_form=form)


@bp.post("/prosjekter/<int:project_id>/indikatorer/")
@login_required
def add_indicator(project_id: int):
    project = load_project(project_id, edit=True)
    form = IndicatorForm()
    if form.validate_on_submit():
        services.add_indicator(
            project,
            name=form.name.data,
            unit=form.unit.data,
            baseline_value=form.baseline_value.data,
            baseline_year=form.baseline_year.data,
            target_value=form.target_value.data,
            target_year=form.target_year.data,
        )
        db.session.commit()
        flash(_("The indicator was added."), "success")
        return redirect(url_for("projects.show", project_id=project.id, _anchor="results"))
    return _show_with_errors(project, indicator_form=form)


@bp.post("/prosjekter/<int:project_id>/indikatorer/<int:indicator_id>/verdi/")
@login_required
def record_value(project_id: int, indicator_id: int):
    project = load_project(project_id)
    if not policy.can_post_update(current_user, project):
        abort(403)
    indicator = db.session.get(ResultIndicator, indicator_id)
    if indicator is None or indicator.project_id != project.id:
        abort(404)
    form = IndicatorValueForm(prefix=f"v{indicator.id}")
    if form.validate_on_submit():
        services.record_indicator_value(
            indicator, form.value.data, form.measured.data, current_user
        )
        db.session.commit()
        flash(_("The new value was recorded."), "success")
        return redirect(url_for("projects.show", project_id=project.id, _anchor="results"))
    return _show_with_errors(project, value_forms=value_forms(project, form, indicator.id))


def value_forms(project, failed=None, failed_id: int | None = None) -> dict:
    """A "new value" form per indicator, each with its own prefix (ids stay unique)."""
    return {
        i.id: failed if i.id == failed_id else IndicatorValueForm(formdata=None, prefix=f"v{i.id}")
        for i in project.indicators
    }


def _show_with_errors(project, **forms):
    """The project page again, with the form that failed showing its errors (status 422)."""
    context = {
        "update_form": UpdateForm(formdata=None),
        "indicator_form": IndicatorForm(formdata=None),
        "value_forms": value_forms(project),
    }
    context.update(forms)
    return render_template(
        "projects/show.html",
        project=project,
        can_edit=policy.can_edit_item(current_user, project),
        can_post=policy.can_post_update(current_user, project),
        similar=[],
        follow=follow_state_of(current_user, FollowKind.PROJECT, project),
        **context,
    ), 422
