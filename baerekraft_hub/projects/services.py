"""What the projects domain does: create, edit, publish, and keep progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from baerekraft_hub.content import signals
from baerekraft_hub.content.services import (
    check_version,
    goals_by_number,
    tags_named,
    targets_by_id,
)
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.projects.models import (
    Project,
    ProjectPartner,
    ProjectStatus,
    ProjectUpdate,
    ResultIndicator,
    StatusChange,
)
from baerekraft_hub.sdg.models import Kpi


@dataclass
class ProjectData:
    """Everything an editor can set on a project, as plain values."""

    title: str
    summary: str
    owner: Organisation
    description: str = ""
    language: str = "nb"
    status: str = ProjectStatus.ONGOING.value
    start_date: date | None = None
    end_date: date | None = None
    budget_nok: int | None = None
    funding_sources: str = ""
    contact_name: str = ""
    contact_email: str = ""
    participants: list[Organisation] = field(default_factory=list)
    partners: list[tuple[str, str]] = field(default_factory=list)  # (name, PartnerType)
    target_ids: list[str] = field(default_factory=list)
    main_target_id: str | None = None
    goal_numbers: list[int] = field(default_factory=list)
    kpi_ids: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    involved: list[str] = field(default_factory=list)


def _validate(data: ProjectData) -> None:
    if data.status not in ProjectStatus.__members__.values():
        raise ValidationError(_l("This value cannot be saved."), field="status")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise ValidationError(_l("The end date cannot be before the start date."), field="end_date")
    if data.budget_nok is not None and data.budget_nok < 0:
        raise ValidationError(_l("The budget cannot be negative."), field="budget_nok")
    if data.main_target_id and data.main_target_id not in data.target_ids:
        raise ValidationError(
            _l("The main target must be one of the chosen targets."), field="main_target"
        )


def _apply(project: Project, data: ProjectData) -> None:
    _validate(data)
    project.title = data.title.strip()
    project.summary = data.summary.strip()
    project.description = data.description or None
    project.language = data.language
    project.owner = data.owner
    project.start_date = data.start_date
    project.end_date = data.end_date
    project.budget_nok = data.budget_nok
    project.funding_sources = data.funding_sources or None
    project.contact_name = data.contact_name or None
    project.contact_email = data.contact_email or None
    project.participants = [o for o in dict.fromkeys(data.participants) if o.id != data.owner.id]
    project.targets = targets_by_id(data.target_ids)
    project.main_target_id = data.main_target_id or None
    project.goals = goals_by_number(data.goal_numbers)
    kpis = db.select(Kpi).where(Kpi.id.in_(data.kpi_ids))
    project.kpis = list(db.session.scalars(kpis)) if data.kpi_ids else []
    project.tags = tags_named(data.tags)
    project.involved = sorted(set(data.involved))
    wanted = [(n.strip(), t) for n, t in data.partners if n.strip()]
    current = {(p.name, p.type): p for p in project.partners}
    project.partners = [
        current.get(key) or ProjectPartner(name=key[0], type=key[1])
        for key in dict.fromkeys(wanted)
    ]


def _record_status(project: Project, old: str | None, user) -> None:
    project.status_history.append(
        StatusChange(
            old_status=old, new_status=project.status, changed_by_id=getattr(user, "id", None)
        )
    )


def project_data_of(project: Project) -> ProjectData:
    """The project's current values as ProjectData: the starting point of a partial edit."""
    return ProjectData(
        title=project.title,
        summary=project.summary,
        owner=project.owner,
        description=project.description or "",
        language=project.language,
        status=project.status,
        start_date=project.start_date,
        end_date=project.end_date,
        budget_nok=project.budget_nok,
        funding_sources=project.funding_sources or "",
        contact_name=project.contact_name or "",
        contact_email=project.contact_email or "",
        participants=list(project.participants),
        partners=[(p.name, p.type) for p in project.partners],
        target_ids=[t.id for t in project.targets],
        main_target_id=project.main_target_id,
        goal_numbers=[g.number for g in project.goals],
        kpi_ids=[k.id for k in project.kpis],
        tags=[t.name for t in project.tags],
        involved=list(project.involved or []),
    )


def build_project(data: ProjectData, user, external_id: str | None = None) -> Project:
    """A new draft project, not yet added to the session (an import adds many at once)."""
    project = Project(
        created_by_id=getattr(user, "id", None), status=data.status, external_id=external_id
    )
    _apply(project, data)
    project.status = data.status
    _record_status(project, None, user)
    return project


def create_project(data: ProjectData, user, external_id: str | None = None) -> Project:
    """A new draft project owned by `data.owner` (`external_id`: its id in an imported source)."""
    project = build_project(data, user, external_id)
    db.session.add(project)
    db.session.flush()
    signals.content_changed.send(project, user=user)
    return project


def update_project(
    project: Project, data: ProjectData, user, expected_version: int | None = None
) -> Project:
    """Save an edit; refused with EditConflict if someone saved in between."""
    check_version(project, expected_version)
    old_status = project.status
    _apply(project, data)
    project.status = data.status
    if old_status != project.status:
        _record_status(project, old_status, user)
    db.session.flush()
    signals.content_changed.send(project, user=user)
    if old_status != project.status:
        signals.project_status_changed.send(project, old=old_status, new=project.status, user=user)
    return project


def post_update(project: Project, title: str, body: str, user) -> ProjectUpdate:
    """A dated progress post."""
    update = ProjectUpdate(title=title.strip(), body=body, author_id=getattr(user, "id", None))
    project.updates.append(update)
    db.session.flush()
    signals.project_update_posted.send(project, update=update, user=user)
    return update


def add_indicator(
    project: Project,
    *,
    name: str,
    unit: str,
    baseline_value: Decimal,
    baseline_year: int,
    target_value: Decimal,
    target_year: int,
) -> ResultIndicator:
    """A result indicator with its baseline and target."""
    if target_year < baseline_year:
        raise ValidationError(
            _l("The target year cannot be before the baseline year."), field="target_year"
        )
    indicator = ResultIndicator(
        name=name.strip(),
        unit=unit.strip(),
        baseline_value=baseline_value,
        baseline_year=baseline_year,
        target_value=target_value,
        target_year=target_year,
    )
    project.indicators.append(indicator)
    db.session.flush()
    return indicator


def record_indicator_value(
    indicator: ResultIndicator, value: Decimal, measured: date, user
) -> None:
    """A new latest measurement of a result indicator."""
    indicator.latest_value = value
    indicator.latest_date = measured
    db.session.flush()
    project = db.session.get(Project, indicator.project_id)
    signals.indicator_value_recorded.send(project, indicator=indicator, user=user)


def delete_indicator(indicator: ResultIndicator) -> None:
    db.session.delete(indicator)
    db.session.flush()
