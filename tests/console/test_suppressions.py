"""Suppressed addresses in the console: listed, and lifted with an audit entry."""

from __future__ import annotations

from baerekraft_hub.audit.models import AuditEvent
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox.bounces import suppressed_among
from baerekraft_hub.core.outbox.models import MailSuppression
from tests.conftest import csrf_from
from tests.factories import make_user
from tests.hostile import PAYLOADS, dangerous_markup


def test_a_suppression_is_listed_and_lifted(client, db, login_as):
    db.session.add(MailSuppression(address="borte@example.no", reason="hard", created_at=utcnow()))
    db.session.add(MailSuppression(address=PAYLOADS[0].lower(), reason="soft", created_at=utcnow()))
    me = login_as(make_user(coordinator=True))
    html = client.get("/koordinator/sperrede-adresser/").get_data(as_text=True)
    assert "borte@example.no" in html and "Avvist for godt" in html
    assert dangerous_markup(html.split("<main", 1)[1]) == []

    token = csrf_from(html)
    data = {"csrf_token": token, "address": "Borte@Example.no", "reason": "Ny postkasse"}
    response = client.post("/koordinator/sperrede-adresser/opphev/", data=data)
    assert response.status_code == 302
    assert suppressed_among({"borte@example.no"}) == set()
    (event,) = db.session.scalars(db.select(AuditEvent)).all()
    assert (event.action, event.target_id, event.reason, event.actor_id) == (
        "mail.lift_suppression",
        "borte@example.no",
        "Ny postkasse",
        me.id,
    )
    # Lifting it again says so, and logs nothing.
    response = client.post(
        "/koordinator/sperrede-adresser/opphev/", data=data, follow_redirects=True
    )
    assert "var ikke sperret" in response.get_data(as_text=True)
    assert len(db.session.scalars(db.select(AuditEvent)).all()) == 1
