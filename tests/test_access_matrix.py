"""Every route in the app, for every role, answers as `tests/access_rules.py` says."""

from __future__ import annotations

import pytest

from baerekraft_hub import create_app
from baerekraft_hub.memberships.models import Role
from baerekraft_hub.memberships.services import request_membership
from tests.access_rules import ROLES, RULES
from tests.conftest import session_csrf
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


def _molde_content() -> dict[str, int]:
    """Molde's content the paths point at: published and draft, project and practice."""
    from decimal import Decimal

    from baerekraft_hub.content.services import publish
    from baerekraft_hub.practices.services import PracticeData, create_practice
    from baerekraft_hub.projects.services import ProjectData, add_indicator, create_project

    molde = organisation("1506")
    project = create_project(ProjectData(title="Publisert", summary="S", owner=molde), None)
    publish(project, None)
    indicator = add_indicator(
        project,
        name="Andel",
        unit="%",
        baseline_value=Decimal(1),
        baseline_year=2020,
        target_value=Decimal(2),
        target_year=2030,
    )
    draft = create_project(ProjectData(title="Utkast", summary="S", owner=molde), None)
    practice = create_practice(PracticeData(title="Praksis", summary="S", owner=molde), None)
    publish(practice, None)
    practice_draft = create_practice(PracticeData(title="Utkast", summary="S", owner=molde), None)
    return {
        "project": project.id,
        "indicator": indicator.id,
        "draft": draft.id,
        "practice": practice.id,
        "practice_draft": practice_draft.id,
    }


def _newsletters() -> dict[str, int]:
    """A draft newsletter nobody would get, and one in the public archive."""
    from baerekraft_hub.core.models import utcnow
    from baerekraft_hub.extensions import db
    from baerekraft_hub.newsletters.models import Newsletter

    draft = Newsletter(subject="Utkast", body="B", audience={"goals": [13]})
    sent = Newsletter(subject="Sendt", body="B", status="sent", started_at=utcnow())
    db.session.add_all([draft, sent])
    db.session.flush()
    return {"newsletter": draft.id, "sent_newsletter": sent.id}


@pytest.fixture(scope="module", autouse=True)
def _search_index(app):
    """A search index in place, as on a running site: /readyz answers 200 only with one."""
    from baerekraft_hub.search.changes import rebuild_index

    with app.app_context():
        rebuild_index()


def route_ids() -> dict[str, int]:
    """What the paths' {placeholders} name: Molde's content, a pending request to join Molde
    ({membership}, from {applicant}), Bergen and Molde, two newsletters."""
    ids = _molde_content()
    membership = request_membership(make_user(), organisation("1506"))
    ids["membership"] = membership.id
    ids["applicant"] = membership.user_id
    ids["bergen"] = organisation("4601").id
    ids["molde"] = organisation("1506").id
    ids.update(_newsletters())
    ids["kpi_value"] = _kpi_value()
    return ids


def _kpi_value() -> int:
    """A KPI value of Molde."""
    from baerekraft_hub.extensions import db
    from baerekraft_hub.kpis.models import KpiValue
    from baerekraft_hub.sdg.models import Kpi

    kpi = db.session.scalars(db.select(Kpi).order_by(Kpi.code)).first()
    molde = organisation("1506")
    value = db.session.scalars(  # route_ids may be called twice in a test
        db.select(KpiValue).filter_by(organisation_id=molde.id, kpi_id=kpi.id, year=2023)
    ).one_or_none()
    if value is None:
        value = KpiValue(organisation=molde, kpi=kpi, year=2023, value=1.0)
        db.session.add(value)
        db.session.flush()
    return value.id


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method"), ROUTES)
def test_route_answers_each_role_as_the_table_says(client, db, login_as, endpoint, method, role):
    rule = RULES.get((endpoint, method))
    assert rule is not None, (
        f"{method} {endpoint} has no row in tests/access_rules.py: say who may use it"
    )
    ids = route_ids()
    db.session.commit()
    _sign_in(role, login_as)
    path = rule.path.format(**ids)
    if method == "GET":
        response = client.get(path)
    else:
        token = session_csrf(client)
        data = {key.format(**ids): value.format(**ids) for key, value in rule.data.items()}
        response = client.open(path, method=method, data={"csrf_token": token, **data})
    assert response.status_code == rule.expect[role], (
        f"{method} {path} as {role}: {response.status_code}, expected {rule.expect[role]}"
    )
    signed_in_only = rule.expect["anonymous"] == 302 and rule.expect["member"] != 302
    if role == "anonymous" and signed_in_only:
        assert response.headers["Location"].startswith("/logg-inn/?next=")
