"""Which municipalities and counties are members of Bærekraftsnettverket: since when, and
who their contact is. Each change is audited; none commits."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from baerekraft_hub.audit import record
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation, OrgKind
from baerekraft_hub.organisations.services import organisation_label, set_network_member

KINDS = (OrgKind.MUNICIPALITY.value, OrgKind.COUNTY.value)


def members() -> list[Organisation]:
    """The members, counties first, then by name."""
    return list(
        db.session.scalars(
            db.select(Organisation)
            .where(Organisation.network_member_since.is_not(None))
            .options(selectinload(Organisation.county))
            .order_by(Organisation.kind.desc(), Organisation.name)
        )
    )


def candidates() -> list[tuple[str, str]]:
    """(slug, label) of every municipality and county that is not a member yet."""
    rows = db.session.scalars(
        db.select(Organisation)
        .where(Organisation.kind.in_(KINDS), Organisation.network_member_since.is_(None))
        .options(selectinload(Organisation.county))
        .order_by(Organisation.name)
    )
    return [(o.slug, organisation_label(o)) for o in rows]


def _details(organisation: Organisation) -> dict:
    since = organisation.network_member_since
    return {
        "label": organisation.name,
        "since": since.isoformat() if since else None,
        "contact": organisation.network_contact_name,
        "email": organisation.network_contact_email,
    }


def save(
    actor,
    organisation: Organisation,
    since: date,
    contact_name: str | None,
    contact_email: str | None,
    reason: str | None = None,
) -> None:
    """Make the organisation a member (or change its date and contact)."""
    if organisation.kind not in KINDS:
        raise ValidationError(_l("Only municipalities and counties can be members of the network."))
    if since > date.today():
        raise ValidationError(_l("The day it joined cannot be in the future."), field="since")
    joined = organisation.network_member_since is None
    set_network_member(organisation, since)
    organisation.network_contact_name = (contact_name or "").strip() or None
    organisation.network_contact_email = (contact_email or "").strip().lower() or None
    action = "network.join" if joined else "network.update"
    record(actor, action, "organisation", organisation.slug, reason, _details(organisation))


def leave(actor, organisation: Organisation, reason: str | None = None) -> bool:
    if organisation.network_member_since is None:
        return False
    details = _details(organisation)
    set_network_member(organisation, None)
    organisation.network_contact_name = organisation.network_contact_email = None
    record(actor, "network.leave", "organisation", organisation.slug, reason, details)
    return True
