import pytest

from baerekraft_hub.memberships import policy
from baerekraft_hub.memberships.models import MembershipStatus, Role
from tests.factories import make_member, make_user, organisation


@pytest.fixture()
def molde(db):
    return organisation("1506")


@pytest.mark.parametrize(
    ("role", "edit", "manage"),
    [
        (Role.MEMBER, False, False),
        (Role.EDITOR, True, False),
        (Role.ADMIN, True, True),
    ],
)
def test_roles_include_the_ones_below(molde, role, edit, manage):
    # Who reads drafts: tests/content/test_visibility.py, over every state and role.
    user = make_member("1506", role)
    assert policy.can_edit_content(user, molde) is edit
    assert policy.can_manage_members(user, molde) is manage


def test_a_role_counts_only_in_its_own_organisation(molde):
    bergen_admin = make_member("4601", Role.ADMIN)
    assert not policy.can_edit_content(bergen_admin, molde)
    assert policy.can_manage_members(bergen_admin, organisation("4601"))


def test_a_pending_or_declined_request_gives_no_rights(molde):
    for status in (MembershipStatus.PENDING, MembershipStatus.DECLINED):
        user = make_member("1506", Role.ADMIN, status=status)
        assert not policy.can_edit_content(user, molde)


def test_coordinator_may_do_what_an_admin_may_everywhere(molde):
    coordinator = make_user(coordinator=True)
    assert policy.can_manage_members(coordinator, molde)
    assert policy.can_edit_content(coordinator, organisation("ks"))


def test_anonymous_may_do_nothing(molde):
    from flask_login import AnonymousUserMixin

    assert not policy.can_edit_content(AnonymousUserMixin(), molde)
    assert not policy.can_edit_content(None, molde)


def test_editable_organisations_lists_where_the_user_is_editor_or_admin(db):
    user = make_member("1506", Role.EDITOR)
    make_member("4601", Role.MEMBER, user=user)
    make_member("ks", Role.ADMIN, user=user)
    assert sorted(o.slug for o in policy.editable_organisations(user)) == ["ks", "molde"]
