"""Between the practice form and the services."""

from __future__ import annotations

from baerekraft_hub.content.services import split_tags
from baerekraft_hub.content.visibility import visible_to
from baerekraft_hub.core import policy
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices.forms import PracticeForm
from baerekraft_hub.practices.models import SECTIONS, Practice
from baerekraft_hub.practices.services import PracticeData
from baerekraft_hub.projects.editing import prepare_common_choices
from baerekraft_hub.projects.models import Project
from baerekraft_hub.projects.queries import PROJECTS


def prepare_form(form: PracticeForm, user, practice: Practice | None = None) -> PracticeForm:
    """Choices: owners the user may use, targets, goals, and projects to link.

    Only projects the user may see: a refused save shows this form to someone who may have
    lost the right to read the owner's drafts.
    """
    prepare_common_choices(form, user, practice)
    owner_ids = [o.id for o in policy.editable_organisations(user)]
    if practice is not None:
        owner_ids.append(practice.owner_id)
    projects = db.session.scalars(
        db.select(Project)
        .where(Project.owner_id.in_(owner_ids), visible_to(PROJECTS, user))
        .order_by(Project.title)
    )
    form.projects.choices = [(p.id, p.title) for p in projects]
    return form


def fill_form(form: PracticeForm, practice: Practice) -> None:
    """Put the stored practice into the form (for GET on the edit page)."""
    for name in (
        "title",
        "summary",
        "language",
        "contact_name",
        "contact_email",
        "version",
        *SECTIONS,
    ):
        getattr(form, name).data = getattr(practice, name)
    form.owner.data = practice.owner_id
    form.targets.data = [t.id for t in practice.targets]
    form.goals.data = [g.number for g in practice.goals]
    form.projects.data = [p.id for p in practice.projects]
    form.tags.data = ", ".join(t.name for t in practice.tags)


def data_from_form(form: PracticeForm) -> PracticeData:
    """The validated form as plain values for the services."""
    return PracticeData(
        title=form.title.data,
        summary=form.summary.data,
        owner=db.session.get(Organisation, form.owner.data),
        language=form.language.data,
        sections={name: getattr(form, name).data or "" for name in SECTIONS},
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        target_ids=form.targets.data or [],
        goal_numbers=form.goals.data or [],
        tags=split_tags(form.tags.data or ""),
        project_ids=form.projects.data or [],
    )
