"""Who is in an audience: the count the coordinator sees is the list that gets it, and the
people who must never get it (unconfirmed, not opted in, bounced) are never counted."""

from __future__ import annotations

from baerekraft_hub.core.outbox.models import MailSuppression
from baerekraft_hub.newsletters.audience import Audience, count_recipients, recipients
from tests.factories import make_user, organisation
from tests.newsletters.conftest import reader


def test_everyone_means_confirmed_users_who_opted_in_and_did_not_bounce(db):
    kept = reader(db)
    reader(db, confirmed=False)
    make_user()  # never asked for it
    bounced = reader(db)
    db.session.add(MailSuppression(address=bounced.email, reason="hard"))
    db.session.flush()
    assert [u.id for u in recipients(Audience())] == [kept.id]
    assert count_recipients(Audience()) == 1


def test_followers_of_goal_13_in_vestland(db):
    vestland = organisation("46").id
    bergen_goal = reader(db, org="4601", follows=[("goal", 13)])
    county_target = reader(db, org="46", follows=[("target", "13.1")])
    reader(db, org="4601", follows=[("goal", 11)])  # another goal
    reader(db, org="1506", follows=[("goal", 13)])  # Molde: Møre og Romsdal
    reader(db, follows=[("goal", 13)])  # no organisation
    audience = Audience(counties=[vestland], goals=[13])
    assert {u.id for u in recipients(audience)} == {bergen_goal.id, county_target.id}
    assert count_recipients(audience) == 2


def test_kind_role_and_network_members_combine_on_one_membership(db):
    from datetime import date

    molde = organisation("1506")
    molde.network_member_since = date(2020, 1, 1)
    editor = reader(db, org="1506", role="editor")
    reader(db, org="1506", role="member")
    reader(db, org="4601", role="editor")  # Bergen is no network member here
    partner_admin = reader(db, org="ks", role="admin")
    members = Audience(kinds=["municipality"], members_only=True, roles=["editor", "admin"])
    assert [u.id for u in recipients(members)] == [editor.id]
    assert [u.id for u in recipients(Audience(kinds=["partner"]))] == [partner_admin.id]


def test_tampered_criteria_are_left_out():
    audience = Audience.from_dict(
        {"kinds": ["municipality", "x"], "goals": ["13", "99", "a"], "roles": ["owner"]}
    )
    assert (audience.kinds, audience.goals, audience.roles) == (["municipality"], [13], [])
