"""Small factories for test data; each flushes, the test decides when to commit."""

from __future__ import annotations

import itertools

from werkzeug.security import generate_password_hash

from baerekraft_hub.accounts.models import Membership, MembershipStatus, Role, User
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import Organisation

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
