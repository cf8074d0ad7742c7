"""What mailbox providers ask of a bulk sender: DKIM signatures, bounces that reach us and
stop bulk email to dead addresses, and the bulk headers."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

import dkim
import pytest

from baerekraft_hub.core.outbox import OutboxMessage, OutboxStatus, deliver_all
from baerekraft_hub.core.outbox.bounces import bounce_receiver, row_of
from baerekraft_hub.core.outbox.models import MailBounce, MailSuppression
from baerekraft_hub.digests.models import Frequency
from baerekraft_hub.digests.periods import local_now, period_containing
from baerekraft_hub.digests.runner import send_digests
from tests.conftest import dkim_key_pair, free_port
from tests.core.outbox_helpers import queue_one, rows_of
from tests.digests.conftest import follower
from tests.digests.test_digests import _molde_news


def _today():
    return period_containing(Frequency.DAILY, local_now().date())


@pytest.fixture()
def dkim_key(app, tmp_path):
    """DKIM signing configured with a fresh key; the DNS record of its public key."""
    private, record = dkim_key_pair(tmp_path)
    settings = {
        "DKIM_DOMAIN": "baerekraftshub.no",
        "DKIM_SELECTOR": "hub2026",
        "DKIM_PRIVATE_KEY_FILE": str(private),
    }
    previous = {k: app.config[k] for k in settings}
    app.config.update(settings)
    yield record
    app.config.update(previous)


def test_outgoing_email_carries_a_dkim_signature_that_verifies(db, smtp_server, dkim_key):
    queue_one(to="kari@example.no")
    db.session.commit()
    deliver_all()
    (envelope,) = smtp_server.handler.envelopes
    raw = envelope.original_content
    assert raw.startswith(b"DKIM-Signature:")

    def dns(name, timeout=5):  # the TXT record the domain publishes for the selector
        assert name == b"hub2026._domainkey.baerekraftshub.no."
        return dkim_key

    assert dkim.verify(raw, dnsfunc=dns)
    tampered = raw.replace(b"Subject: ", b"Subject: Re: ", 1)
    assert not dkim.verify(tampered, dnsfunc=dns)


def test_without_a_key_nothing_is_signed(db, smtp_server):
    queue_one()
    db.session.commit()
    deliver_all()
    assert b"DKIM-Signature" not in smtp_server.handler.envelopes[0].original_content


@pytest.fixture()
def bounces(app):
    """BOUNCE_DOMAIN set, and `flask mail bounces`' receiver running on a free port."""
    previous = app.config["BOUNCE_DOMAIN"]
    app.config["BOUNCE_DOMAIN"] = "bounces.baerekraftshub.no"
    receiver = bounce_receiver(app, "127.0.0.1", free_port())
    receiver.start()
    yield receiver
    receiver.stop()
    app.config["BOUNCE_DOMAIN"] = previous


def dsn(recipient: str, status: str, action: str) -> bytes:
    """A delivery status notification (RFC 3464), as Postfix sends one."""
    return f"""\
From: MAILER-DAEMON@mx.example.no (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@bounces.baerekraftshub.no
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.no.
I'm sorry to have to inform you that your message could not be delivered.

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.no

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; {status.replace(".", "")[:1]}50 {status} mailbox problem

--B1--
""".encode()


def send_bounce(receiver, to: str, message: bytes) -> None:
    with smtplib.SMTP(receiver.hostname, receiver.port) as smtp:
        smtp.sendmail("", [to], message)


def test_each_email_bounces_to_an_address_of_its_own(db, smtp_server, bounces):
    message = queue_one(to="kari@example.no")
    db.session.commit()
    deliver_all()
    (envelope,) = smtp_server.handler.envelopes
    assert envelope.mail_from.startswith("bounces+")
    assert envelope.mail_from.endswith("@bounces.baerekraftshub.no")
    assert row_of(envelope.mail_from) == message.id
    forged = envelope.mail_from.replace(f"+{message.id}.", f"+{message.id + 1}.")
    assert row_of(forged) is None


def test_a_hard_bounce_stops_digests_to_the_address_but_not_account_email(db, smtp_server, bounces):
    kari = follower(db, ("goal", 13), name="Kari")
    queue_one("first", to=kari.email)
    db.session.commit()
    deliver_all()
    return_path = smtp_server.handler.envelopes[0].mail_from
    send_bounce(bounces, return_path, dsn(kari.email, "5.1.1", "failed"))

    db.session.expire_all()
    (bounce,) = db.session.scalars(db.select(MailBounce))
    assert (bounce.address, bounce.permanent) == (kari.email, True)
    assert db.session.get(MailSuppression, kari.email).reason == "hard"

    _molde_news(db)
    report = send_digests(Frequency.DAILY, _today())
    assert report.queued == 1 and report.delivery.dropped == 1
    queue_one("reset", to=kari.email)  # she asks for a new password: that still goes
    db.session.commit()
    deliver_all()
    assert len(smtp_server.handler.envelopes) == 2
    digest = next(r for r in rows_of(db) if r.template == "digest")
    assert digest.status == OutboxStatus.DROPPED and digest.last_error == "address bounced"


def test_soft_bounces_suppress_only_from_the_limit_on(db, smtp_server, bounces, app):
    for key in ("a", "b", "c"):
        queue_one(key, to="full@example.no")
    db.session.commit()
    deliver_all()
    paths = [e.mail_from for e in smtp_server.handler.envelopes]
    limit = app.config["BOUNCE_SOFT_LIMIT"]
    assert limit == 3
    for count, path in enumerate(paths, start=1):
        send_bounce(bounces, path, dsn("full@example.no", "4.2.2", "delayed"))
        db.session.expire_all()
        suppressed = db.session.get(MailSuppression, "full@example.no")
        assert (suppressed is not None) == (count >= limit), count
    assert suppressed.reason == "soft"


def test_mail_that_is_no_bounce_or_not_ours_changes_nothing(db, smtp_server, bounces):
    queue_one(to="kari@example.no")
    db.session.commit()
    deliver_all()
    return_path = smtp_server.handler.envelopes[0].mail_from
    reply = EmailMessage()
    reply["Subject"] = "Fraværende"
    reply.set_content("Jeg er på ferie til 3. januar.")
    send_bounce(bounces, return_path, reply.as_bytes())  # an auto-reply
    # A report about an address we never wrote to, sent to no VERP address of ours.
    stranger = "bounces@bounces.baerekraftshub.no"
    send_bounce(bounces, stranger, dsn("someone@example.no", "5.1.1", "failed"))
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_bounce(bounces, "kari@example.no", dsn("kari@example.no", "5.1.1", "failed"))
    db.session.expire_all()
    assert db.session.scalars(db.select(MailBounce)).all() == []
    assert db.session.scalars(db.select(MailSuppression)).all() == []


def test_the_cli_lists_and_lifts_suppressions(db, runner):
    db.session.add(MailSuppression(address="gone@example.no", reason="hard"))
    db.session.commit()
    listed = runner.invoke(args=["mail", "suppressed"])
    assert "gone@example.no\thard" in listed.output
    lifted = runner.invoke(args=["mail", "unsuppress", "Gone@Example.no"])
    assert lifted.exit_code == 0, lifted.output
    assert runner.invoke(args=["mail", "suppressed"]).output == ""
    again = runner.invoke(args=["mail", "unsuppress", "gone@example.no"])
    assert again.exit_code == 1 and "not suppressed" in again.output


def test_digests_are_marked_bulk(db, smtp_server):
    follower(db, ("goal", 13))
    _molde_news(db)
    send_digests(Frequency.DAILY, _today())
    (message,) = smtp_server.wait_for(1)
    assert message["Precedence"] == "bulk"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"] == rows_of(db)[0].message_id
    assert isinstance(rows_of(db)[0], OutboxMessage)
