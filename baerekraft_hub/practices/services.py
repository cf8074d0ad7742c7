"""What the practices domain does: write up, publish, and mark reuse."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from baerekraft_hub.content import signals
from baerekraft_hub.content.queries import kind_named
from baerekraft_hub.content.services import (
    check_version,
    goals_by_number,
    tags_named,
    targets_by_id,
)
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices.models import SECTIONS, Practice, PracticeAdoption


@dataclass
class PracticeData:
    """Everything an editor can set on a practice, as plain values."""

    title: str
    summary: str
    owner: Organisation
    language: str = "nb"
    sections: dict[str, str] = field(default_factory=dict)  # keys from SECTIONS
    contact_name: str = ""
    contact_email: str = ""
    target_ids: list[str] = field(default_factory=list)
    goal_numbers: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    project_ids: list[int] = field(default_factory=list)


def _apply(practice: Practice, data: PracticeData) -> None:
    unknown = set(data.sections) - set(SECTIONS)
    if unknown:
        raise ValidationError(_l("This value cannot be saved."), field="sections")
    practice.title = data.title.strip()
    practice.summary = data.summary.strip()
    practice.owner = data.owner
    practice.language = data.language
    for name in SECTIONS:
        setattr(practice, name, (data.sections.get(name) or "").strip() or None)
    practice.contact_name = data.contact_name or None
    practice.contact_email = data.contact_email or None
    practice.targets = targets_by_id(data.target_ids)
    practice.goals = goals_by_number(data.goal_numbers)
    practice.tags = tags_named(data.tags)
    project = kind_named("project").model  # projects register themselves; no import needed
    practice.projects = list(
        db.session.scalars(db.select(project).where(project.id.in_(data.project_ids)))
    )


def practice_data_of(practice: Practice) -> PracticeData:
    """The practice's current values as PracticeData: the starting point of a partial edit."""
    return PracticeData(
        title=practice.title,
        summary=practice.summary,
        owner=practice.owner,
        language=practice.language,
        sections={name: getattr(practice, name) for name in SECTIONS if getattr(practice, name)},
        contact_name=practice.contact_name or "",
        contact_email=practice.contact_email or "",
        target_ids=[t.id for t in practice.targets],
        goal_numbers=[g.number for g in practice.goals],
        tags=[t.name for t in practice.tags],
        project_ids=[p.id for p in practice.projects],
    )


def build_practice(data: PracticeData, user, external_id: str | None = None) -> Practice:
    """A new draft practice, not yet added to the session (an import adds many at once)."""
    practice = Practice(created_by_id=getattr(user, "id", None), external_id=external_id)
    _apply(practice, data)
    return practice


def create_practice(data: PracticeData, user, external_id: str | None = None) -> Practice:
    """A new draft practice owned by `data.owner` (`external_id`: its id in an imported source)."""
    practice = build_practice(data, user, external_id)
    db.session.add(practice)
    db.session.flush()
    signals.content_changed.send(practice, user=user)
    return practice


def update_practice(
    practice: Practice, data: PracticeData, user, expected_version: int | None = None
) -> Practice:
    """Save an edit; refused with EditConflict if someone saved in between."""
    check_version(practice, expected_version)
    _apply(practice, data)
    db.session.flush()
    signals.content_changed.send(practice, user=user)
    return practice


def mark_reused(practice: Practice, organisation: Organisation, user) -> PracticeAdoption | None:
    """Record that `organisation` reuses the practice; None if it already did."""
    if organisation.id == practice.owner_id:
        raise ValidationError(_l("This value cannot be saved."), field="organisation")
    if any(a.organisation_id == organisation.id for a in practice.adoptions):
        return None
    adoption = PracticeAdoption(organisation=organisation, marked_by_id=getattr(user, "id", None))
    practice.adoptions.append(adoption)
    db.session.flush()
    signals.practice_reused.send(practice, organisation=organisation, user=user)
    return adoption


def unmark_reused(practice: Practice, organisation: Organisation) -> None:
    """Take back a "we are reusing this"."""
    practice.adoptions = [a for a in practice.adoptions if a.organisation_id != organisation.id]
    db.session.flush()
