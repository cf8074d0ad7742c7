"""Small factories for test data; each flushes, the test decides when to commit."""

from __future__ import annotations

import itertools
from datetime import date

from werkzeug.security import generate_password_hash

from baerekraft_hub.accounts.models import User
from baerekraft_hub.content.services import publish
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.worker import registered_tasks, run_task
from baerekraft_hub.extensions import db
from baerekraft_hub.memberships.models import Membership, MembershipStatus, Role
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.practices import services as practice_services
from baerekraft_hub.projects import services as project_services
from tests.conftest import csrf_from

_counter = itertools.count(1)
PASSWORD = "riktig-hest-batteri-stift-2030"  # noqa: S105 - test password
# Hashing with the default (scrypt) costs ~50 ms; tests make many users.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def organisation(reference: str) -> Organisation:
    """A seeded organisation by official number or partner slug ('1506', '46', 'ks')."""
    column = Organisation.number if reference.isdigit() else Organisation.slug
    return db.session.scalars(db.select(Organisation).where(column == reference)).one()


def make_user(
    email: str | None = None,
    *,
    name: str | None = None,
    coordinator: bool = False,
    confirmed: bool = True,
    language: str = "nb",
) -> User:
    n = next(_counter)
    user = User(
        email=(email or f"person{n}@example.no").lower(),
        name=name or f"Person {n}",
        password_hash=_PASSWORD_HASH,
        is_coordinator=coordinator,
        confirmed_at=utcnow() if confirmed else None,
        language=language,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_member(
    organisation_ref: str,
    role: Role | str = Role.MEMBER,
    *,
    user: User | None = None,
    status: MembershipStatus = MembershipStatus.APPROVED,
) -> User:
    """A user with a membership of the organisation (approved unless told otherwise)."""
    user = user or make_user()
    membership = Membership(
        user=user,
        organisation=organisation(organisation_ref),
        role=Role(role).value,
        status=status.value,
    )
    db.session.add(membership)
    db.session.flush()
    return user


def make_project(owner: str = "1506", *, published: bool = True, published_at=None, **overrides):
    """A project of `owner` (published unless told otherwise); overrides are ProjectData fields."""
    values = dict(
        title="Overvannshåndtering i Molde sentrum",
        summary="Regnbed og åpne vannveier tar unna styrtregn før det når kjellerne.",
        description="Vi bygger **regnbed** i Storgata.",
        owner=organisation(owner),
        target_ids=["13.1", "11.5"],
        tags=["klimatilpasning"],
        start_date=date(2024, 3, 1),
        end_date=date(2026, 12, 31),
        status="ongoing",
    )
    values.update(overrides)
    project = project_services.create_project(project_services.ProjectData(**values), None)
    if published:
        project.published_at = published_at
        publish(project, None)
    return project


def make_practice(owner: str = "1506", *, published: bool = True, **overrides):
    """A practice of `owner` (published unless told otherwise); overrides: PracticeData fields."""
    values = dict(
        title="Regnbed som virker",
        summary="Slik lagde vi regnbed.",
        owner=organisation(owner),
        target_ids=["11.5"],
        sections={"lessons": "Start **tidlig** med driften."},
    )
    values.update(overrides)
    practice = practice_services.create_practice(practice_services.PracticeData(**values), None)
    if published:
        publish(practice, None)
    return practice


def post_form(client, path: str, data: dict, page: str | None = None):
    """Load the page (`path` unless told) for its CSRF token, then post the form on it."""
    html = client.get(page or path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_from(html), **data})


def run_worker_task(app, name: str) -> None:
    """What `flask worker` does on the named task's turn."""
    run_task(app, next(t for t in registered_tasks() if t.name == name))
