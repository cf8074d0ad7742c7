"""Between the practice form and the services."""

from __future__ import annotations

from baerekraft_hub.content.editing import common_data, fill_common, prepare_common_choices
from baerekraft_hub.content.queries import kind_named
from baerekraft_hub.content.visibility import visible_to
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships import policy
from baerekraft_hub.practices.forms import PracticeForm
from baerekraft_hub.practices.models import SECTIONS, Practice
from baerekraft_hub.practices.services import PracticeData


def prepare_form(form: PracticeForm, user, practice: Practice | None = None) -> PracticeForm:
    """Choices: owners the user may use, targets, goals, and projects to link.

    Only projects the user may see: a refused save shows this form to someone who may have
    lost the right to read the owner's drafts.
    """
    prepare_common_choices(form, user, practice)
    owner_ids = [o.id for o in policy.editable_organisations(user)]
    if practice is not None:
        owner_ids.append(practice.owner_id)
    projects = kind_named("project")
    project = projects.model
    linkable = db.session.scalars(
        db.select(project)
        .where(project.owner_id.in_(owner_ids), visible_to(projects, user))
        .order_by(project.title)
    )
    form.projects.choices = [(p.id, p.title) for p in linkable]
    return form


def fill_form(form: PracticeForm, practice: Practice) -> None:
    """Put the stored practice into the form (for GET on the edit page)."""
    fill_common(form, practice, SECTIONS)
    form.projects.data = [p.id for p in practice.projects]


def data_from_form(form: PracticeForm) -> PracticeData:
    """The validated form as plain values for the services."""
    return PracticeData(
        **common_data(form),
        sections={name: getattr(form, name).data or "" for name in SECTIONS},
        project_ids=form.projects.data or [],
    )
