"""The outbox: queued in the transaction, delivered once, retried with back-off, never lost."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox import (
    HeaderInjectionError,
    OutboxMessage,
    OutboxStatus,
    deliver_pending,
    queue_email,
)
from tests.conftest import free_port, text_of
from tests.core.outbox_helpers import queue_one, rows_of
from tests.factories import make_user


def test_queue_renders_in_the_language_asked_and_flushes_without_committing(db):
    message = queue_one(language="nn")
    assert message.id is not None and message.status == OutboxStatus.PENDING
    assert message.subject == "Stadfest e-postadressa di for Bærekraftshub"
    assert "Hei Kari," in message.body_text
    assert '<html lang="nn">' in message.body_html
    assert message.message_id.endswith("@baerekraftshub.no>")
    assert message.headers == {"Auto-Submitted": "auto-generated"}
    db.session.rollback()  # the caller's transaction decides: nothing was committed
    assert rows_of(db) == []


def test_a_dedup_key_that_exists_queues_nothing(db):
    assert queue_one("same") is not None
    assert queue_one("same", to="other@example.no") is None
    db.session.commit()
    assert [m.recipient for m in rows_of(db)] == ["kari@example.no"]


@pytest.mark.parametrize(
    "extra",
    [
        {"to": "kari@example.no\r\nBcc: victim@example.no"},
        {"headers": {"X-Note": "a\nBcc: victim@example.no"}},
        {"headers": {"X-Bad\r\nBcc": "victim@example.no"}},
    ],
)
def test_line_breaks_in_any_header_are_refused(db, extra):
    with pytest.raises(HeaderInjectionError):
        queue_one(**extra)


def test_a_line_break_in_a_rendered_subject_becomes_a_space(db):
    """Subjects quote stored text (names, titles): it is put on one line, never refused."""
    row = queue_email(
        to="admin@example.no",
        template="membership_requested",
        context={
            "name": "Admin",
            "requester": "Eve\r\nBcc: victim@example.no\u2028\t",
            "requester_email": "eve@example.no",
            "organisation": "Molde",
            "url": "http://localhost/",
        },
        language="en",
        dedup_key="evil",
    )
    assert "Eve Bcc: victim@example.no asks" in row.subject
    assert row.subject.isprintable()


def test_one_pass_sends_each_message_once_over_smtp(db, smtp_server):
    queue_one("a", to="a@example.no")
    queue_one("b", to="b@example.no", headers={"X-Campaign": "test"})
    db.session.commit()
    report = deliver_pending()
    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    received = smtp_server.messages
    assert sorted(m["To"] for m in received) == ["a@example.no", "b@example.no"]
    message = next(m for m in received if m["To"] == "b@example.no")
    assert message["X-Campaign"] == "test"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@baerekraftshub.no>")
    assert message.get_body(preferencelist=("html",)) is not None
    assert "Hei Kari," in text_of(message)
    assert all(row.status == OutboxStatus.SENT and row.sent_at for row in rows_of(db))
    assert deliver_pending().sent == 0  # a second pass finds nothing to send
    assert len(smtp_server.messages) == 2


def test_a_slow_batch_gives_back_what_it_has_not_sent_before_its_claim_goes_stale(
    app, db, smtp_server, monkeypatch
):
    """Another deliverer takes over a claim older than OUTBOX_CLAIM_TIMEOUT_SECONDS: a batch
    still sending by then would see its messages sent twice."""
    from baerekraft_hub.core.outbox import delivery

    for n in range(6):
        queue_one(f"k{n}", to=f"person{n}@example.no")
    db.session.commit()
    monkeypatch.setitem(app.config, "OUTBOX_CLAIM_TIMEOUT_SECONDS", 1.0)
    send = delivery._send

    def slow_send(*args):
        send(*args)
        time.sleep(0.2)  # a slow mail server

    monkeypatch.setattr(delivery, "_send", slow_send)
    report = deliver_pending()
    assert 0 < report.sent < 6 and report.retrying == report.failed == 0
    rows = rows_of(db)
    waiting = [row for row in rows if row.status == OutboxStatus.PENDING]
    assert len(waiting) == 6 - report.sent
    assert all(row.attempts == 0 and row.claimed_at is None for row in waiting)
    while deliver_pending().sent:
        pass
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(
        f"person{n}@example.no" for n in range(6)
    )  # each exactly once


def _sent_in_database(db) -> int:
    """Rows recorded as sent, as another process would read them (its own connection)."""
    with db.engine.connect() as connection:
        query = db.select(db.func.count()).where(OutboxMessage.status == OutboxStatus.SENT.value)
        return connection.scalar(query)


def test_while_a_message_is_sent_only_the_one_before_may_still_be_recorded(
    db, smtp_server, monkeypatch
):
    """Outcomes are committed while the next message goes out, but never more than one
    behind: a deliverer killed mid-batch sends no more than that again (its claim taken
    up by another)."""
    from baerekraft_hub.core.outbox import delivery

    for n in range(6):
        queue_one(f"k{n}", to=f"person{n}@example.no")
    db.session.commit()
    send, seen = delivery._send, []

    def send_and_look(*args):
        seen.append(_sent_in_database(db))
        send(*args)

    monkeypatch.setattr(delivery, "_send", send_and_look)
    assert deliver_pending().sent == 6
    assert all(recorded >= index - 1 for index, recorded in enumerate(seen)), seen
    assert _sent_in_database(db) == 6  # all recorded when the pass returns


@pytest.mark.parametrize("gone", ["on connecting", "on writing"])
def test_an_outcome_that_cannot_be_recorded_stops_the_batch(db, smtp_server, monkeypatch, gone):
    """Sending on without recording would send those messages again later."""
    from baerekraft_hub.core.outbox import delivery

    for n in range(4):
        queue_one(f"k{n}", to=f"person{n}@example.no")
    db.session.commit()

    class GoneDatabase:
        dialect = type("Dialect", (), {"name": "sqlite"})
        invalidated = False

        def execute(self, *args):
            raise RuntimeError("the database is gone")

        def close(self):
            pass

    def connect(engine):
        if gone == "on connecting":
            raise RuntimeError("the database is gone")
        return GoneDatabase()

    monkeypatch.setattr(delivery, "_outcomes_connection", connect)
    with pytest.raises(RuntimeError, match="the database is gone"):
        deliver_pending()
    assert 1 <= len(smtp_server.messages) <= 2  # the first, and at most the one after it
    assert all(row.status == OutboxStatus.SENDING for row in rows_of(db))  # taken up later


def test_a_refused_recipient_fails_alone_and_does_not_stop_the_batch(db, smtp_server):
    smtp_server.refuse("nobody@example.no")
    smtp_server.refuse("busy@example.no", "451 4.3.0 Try again later")
    queue_one("1", to="nobody@example.no")
    queue_one("2", to="busy@example.no")
    queue_one("3", to="kari@example.no")
    db.session.commit()
    report = deliver_pending()
    assert (report.sent, report.retrying, report.failed) == (1, 1, 1)
    by_recipient = {row.recipient: row for row in rows_of(db)}
    assert by_recipient["nobody@example.no"].status == OutboxStatus.FAILED
    assert "550" in by_recipient["nobody@example.no"].last_error
    busy = by_recipient["busy@example.no"]
    assert busy.status == OutboxStatus.PENDING and busy.attempts == 1 and "451" in busy.last_error
    assert by_recipient["kari@example.no"].status == OutboxStatus.SENT
    assert [m["To"] for m in smtp_server.messages] == ["kari@example.no"]


def test_retries_back_off_exponentially_and_give_up_in_the_end(app, db):
    app.config["MAIL_PORT"] = free_port()  # nobody listens
    try:
        queue_one()
        db.session.commit()
        delays = []
        for _ in range(3):
            before = utcnow()
            report = deliver_pending(due_only=False)
            assert report.retrying == 1
            row = rows_of(db)[0]
            next_at = row.next_attempt_at.replace(tzinfo=None)
            delays.append(round((next_at - before.replace(tzinfo=None)).total_seconds()))
        assert delays == [30, 60, 120]
        assert deliver_pending().retrying == 0  # not due yet: the worker waits
        row.attempts = app.config["OUTBOX_MAX_ATTEMPTS"] - 1
        db.session.commit()
        assert deliver_pending(due_only=False).failed == 1
        assert rows_of(db)[0].status == OutboxStatus.FAILED
    finally:
        app.config["MAIL_PORT"] = 0


def test_without_a_configured_server_nothing_is_attempted(db):
    queue_one()
    db.session.commit()
    report = deliver_pending()
    assert report.skipped and "no mail server" in str(report)
    assert rows_of(db)[0].attempts == 0


def test_two_deliverers_at_once_never_send_a_message_twice(app, db, smtp_server):
    for n in range(30):
        queue_one(f"m{n}", to=f"person{n}@example.no")
    db.session.commit()
    reports = []

    def deliver():
        with app.app_context():
            reports.append(deliver_pending(limit=10))
            reports.append(deliver_pending(limit=10))
            reports.append(deliver_pending(limit=10))

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    received = sorted(m["To"] for m in smtp_server.wait_for(30))
    assert received == sorted(f"person{n}@example.no" for n in range(30))
    assert sum(r.sent for r in reports) == 30


def test_a_claim_left_by_a_crashed_deliverer_is_taken_up_again(app, db, smtp_server):
    message = queue_one()
    message.status = OutboxStatus.SENDING.value
    message.claimed_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert deliver_pending().sent == 1
    assert len(smtp_server.messages) == 1


def test_a_message_to_a_user_deleted_meanwhile_is_dropped(db, smtp_server):
    from baerekraft_hub.accounts.services import delete_user
    from tests.factories import PASSWORD

    user = make_user("kari@example.no", name="Kari")
    queue_one(user=user)
    db.session.commit()
    delete_user(user, PASSWORD)
    db.session.commit()
    report = deliver_pending()
    assert report.sent == 0
    row = rows_of(db)[0]
    assert row.status == OutboxStatus.DROPPED
    assert row.recipient == "" and row.body_text == "" and row.user_id is None
    assert smtp_server.messages == []


def test_moving_the_bodies_apart_keeps_queued_messages_both_ways(scratch_database):
    """Migration 0007 moves the bodies of messages waiting in the outbox to their own table,
    and its downgrade moves them back."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from baerekraft_hub import create_app
    from baerekraft_hub.extensions import db

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": scratch_database})
    now = utcnow()
    with app.app_context():
        upgrade(revision="0006")
        db.session.execute(
            text(
                "INSERT INTO outbox_message (dedup_key, recipient, language, template, subject,"
                " body_text, body_html, headers, message_id, status, attempts, next_attempt_at,"
                " created_at, updated_at) VALUES ('k1', 'kari@example.no', 'nb', 'digest',"
                " 'Emne', 'Hei Kari', '<p>Hei Kari</p>', '{}', '<m1@x>', 'pending', 0,"
                " :now, :now, :now)"
            ),
            {"now": now},
        )
        db.session.commit()
        upgrade()
        message = db.session.scalars(db.select(OutboxMessage)).one()
        assert (message.body_text, message.body_html) == ("Hei Kari", "<p>Hei Kari</p>")
        db.session.rollback()
        downgrade(revision="0006")
        moved_back = db.session.execute(text("SELECT body_text, body_html FROM outbox_message"))
        assert moved_back.all() == [("Hei Kari", "<p>Hei Kari</p>")]
        db.session.rollback()
        db.engine.dispose()


def test_delivery_gives_connections_back_as_durable_as_it_found_them(db, smtp_server):
    """Outcomes are committed without waiting for the disk on PostgreSQL: on their own
    connection only, never on one a request gets from the pool afterwards."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL setting")
    queue_one()
    db.session.commit()
    assert deliver_pending().sent == 1
    db.session.remove()
    pooled = [db.engine.connect() for _ in range(db.engine.pool.checkedin())]
    try:
        settings = [c.exec_driver_sql("SHOW synchronous_commit").scalar() for c in pooled]
    finally:
        for connection in pooled:
            connection.close()
    assert settings and set(settings) == {"on"}
