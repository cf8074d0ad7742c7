"""The audit log: `record` writes who/what/when/why; the console lists it with filters."""

from __future__ import annotations

from datetime import timedelta

from baerekraft_hub.audit import record
from baerekraft_hub.audit.models import AuditEvent
from baerekraft_hub.core.models import utcnow
from tests.factories import make_user
from tests.hostile import PAYLOADS, dangerous_markup


def test_record_keeps_who_what_and_why(db):
    actor = make_user(name="Kari Koordinator", coordinator=True)
    event = record(actor, "user.deactivate", "user", 42, reason="  Sluttet  ", details={"a": 1})
    db.session.commit()
    stored = db.session.get(AuditEvent, event.id)
    assert (stored.actor_id, stored.actor_name, stored.action) == (
        actor.id,
        "Kari Koordinator",
        "user.deactivate",
    )
    assert (stored.target_kind, stored.target_id, stored.reason) == ("user", "42", "Sluttet")
    assert stored.details == {"a": 1}
    assert stored.created_at is not None


def test_a_command_without_a_user_can_record(db):
    event = record(None, "network.join", "organisation", "1506")
    assert (event.actor_id, event.actor_name, event.reason) == (None, "", None)


def _log(client, **args):
    response = client.get("/koordinator/logg/", query_string=args)
    return response, response.get_data(as_text=True)


def test_the_log_filters_by_actor_action_and_dates(client, db, login_as):
    kari = make_user(name="Kari Koordinator", coordinator=True)
    ola = make_user(name="Ola Nordmann", coordinator=True)
    record(kari, "user.deactivate", "user", 1, reason="grunn-en")
    old = record(ola, "user.reactivate", "user", 2, reason="grunn-to")
    old.created_at = utcnow() - timedelta(days=40)
    login_as(kari)

    response, html = _log(client)
    assert response.status_code == 200
    assert "grunn-en" in html and "grunn-to" in html
    assert "Deaktiverte en bruker" in html  # the action's label, in the user's language

    _, html = _log(client, actor="ola")
    assert "grunn-to" in html and "grunn-en" not in html
    _, html = _log(client, action="user.deactivate")
    assert "grunn-en" in html and "grunn-to" not in html
    since = (utcnow() - timedelta(days=7)).date().isoformat()
    _, html = _log(client, since=since)
    assert "grunn-en" in html and "grunn-to" not in html
    until = (utcnow() - timedelta(days=30)).date().isoformat()
    _, html = _log(client, until=until)
    assert "grunn-to" in html and "grunn-en" not in html


def test_bad_dates_get_a_message_and_keep_what_was_typed(client, db, login_as):
    login_as(make_user(coordinator=True))
    response, html = _log(client, since="31.02.2026", actor="Kari")
    assert response.status_code == 422
    assert "31.02.2026" in html and 'value="Kari"' in html
    response, html = _log(client, since="2026-05-02", until="2026-05-01")
    assert response.status_code == 422
    assert "2026-05-01" in html
    for since, until in (("0001-01-01", "9999-12-31"), ("9999-12-31", "9999-12-31")):
        assert _log(client, since=since, until=until)[0].status_code == 200


def test_the_log_is_paginated(client, db, login_as):
    actor = make_user(coordinator=True)
    for n in range(35):
        record(actor, "network.join", "organisation", n, reason=f"r{n:02d}x")
    login_as(actor)
    _, first = _log(client)
    _, second = _log(client, page=2)
    assert "r34x" in first and "r00x" not in first
    assert "r00x" in second and "r34x" not in second


def test_hostile_reasons_and_names_are_shown_as_text(client, db, login_as):
    actor = make_user(name=PAYLOADS[0][:120], coordinator=True)
    for payload in PAYLOADS:
        record(
            actor, payload[:60], payload[:40], payload, reason=payload, details={"label": payload}
        )
    login_as(actor)
    response, html = _log(client)
    assert response.status_code == 200
    assert dangerous_markup(html.split("<main", 1)[1]) == []
