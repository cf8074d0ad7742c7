"""Between the project form and the services: choices, filling, reading back."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from baerekraft_hub.content.models import Tag
from baerekraft_hub.content.services import split_tags, suggest_tags
from baerekraft_hub.content.visibility import tag_in_sight, visible_to
from baerekraft_hub.core import policy
from baerekraft_hub.core.pagination import page_number
from baerekraft_hub.core.text import norwegian_sort_key
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.organisations.services import organisation_label
from baerekraft_hub.projects.forms import ProjectForm
from baerekraft_hub.projects.models import Project, ProjectStatus, project_tag
from baerekraft_hub.projects.queries import PROJECTS, ProjectFilters
from baerekraft_hub.projects.services import ProjectData
from baerekraft_hub.sdg.models import Goal, Kpi, Target


def _all_organisations() -> list[Organisation]:
    organisations = db.session.scalars(db.select(Organisation)).all()
    return sorted(organisations, key=lambda o: norwegian_sort_key(o.name))


def _label(organisation: Organisation) -> str:
    return organisation_label(organisation)


def prepare_common_choices(form, user, item=None) -> list[Organisation]:
    """Owner, target and goal choices shared by the project and practice forms.

    Owners are the organisations the user may create content for (all, for the coordinator),
    plus the current owner when editing. Returns every organisation, sorted.
    """
    organisations = _all_organisations()
    if policy.is_coordinator(user):
        owners = organisations
    else:
        owners = list(policy.editable_organisations(user))
        if item is not None and item.owner not in owners:
            owners.append(item.owner)
    form.owner.choices = [(o.id, _label(o)) for o in owners]
    targets = db.session.scalars(db.select(Target).order_by(Target.goal_number, Target.position))
    form.targets.choices = [(t.id, f"{t.id} {t.text}") for t in targets]
    goals = db.session.scalars(db.select(Goal).order_by(Goal.number))
    form.goals.choices = [(g.number, f"{g.number} {g.short_title}") for g in goals]
    return organisations


def prepare_form(form: ProjectForm, user, project: Project | None = None) -> ProjectForm:
    """Fill the form's choices: organisations the user may use, all targets, goals, KPIs."""
    organisations = prepare_common_choices(form, user, project)
    form.participants.choices = [(o.id, _label(o)) for o in organisations]
    form.main_target.choices = [("", _("None chosen"))] + list(form.targets.choices)
    kpis = db.session.scalars(db.select(Kpi).order_by(Kpi.code))
    form.kpis.choices = [(k.id, f"{k.code} {k.name_en}") for k in kpis]
    if form.partners.entries[-1].form.name.data:
        form.partners.append_entry()  # always one empty row to add a partner
    return form


def fill_form(form: ProjectForm, project: Project) -> None:
    """Put the stored project into the form (for GET on the edit page)."""
    for name in (
        "title",
        "summary",
        "description",
        "status",
        "start_date",
        "end_date",
        "budget_nok",
        "funding_sources",
        "contact_name",
        "contact_email",
        "language",
        "version",
    ):
        getattr(form, name).data = getattr(project, name)
    form.owner.data = project.owner_id
    form.participants.data = [o.id for o in project.participants]
    form.targets.data = [t.id for t in project.targets]
    form.main_target.data = project.main_target_id or ""
    form.goals.data = [g.number for g in project.goals]
    form.kpis.data = [k.id for k in project.kpis]
    form.tags.data = ", ".join(t.name for t in project.tags)
    form.involved.data = list(project.involved or [])
    while len(form.partners.entries):
        form.partners.pop_entry()
    for partner in project.partners:
        form.partners.append_entry({"name": partner.name, "type": partner.type})
    form.partners.append_entry()


def data_from_form(form: ProjectForm) -> ProjectData:
    """The validated form as plain values for the services."""
    owner = db.session.get(Organisation, form.owner.data)
    participants = list(
        db.session.scalars(
            db.select(Organisation).where(Organisation.id.in_(form.participants.data))
        )
    )
    return ProjectData(
        title=form.title.data,
        summary=form.summary.data,
        owner=owner,
        description=form.description.data or "",
        language=form.language.data,
        status=form.status.data,
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        budget_nok=form.budget_nok.data,
        funding_sources=form.funding_sources.data or "",
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        participants=participants,
        partners=[
            (p.form.name.data or "", p.form.type.data or "business") for p in form.partners.entries
        ],
        target_ids=form.targets.data or [],
        main_target_id=form.main_target.data or None,
        goal_numbers=form.goals.data or [],
        kpi_ids=form.kpis.data or [],
        tags=split_tags(form.tags.data or ""),
        involved=form.involved.data or [],
    )


def _int(value: str | None, low: int, high: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if low <= number <= high else None


def read_filters(args) -> ProjectFilters:
    """The list filters from a query string; anything malformed is ignored, never a 500."""
    status = args.get("status") or None
    return ProjectFilters(
        goal=_int(args.get("goal"), 1, 17),
        target=(args.get("target") or "")[:8] or None,
        county=(args.get("county") or "")[:2] or None,
        municipality=(args.get("municipality") or "")[:4] or None,
        status=status if status in ProjectStatus.__members__.values() else None,
        tag=(args.get("tag") or "")[:60] or None,
        start_year=_int(args.get("start_year"), 1900, 2100),
        page=page_number(args),
    )


@dataclass
class TargetGroup:
    goal: Goal
    options: list
    chosen: int


def target_groups(form) -> list[TargetGroup]:
    """The target checkboxes grouped by goal, with how many are ticked in each."""
    goals = {g.number: g for g in db.session.scalars(db.select(Goal))}
    groups: dict[int, TargetGroup] = {}
    for option in form.targets:
        number = int(str(option.data).split(".", 1)[0])
        group = groups.setdefault(number, TargetGroup(goals[number], [], 0))
        group.options.append(option)
        group.chosen += bool(option.checked)
    return [groups[n] for n in sorted(groups)]


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
