"""Network membership in the console: add, change and end, with date and contact; audited."""

from __future__ import annotations

from datetime import date, timedelta

from baerekraft_hub.audit.models import AuditEvent
from baerekraft_hub.extensions import db as _db
from tests.conftest import session_csrf
from tests.factories import make_user, organisation
from tests.hostile import PAYLOADS, dangerous_markup


def _post(client, path, data):
    token = session_csrf(client)
    return client.post(path, data={"csrf_token": token, **data})


def _audit():
    events = _db.session.scalars(_db.select(AuditEvent).order_by(AuditEvent.id))
    return [(e.action, e.target_id, e.details.get("since")) for e in events]


def test_a_municipality_joins_changes_its_contact_and_leaves(client, db, login_as):
    login_as(make_user(coordinator=True))
    data = {
        "organisation": "molde",
        "since": "2024-01-15",
        "contact_name": "Kari Kontakt",
        "contact_email": "Kari@Molde.kommune.no",
    }
    assert _post(client, "/koordinator/nettverk/", data).status_code == 302
    db.session.expire_all()
    molde = organisation("1506")
    assert molde.network_member_since == date(2024, 1, 15)
    assert molde.network_contact_email == "kari@molde.kommune.no"
    html = client.get("/koordinator/nettverk/").get_data(as_text=True)
    assert "Kari Kontakt" in html
    # Shown on the public list with its filter, as before.
    assert "Molde" in client.get("/kommuner/?network=1").get_data(as_text=True)

    response = _post(
        client, "/koordinator/nettverk/molde/", {"since": "2023-06-01", "contact_name": "Ola"}
    )
    assert response.status_code == 302
    assert (
        _post(
            client, "/koordinator/nettverk/molde/fjern/", {"leave-reason": "Meldte seg ut"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert organisation("1506").network_member_since is None
    assert organisation("1506").network_contact_name is None
    assert _audit() == [
        ("network.join", "molde", "2024-01-15"),
        ("network.update", "molde", "2023-06-01"),
        ("network.leave", "molde", "2023-06-01"),
    ]


def test_bad_input_gets_messages_and_keeps_what_was_typed(client, db, login_as):
    login_as(make_user(coordinator=True))
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    cases = [
        ({"organisation": "", "since": "2024-01-15"}, "Kommune eller fylke"),
        ({"organisation": "molde", "since": "15.01.2024", "contact_name": "Kari T"}, "15.01.2024"),
        ({"organisation": "molde", "since": tomorrow}, "fremtiden"),
        (
            {"organisation": "molde", "since": "2024-01-15", "contact_email": "ikke-epost"},
            "ikke-epost",
        ),
        ({"organisation": "ks", "since": "2024-01-15"}, "Velg et gyldig alternativ"),  # a partner
    ]
    for data, shown in cases:
        response = _post(client, "/koordinator/nettverk/", data)
        assert response.status_code == 422, data
        assert shown in response.get_data(as_text=True), data
    db.session.expire_all()
    assert organisation("1506").network_member_since is None
    assert _audit() == []


def test_partners_have_no_network_page(client, db, login_as):
    login_as(make_user(coordinator=True))
    assert client.get("/koordinator/nettverk/ks/").status_code == 404


def test_hostile_contacts_are_shown_as_text(client, db, login_as):
    login_as(make_user(coordinator=True))
    molde = organisation("1506")
    molde.network_member_since = date(2024, 1, 1)
    molde.network_contact_name = PAYLOADS[0]
    molde.network_contact_email = PAYLOADS[4]
    db.session.commit()
    for path in ("/koordinator/nettverk/", "/koordinator/nettverk/molde/"):
        html = client.get(path).get_data(as_text=True)
        assert dangerous_markup(html.split("<main", 1)[1]) == []
