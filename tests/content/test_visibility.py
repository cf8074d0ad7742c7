"""Who sees a project or practice in each state: the SQL rule and the Python rule agree,
and both say what the table below says."""

import pytest
from flask_login import AnonymousUserMixin

import baerekraft_hub.models  # noqa: F401 - every mapper, before practices.queries uses them
from baerekraft_hub.content import visibility
from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.content.services import publish, unpublish
from baerekraft_hub.memberships.models import MembershipStatus, Role
from baerekraft_hub.practices.queries import PRACTICES
from baerekraft_hub.practices.services import PracticeData, create_practice
from baerekraft_hub.projects.queries import PROJECTS
from baerekraft_hub.projects.services import ProjectData, create_project
from tests.factories import make_member, make_user, organisation

OWNER, PARTICIPANT, OTHER = "1506", "4601", "ks"
EVERY_STATE = set(PublicationState)
PUBLISHED_ONLY = {PublicationState.PUBLISHED}

# role -> how to make the user; what they see of a project and of a practice (practices have
# no participants: the participant organisation's member is a stranger to them).
ROLES = {
    "anonymous": (lambda: AnonymousUserMixin(), PUBLISHED_ONLY, PUBLISHED_ONLY),
    "signed in, no membership": (lambda: make_user(), PUBLISHED_ONLY, PUBLISHED_ONLY),
    "owner's member": (lambda: make_member(OWNER, Role.MEMBER), EVERY_STATE, EVERY_STATE),
    "owner's editor": (lambda: make_member(OWNER, Role.EDITOR), EVERY_STATE, EVERY_STATE),
    "owner's admin": (lambda: make_member(OWNER, Role.ADMIN), EVERY_STATE, EVERY_STATE),
    "owner's admin, pending": (
        lambda: make_member(OWNER, Role.ADMIN, status=MembershipStatus.PENDING),
        PUBLISHED_ONLY,
        PUBLISHED_ONLY,
    ),
    "owner's admin, declined": (
        lambda: make_member(OWNER, Role.ADMIN, status=MembershipStatus.DECLINED),
        PUBLISHED_ONLY,
        PUBLISHED_ONLY,
    ),
    "participant's member": (
        lambda: make_member(PARTICIPANT, Role.MEMBER),
        EVERY_STATE,
        PUBLISHED_ONLY,
    ),
    "other organisation's admin": (
        lambda: make_member(OTHER, Role.ADMIN),
        PUBLISHED_ONLY,
        PUBLISHED_ONLY,
    ),
    "coordinator": (lambda: make_user(coordinator=True), EVERY_STATE, EVERY_STATE),
}


def make_project(state: PublicationState):
    data = ProjectData(
        title=f"Overvann ({state})",
        summary="Regnbed.",
        owner=organisation(OWNER),
        target_ids=["11.5"],
        participants=[organisation(PARTICIPANT)],
    )
    return in_state(create_project(data, None), state)


def make_practice(state: PublicationState):
    data = PracticeData(
        title=f"Regnbed som virker ({state})",
        summary="Slik lagde vi regnbed.",
        owner=organisation(OWNER),
        target_ids=["11.5"],
    )
    return in_state(create_practice(data, None), state)


def in_state(item, state: PublicationState):
    if state != PublicationState.DRAFT:
        publish(item, None)
    if state == PublicationState.UNPUBLISHED:
        unpublish(item, None, "Utdatert.")
    assert item.state == state
    return item


@pytest.mark.parametrize(
    ("kind", "make_item", "column"),
    [(PROJECTS, make_project, 1), (PRACTICES, make_practice, 2)],
    ids=["project", "practice"],
)
@pytest.mark.parametrize("role", list(ROLES))
def test_sql_and_python_agree_on_who_sees_each_state(db, kind, make_item, column, role):
    items = {state: make_item(state) for state in PublicationState}
    user = ROLES[role][0]()
    db.session.commit()
    db.session.expire_all()  # the Python rule reads memberships and participants afresh

    in_sql = set(
        db.session.scalars(
            db.select(kind.model.state).where(
                kind.model.id.in_([i.id for i in items.values()]),
                visibility.visible_to(kind, user),
            )
        )
    )
    in_python = {state for state, item in items.items() if visibility.can_see(user, item)}

    assert in_sql == in_python == ROLES[role][column]
