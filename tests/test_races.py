"""Two requests doing the same thing at the same moment, each in its own database session.

Each thread has its own request context (so its own session and connection). A barrier
lines them up; each then does its work and holds its transaction open a moment before
committing, the window in which the other one reads. SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import threading
import time

from baerekraft_hub.accounts import services as accounts
from baerekraft_hub.accounts.models import User
from baerekraft_hub.content.models import Tag
from baerekraft_hub.content.services import tags_named
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.outbox import OutboxMessage
from baerekraft_hub.extensions import db as _db
from baerekraft_hub.memberships import services as memberships
from baerekraft_hub.memberships.models import Membership, MembershipStatus, Role
from tests.factories import make_member

GOOD_PASSWORD = "grønn-fjord-lysende-kveld-42"  # noqa: S105
HOLD_SECONDS = 0.5  # how long each transaction stays open after its work


def collide(app, *works):
    """Run each `work()` in its own thread and session at the same moment; commit each.

    Returns each thread's outcome: "committed", or the exception it raised (then rolled back).
    """
    barrier = threading.Barrier(len(works))
    outcomes: list[object] = [None] * len(works)

    def run(index, work):
        with app.test_request_context():
            try:
                barrier.wait(timeout=10)
                work()
                time.sleep(HOLD_SECONDS)
                _db.session.commit()
                outcomes[index] = "committed"
            except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
                _db.session.rollback()
                outcomes[index] = exc
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_saves_creating_the_same_new_tag_both_succeed(app, db):
    names = []

    def save():
        names.append([tag.name for tag in tags_named(["Ny-tagg", "klima"])])

    outcomes = collide(app, save, save)

    assert outcomes == ["committed", "committed"]
    assert names == [["ny-tagg", "klima"], ["ny-tagg", "klima"]]
    stored = db.session.scalars(_db.select(Tag.name).order_by(Tag.name)).all()
    assert stored == ["klima", "ny-tagg"]


def _membership_id(user) -> int:
    return _db.session.scalar(_db.select(Membership.id).where(Membership.user_id == user.id))


def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, db):
    kari = make_member("1506", Role.ADMIN)
    ola = make_member("1506", Role.ADMIN)
    kari_row, ola_row = _membership_id(kari), _membership_id(ola)
    db.session.commit()

    def demote(row_id):
        return lambda: memberships.change_role(_db.session.get(Membership, row_id), Role.EDITOR)

    outcomes = collide(app, demote(kari_row), demote(ola_row))

    assert outcomes.count("committed") == 1
    assert [o for o in outcomes if o != "committed"][0].__class__ is ValidationError
    db.session.expire_all()
    admins = db.session.scalar(
        _db.select(_db.func.count())
        .select_from(Membership)
        .where(
            Membership.organisation_id == db.session.get(Membership, kari_row).organisation_id,
            Membership.role == Role.ADMIN.value,
            Membership.status == MembershipStatus.APPROVED.value,
        )
    )
    assert admins == 1


def test_two_admins_removing_each_other_at_once_leave_one_admin(app, db):
    kari = make_member("1506", Role.ADMIN)
    ola = make_member("1506", Role.ADMIN)
    kari_row, ola_row = _membership_id(kari), _membership_id(ola)
    db.session.commit()

    def remove(row_id):
        return lambda: memberships.remove_member(_db.session.get(Membership, row_id))

    outcomes = collide(app, remove(kari_row), remove(ola_row))

    assert outcomes.count("committed") == 1
    assert [o for o in outcomes if o != "committed"][0].__class__ is ValidationError
    db.session.expire_all()
    left = db.session.scalars(
        _db.select(Membership.role).where(Membership.id.in_([kari_row, ola_row]))
    ).all()
    assert left == [Role.ADMIN.value]


def test_two_admins_removing_the_same_member_at_once_get_no_error_page(app, db):
    make_member("1506", Role.ADMIN)
    make_member("1506", Role.ADMIN)
    nora = make_member("1506", Role.EDITOR)
    nora_row = _membership_id(nora)
    db.session.commit()

    def remove():
        memberships.remove_member(_db.session.get(Membership, nora_row))

    outcomes = collide(app, remove, remove)

    assert outcomes.count("committed") == 1
    assert [o for o in outcomes if o != "committed"][0].__class__ is ValidationError
    db.session.expire_all()
    assert db.session.get(Membership, nora_row) is None


def test_the_same_registration_sent_twice_at_once_makes_one_account(app, db):
    """The second insert waits for the first's commit, then finds its account (no error)."""

    def register():
        accounts.register_user(
            name="Kari", email="kari@example.no", password=GOOD_PASSWORD, language="nb"
        )

    outcomes = collide(app, register, register)

    assert outcomes == ["committed", "committed"]
    assert db.session.scalars(_db.select(User.email)).all() == ["kari@example.no"]
    assert db.session.scalar(_db.select(_db.func.count()).select_from(OutboxMessage)) == 1
