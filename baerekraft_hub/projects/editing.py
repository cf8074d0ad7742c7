"""Between the project form and the services: choices, filling, reading back."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from baerekraft_hub.content import editing as content_editing
from baerekraft_hub.content.editing import (
    common_data,
    fill_common,
    int_between,
    organisation_choices,
    prepare_common_choices,
)
from baerekraft_hub.content.models import Tag
from baerekraft_hub.content.services import suggest_tags
from baerekraft_hub.content.visibility import tag_in_sight, visible_to
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.projects.forms import ProjectForm
from baerekraft_hub.projects.models import Project, ProjectStatus, project_tag
from baerekraft_hub.projects.queries import PROJECTS, ProjectFilters
from baerekraft_hub.projects.services import ProjectData
from baerekraft_hub.sdg.models import Kpi


def prepare_form(form: ProjectForm, user, project: Project | None = None) -> ProjectForm:
    """Fill the form's choices: organisations the user may use, all targets, goals, KPIs."""
    organisations = prepare_common_choices(form, user, project)
    form.participants.choices = organisation_choices(organisations)
    form.main_target.choices = [("", _("None chosen"))] + list(form.targets.choices)
    kpis = db.session.scalars(db.select(Kpi).order_by(Kpi.code))
    form.kpis.choices = [(k.id, f"{k.code} {k.name_en}") for k in kpis]
    if form.partners.entries[-1].form.name.data:
        form.partners.append_entry()  # always one empty row to add a partner
    return form


def fill_form(form: ProjectForm, project: Project) -> None:
    """Put the stored project into the form (for GET on the edit page)."""
    fill_common(
        form,
        project,
        ("description", "status", "start_date", "end_date", "budget_nok", "funding_sources"),
    )
    form.participants.data = [o.id for o in project.participants]
    form.main_target.data = project.main_target_id or ""
    form.kpis.data = [k.id for k in project.kpis]
    form.involved.data = list(project.involved or [])
    while len(form.partners.entries):
        form.partners.pop_entry()
    for partner in project.partners:
        form.partners.append_entry({"name": partner.name, "type": partner.type})
    form.partners.append_entry()


def data_from_form(form: ProjectForm) -> ProjectData:
    """The validated form as plain values for the services."""
    participants = list(
        db.session.scalars(
            db.select(Organisation).where(Organisation.id.in_(form.participants.data))
        )
    )
    return ProjectData(
        **common_data(form),
        description=form.description.data or "",
        status=form.status.data,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        budget_nok=form.budget_nok.data,
        funding_sources=form.funding_sources.data or "",
        participants=participants,
        partners=[
            (p.form.name.data or "", p.form.type.data or "business") for p in form.partners.entries
        ],
        main_target_id=form.main_target.data or None,
        kpi_ids=form.kpis.data or [],
        involved=form.involved.data or [],
    )


def read_filters(args) -> ProjectFilters:
    """The list filters from a query string; anything malformed is ignored, never a 500."""
    status = args.get("status") or None
    return content_editing.read_filters(
        args,
        ProjectFilters,
        status=status if status in ProjectStatus.__members__.values() else None,
        start_year=int_between(args.get("start_year"), 1900, 2100),
    )


@dataclass
class ParticipantGroup:
    name: str
    options: list
    chosen: int


def participant_groups(form) -> list[ParticipantGroup]:
    """The participant checkboxes grouped by county (partners last), with how many are ticked.

    The organisations are in the session already (the form's choices loaded them), so
    reading each one's county costs no query beyond this one.
    """
    organisations = {o.id: o for o in db.session.scalars(db.select(Organisation))}
    groups: dict[str, ParticipantGroup] = {}
    order: dict[str, str] = {}
    for option in form.participants:
        organisation = organisations[option.data]
        county = organisation if organisation.is_county else organisation.county
        name = county.name if county else _("Partners")
        group = groups.setdefault(name, ParticipantGroup(name, [], 0))
        order[name] = county.number if county else "99"
        group.options.append(option)
        group.chosen += bool(option.checked)
    return [groups[name] for name in sorted(groups, key=lambda n: (order[n], n))]


def popular_tags(user, limit: int = 12) -> list[str]:
    """The tags most used on the projects the user may see, to suggest before they type."""
    rows = db.session.execute(
        db.select(Tag.name, sa.func.count())
        .join(project_tag, project_tag.c.tag_id == Tag.id)
        .join(Project, PROJECTS.link(project_tag))
        .where(visible_to(PROJECTS, user))
        .group_by(Tag.name)
        .order_by(sa.func.count().desc(), Tag.name)
        .limit(limit)
    )
    return [name for name, _count in rows]


def suggested_tags(typed: str, user) -> list[str]:
    """Tags like the one being typed, or the popular ones before typing: only tags of
    projects the user may see."""
    if not typed.strip():
        return popular_tags(user)
    return suggest_tags(typed, tag_in_sight([PROJECTS], user))
