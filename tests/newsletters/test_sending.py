"""Sending: the list frozen once, released a slice a minute, one copy each at a real SMTP
server, with the bulk and one-click unsubscribe headers; pause, resume, cancel."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox import OutboxMessage
from baerekraft_hub.newsletters import sending
from baerekraft_hub.newsletters.audience import Audience
from baerekraft_hub.newsletters.models import NewsletterDelivery, NewsletterStatus
from tests.conftest import links_in, text_of
from tests.newsletters.conftest import newsletter, reader


def _deliveries(db, n) -> int:
    return db.session.scalar(
        db.select(db.func.count()).where(NewsletterDelivery.newsletter_id == n.id)
    )


def test_every_recipient_gets_one_copy_with_bulk_and_unsubscribe_headers(app, db, smtp_server):
    readers = [reader(db) for _ in range(5)]
    letter = newsletter(body="Les [rapporten](https://example.org/r).", utm_campaign="des26")
    assert sending.send_now(letter) == 5
    db.session.commit()
    sending.release_due()
    sending.release_due()  # again: nothing more
    received = smtp_server.wait_for(5)
    assert Counter(m["To"] for m in received) == Counter(u.email for u in readers)
    message = received[0]
    assert message["Precedence"] == "bulk"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Each recipient's own link, in the header and visible in the body (text and HTML).
    links = {m["List-Unsubscribe"].strip("<>") for m in received}
    assert len(links) == 5
    for each in received:
        own = each["List-Unsubscribe"].strip("<>")
        assert own in links_in(each)
        assert own in each.get_body(preferencelist=("html",)).get_content()
    assert "utm_campaign=des26" in text_of(message)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "utm_campaign=des26" in html and "<img" not in html
    db.session.expire_all()
    sending.release_due()
    db.session.refresh(letter)
    assert letter.status == NewsletterStatus.SENT
    progress = sending.progress(letter)
    assert (progress.sent, progress.failed, progress.waiting) == (5, 0, 0)


def test_the_worker_releases_at_most_the_setting_per_minute(app, db):
    for _ in range(5):
        reader(db)
    letter = newsletter()
    sending.send_now(letter)
    db.session.commit()
    app.config["NEWSLETTER_MESSAGES_PER_MINUTE"] = 2
    try:
        now = utcnow()
        sending.release_due(now)
        sending.release_due(now + timedelta(seconds=30))
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 2
        sending.release_due(now + timedelta(seconds=61))
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 4
    finally:
        app.config["NEWSLETTER_MESSAGES_PER_MINUTE"] = 600
    assert sending.progress(letter).waiting == 5


def test_sending_twice_sends_once(db):
    reader(db)
    letter = newsletter()
    sending.send_now(letter)
    with pytest.raises(ValidationError):
        sending.send_now(letter)
    assert _deliveries(db, letter) == 1


def test_an_audience_of_nobody_cannot_be_sent_or_scheduled(db):
    letter = newsletter(audience=Audience(goals=[13]))
    with pytest.raises(ValidationError):
        sending.send_now(letter)
    with pytest.raises(ValidationError):
        sending.schedule(letter, utcnow() + timedelta(hours=1))
    assert letter.status == NewsletterStatus.DRAFT


def test_a_time_in_the_past_is_refused_and_a_future_one_freezes_the_list_then(db):
    reader(db)
    letter = newsletter()
    with pytest.raises(ValidationError):
        sending.schedule(letter, utcnow() - timedelta(minutes=1))
    sending.schedule(letter, utcnow() + timedelta(hours=1))
    late = reader(db)  # opted in before the time came: gets it
    db.session.commit()
    sending.release_due()
    assert _deliveries(db, letter) == 0
    sending.release_due(utcnow() + timedelta(hours=2))
    db.session.refresh(letter)
    assert letter.status == NewsletterStatus.SENDING
    assert _deliveries(db, letter) == 2
    assert late.id in {u.id for u, _status in sending.frozen_recipients(letter)}


def test_pause_takes_unsent_copies_back_resume_sends_them_cancel_stops(app, db, smtp_server):
    readers = [reader(db) for _ in range(4)]
    letter = newsletter()
    sending.send_now(letter)
    db.session.commit()
    sending.release_due()
    assert sending.pause(letter)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0
    sending.release_due(utcnow() + timedelta(minutes=5))  # paused: nothing released
    assert smtp_server.wait_for(1, timeout=0.3) == []
    assert sending.resume(letter)
    db.session.commit()
    sending.release_due()
    received = smtp_server.wait_for(4)
    assert sorted(m["To"] for m in received) == sorted(u.email for u in readers)


def test_cancel_leaves_the_rest_unsent(app, db, smtp_server):
    for _ in range(3):
        reader(db)
    letter = newsletter()
    sending.send_now(letter)
    db.session.commit()
    sending.release_due()
    assert sending.cancel(letter)
    db.session.commit()
    sending.release_due(utcnow() + timedelta(minutes=5))
    assert smtp_server.wait_for(1, timeout=0.3) == []
    assert sending.progress(letter).cancelled == 3


def test_who_unsubscribes_after_the_list_was_frozen_is_left_out(app, db, smtp_server):
    stays, leaves = reader(db), reader(db)
    letter = newsletter()
    sending.send_now(letter)
    leaves.newsletter_consent_at = None
    db.session.commit()
    sending.release_due()
    assert [m["To"] for m in smtp_server.wait_for(1)] == [stays.email]
    assert sending.progress(letter).failed == 1
