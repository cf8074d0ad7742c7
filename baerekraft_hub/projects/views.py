"""Project pages: list, show, progress; create, edit, publish, delete through
`content.item_views`.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from baerekraft_hub.content import item_views
from baerekraft_hub.content.editing import target_groups
from baerekraft_hub.core import htmx
from baerekraft_hub.core.markdown import render_markdown
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships import policy
from baerekraft_hub.projects import bp, editing, queries, services
from baerekraft_hub.projects.editing import (
    participant_groups,
    popular_tags,
    read_filters,
    suggested_tags,
)
from baerekraft_hub.projects.forms import (
    IndicatorForm,
    IndicatorValueForm,
    ProjectForm,
    UpdateForm,
)
from baerekraft_hub.projects.models import ResultIndicator
from baerekraft_hub.sdg.services import all_goal_texts


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
        goals=all_goal_texts(),
    )


@bp.get("/prosjekter/<int:project_id>/")
def show(project_id: int):
    project = PAGES.load(project_id)
    can_edit = policy.can_edit_item(current_user, project)
    can_post = policy.can_post_update(current_user, project)
    # Forms only for who sees them: a form makes a CSRF token, which ties the page to the
    # visitor's session (and keeps it out of the page cache).
    return render_template(
        "projects/show.html",
        project=project,
        can_edit=can_edit,
        can_post=can_post,
        update_form=UpdateForm(formdata=None) if can_post else None,
        indicator_form=IndicatorForm(formdata=None) if can_edit else None,
        value_forms=value_forms(project) if can_post else {},
    )


def render_form(form, project, *, preview: bool = False) -> str:
    """The create/edit page."""
    return render_template(
        "projects/form.html",
        form=form,
        project=project,
        target_groups=target_groups(form),
        participant_groups=participant_groups(form),
        suggestions=popular_tags(current_user),
        preview=render_markdown(form.description.data) if preview else None,
    )


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


PAGES = item_views.ItemPages(
    kind="project",
    get=queries.get_project,
    form_class=ProjectForm,
    editing=editing,
    create=services.create_project,
    update=services.update_project,
    render_form=render_form,
    previews=True,
)
item_views.add_routes(bp, PAGES, "/prosjekter/")


@bp.post("/prosjekter/<int:project_id>/oppdateringer/")
@login_required
def post_update(project_id: int):
    project = PAGES.load(project_id)
    if not policy.can_post_update(current_user, project):
        abort(403)
    form = UpdateForm()
    if form.validate_on_submit():
        services.post_update(project, form.title.data, form.body.data, current_user)
        flash(_("The update was posted."), "success")
        return redirect(url_for("projects.show", project_id=project.id, _anchor="updates"))
    return _show_with_errors(project, update_form=form)


@bp.post("/prosjekter/<int:project_id>/indikatorer/")
@login_required
def add_indicator(project_id: int):
    project = PAGES.load(project_id, edit=True)
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
        flash(_("The indicator was added."), "success")
        return redirect(url_for("projects.show", project_id=project.id, _anchor="results"))
    return _show_with_errors(project, indicator_form=form)


@bp.post("/prosjekter/<int:project_id>/indikatorer/<int:indicator_id>/verdi/")
@login_required
def record_value(project_id: int, indicator_id: int):
    project = PAGES.load(project_id)
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
        hide_similar=True,
        **context,
    ), 422
