"""Retention: what the worker deletes, and when, on a frozen clock; the privacy page says so."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from baerekraft_hub.accounts.models import User
from baerekraft_hub.activity.models import ActivityEvent, EventSubject
from baerekraft_hub.core.outbox import OutboxBody, OutboxMessage, OutboxStatus
from baerekraft_hub.core.worker import registered_tasks
from baerekraft_hub.ops.retention import run_retention
from tests.core.outbox_helpers import queue_one
from tests.factories import make_member, make_user

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # the frozen clock


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_unconfirmed_accounts_go_after_14_days_with_what_they_asked_for(db):
    old = make_member("1506", user=make_user("old@example.no", confirmed=False))
    old = db.session.get(User, old.id)
    old.created_at = days_ago(14.1)
    queue_one(to="old@example.no", user=old)
    make_user("recent@example.no", confirmed=False).created_at = days_ago(13.9)
    make_user("confirmed@example.no").created_at = days_ago(400)
    db.session.commit()

    counts = run_retention(now=NOW)

    assert counts["unconfirmed_accounts"] == 1
    emails = set(db.session.scalars(db.select(User.email)))
    assert emails == {"recent@example.no", "confirmed@example.no"}
    (message,) = db.session.scalars(db.select(OutboxMessage))
    assert message.status == OutboxStatus.DROPPED and message.recipient == ""


def sent_message(key: str, sent_days_ago: float) -> OutboxMessage:
    message = queue_one(key)
    message.status = OutboxStatus.SENT.value
    message.sent_at = days_ago(sent_days_ago)
    return message


def test_delivered_email_bodies_go_after_30_days_and_their_rows_stay(db):
    old = sent_message("old", 30.1)
    recent = sent_message("recent", 29.9)
    waiting = queue_one("waiting")  # never sent: its body is still needed
    waiting.created_at = days_ago(90)
    db.session.commit()

    counts = run_retention(now=NOW)

    assert counts["email_bodies"] == 1
    db.session.expire_all()
    kept = set(db.session.scalars(db.select(OutboxBody.message_id)))
    assert kept == {recent.id, waiting.id}
    old = db.session.get(OutboxMessage, old.id)
    assert old.status == "sent" and old.sent_at is not None and old.subject  # the record stays
    assert old.body_text == "" and old.body_html == ""


def event(happened_days_ago: float) -> ActivityEvent:
    event = ActivityEvent(kind="published", details={}, created_at=days_ago(happened_days_ago))
    event.subjects.append(EventSubject(kind="organisation", key="1506"))
    return event


def test_activity_events_go_after_two_years(db):
    db.session.add_all([event(731), event(729)])
    db.session.commit()

    counts = run_retention(now=NOW)

    assert counts["activity_events"] == 1
    (kept,) = db.session.scalars(db.select(ActivityEvent))
    assert kept.created_at.replace(tzinfo=UTC) == days_ago(729)
    assert db.session.scalar(db.select(db.func.count()).select_from(EventSubject)) == 1


def test_a_period_of_0_keeps_everything_and_each_run_is_logged(app, db, monkeypatch, caplog):
    db.session.add(event(5000))
    db.session.commit()
    monkeypatch.setitem(app.config, "RETENTION_ACTIVITY_EVENTS_DAYS", 0)
    with caplog.at_level(logging.INFO, logger="baerekraft_hub.ops.retention"):
        counts = run_retention(now=NOW)
    assert counts == {"unconfirmed_accounts": 0, "email_bodies": 0}
    assert db.session.scalar(db.select(db.func.count()).select_from(ActivityEvent)) == 1
    (record,) = caplog.records
    said = "retention: deleted {'unconfirmed_accounts': 0, 'email_bodies': 0}"
    assert record.getMessage() == said
    assert record.retention == counts


def test_the_worker_runs_retention_hourly(app):
    (task,) = [task for task in registered_tasks() if task.name == "retention"]
    assert task.every_seconds == app.config["RETENTION_EVERY_SECONDS"] == 3600


@pytest.mark.parametrize(
    ("language", "sentences"),
    [
        ("nb", ["slettes 14 dager etter", "slettes 30 dager etter", "slettes etter 730 dager"]),
        ("nn", ["sletta 14 dagar etter", "sletta 30 dagar etter", "sletta etter 730 dagar"]),
        ("en", ["deleted 14 days after", "deleted 30 days after", "deleted after 730 days"]),
    ],
)
def test_the_privacy_page_states_the_periods(client, language, sentences):
    client.set_cookie("lang", language)
    page = client.get("/personvern/").get_data(as_text=True)
    for sentence in sentences:
        assert sentence in page


def test_the_privacy_page_follows_the_settings(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_EMAIL_BODIES_DAYS", 60)
    monkeypatch.setitem(app.config, "RETENTION_ACTIVITY_EVENTS_DAYS", 0)
    client.set_cookie("lang", "en")
    page = client.get("/personvern/").get_data(as_text=True)
    assert "deleted 60 days after sending" in page
    assert "Activity (what happened" not in page  # kept for good: no period to state
