"""Two coordinators at the same moment: the rules that rest on a count still hold."""

from __future__ import annotations

from baerekraft_hub.accounts.models import User
from baerekraft_hub.console import content, people
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.extensions import db as _db
from baerekraft_hub.projects.models import Project
from tests.factories import make_project, make_user
from tests.test_races import collide


def test_two_coordinators_removing_each_other_at_once_leave_one(app, db):
    kari = make_user(coordinator=True)
    ola = make_user(coordinator=True)
    db.session.commit()

    def remove(actor_id, user_id):
        def work():
            actor, user = _db.session.get(User, actor_id), _db.session.get(User, user_id)
            people.set_coordinator(actor, user, False, "x")

        return work

    outcomes = collide(app, remove(kari.id, ola.id), remove(ola.id, kari.id))

    assert outcomes.count("committed") == 1
    assert [type(o) for o in outcomes if o != "committed"] == [ValidationError]
    db.session.expire_all()
    assert (
        db.session.scalar(_db.select(_db.func.count(User.id)).where(User.is_coordinator.is_(True)))
        == 1
    )


def test_two_coordinators_featuring_the_sixth_and_seventh_at_once_make_six(app, db):
    actor = make_user(coordinator=True)
    for n in range(5):
        content.feature(actor, make_project("1506", title=f"U{n}"))
    sixth, seventh = make_project("1506"), make_project("4601")
    db.session.commit()

    def feature(project_id):
        def work():
            me = _db.session.get(User, actor.id)
            content.feature(me, _db.session.get(Project, project_id))

        return work

    outcomes = collide(app, feature(sixth.id), feature(seventh.id))

    assert outcomes.count("committed") == 1
    assert [type(o) for o in outcomes if o != "committed"] == [ValidationError]
    db.session.expire_all()
    featured = _db.select(_db.func.count(Project.id)).where(Project.featured_at.is_not(None))
    assert db.session.scalar(featured) == 6
