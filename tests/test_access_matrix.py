"""Every route in the app, for every role, answers as `tests/access_rules.py` says."""

from __future__ import annotations

import pytest

from baerekraft_hub import create_app
from baerekraft_hub.accounts.models import Role
from baerekraft_hub.memberships.services import request_membership
from tests.access_rules import ROLES, RULES
from tests.conftest import csrf_from
from tests.factories import make_member, make_user, organisation


def _registered_routes() -> list[tuple[str, str]]:
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        {
            (rule.endpoint, method)
            for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}
        }
    )


ROUTES = _registered_routes()


def test_every_rule_names_a_route_that_exists():
    assert sorted(set(RULES) - set(ROUTES)) == []


def _sign_in(role: str, login_as):
    if role == "member":
        login_as(make_member("1506", Role.MEMBER))
    elif role == "editor":
        login_as(make_member("1506", Role.EDITOR))
    elif role == "other_admin":
        login_as(make_member("4601", Role.ADMIN))
    elif role == "coordinator":
        login_as(make_user(coordinator=True))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method"), ROUTES)
def test_route_answers_each_role_as_the_table_says(client, db, login_as, endpoint, method, role):
    rule = RULES.get((endpoint, method))
    assert rule is not None, (
        f"{method} {endpoint} has no row in tests/access_rules.py: say who may use it"
    )
    pending = request_membership(make_user(), organisation("1506"))
    db.session.commit()
    _sign_in(role, login_as)
    path = rule.path.format(membership=pending.id)
    if method == "GET":
        response = client.get(path)
    else:
        token = csrf_from(client.get("/").get_data(as_text=True))
        response = client.open(path, method=method, data={"csrf_token": token, **rule.data})
    assert response.status_code == rule.expect[role], (
        f"{method} {path} as {role}: {response.status_code}, expected {rule.expect[role]}"
    )
    signed_in_only = rule.expect["anonymous"] == 302 and rule.expect["member"] != 302
    if role == "anonymous" and signed_in_only:
        assert response.headers["Location"].startswith("/logg-inn/?next=")
