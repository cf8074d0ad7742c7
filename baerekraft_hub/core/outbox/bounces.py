"""Bounces: what the mail system sends back, and the addresses bulk email then avoids.

With `BOUNCE_DOMAIN` set, every email leaves with an envelope sender of its own there
(VERP: `bounces+<row>.<check>@domain`), so a bounce names the email that bounced even when
the report itself is vague. `flask mail bounces` receives them (SMTP, aiosmtpd), reads the
delivery status notification with flufl.bounce and records each. A hard bounce suppresses
the address for bulk email (digests, newsletters) at once; soft bounces do when
BOUNCE_SOFT_LIMIT of them arrive within BOUNCE_SOFT_WINDOW_DAYS. Account email (confirmation,
password reset) still goes: its user may have fixed the mailbox and asked for it.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app
from flufl.bounce import all_failures
from sqlalchemy import func

from baerekraft_hub.core.dialects import insert_ignoring_conflicts
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox.models import MailBounce, MailSuppression, OutboxMessage
from baerekraft_hub.extensions import db

log = logging.getLogger(__name__)

_VERP = re.compile(r"^bounces\+(\d+)\.([0-9a-f]{10})@(.+)$", re.IGNORECASE)


def _check(row_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"bounce:{row_id}".encode(), hashlib.sha256).hexdigest()[:10]


def envelope_sender(row_id: int, sender: str) -> str:
    """The address an email's bounces go to: its own VERP address, or the sender's."""
    domain = current_app.config.get("BOUNCE_DOMAIN")
    if not domain:
        return sender
    return f"bounces+{row_id}.{_check(row_id)}@{domain}"


def row_of(address: str) -> int | None:
    """The outbox row a VERP address was made for; None for any other (or forged) address."""
    match = _VERP.match(address.strip("<>"))
    if not match or match.group(3).lower() != (current_app.config["BOUNCE_DOMAIN"] or "").lower():
        return None
    row_id = int(match.group(1))
    return row_id if hmac.compare_digest(match.group(2).lower(), _check(row_id)) else None


@dataclass
class BounceOutcome:
    hard: list[str]
    soft: list[str]
    suppressed: list[str]


def record_bounce(raw: bytes, to_addresses: list[str]) -> BounceOutcome:
    """Record the bounce `raw`, received for `to_addresses`; suppress what must be.

    The VERP address names the email, and so the address, that bounced; the report's own
    recipients count only when no VERP address does (a report we cannot tie to an email we
    sent is read, but never trusted to name somebody else's address: it must be ours).
    Commits: the receiver is a process of its own, like the deliverer.
    """
    outcome = BounceOutcome([], [], [])
    temporary, permanent = _failures(raw)
    if not temporary and not permanent:  # an auto-reply, or a report nobody can read
        log.info("bounce: a message to %s names no failure; ignored", to_addresses)
        return outcome
    rows = [r for r in (row_of(a) for a in to_addresses) if r is not None]
    sent = {
        row.id: row.recipient.lower()
        for row in db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.id.in_(rows)))
    }
    if sent:
        for row_id, address in sent.items():
            # A report may name another address than ours (after forwarding): then it is
            # final if it names a final failure.
            hard = address in permanent or (address not in temporary and bool(permanent))
            _add(outcome, address, hard, row_id)
    else:
        known = _known_recipients(permanent | temporary)
        for address in sorted(known):
            _add(outcome, address, address in permanent, None)
    db.session.commit()
    outcome.suppressed = _suppress(outcome)
    db.session.commit()
    log.info(
        "bounce: hard %s, soft %s, suppressed %s", outcome.hard, outcome.soft, outcome.suppressed
    )
    return outcome


def _failures(raw: bytes) -> tuple[set[str], set[str]]:
    """The temporary and the permanent failures a report names (lower case)."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    try:
        found = all_failures(message)
    except Exception:  # noqa: BLE001 - flufl's detectors trip over some odd messages
        log.warning("bounce: could not read a report", exc_info=True)
        return set(), set()
    temporary, permanent = ({_address(a) for a in part} for part in found)
    return temporary, permanent


def _address(found: bytes | str) -> str:
    text = found.decode(errors="replace") if isinstance(found, bytes) else found
    return text.strip("<> ").lower()


def _known_recipients(addresses: set[str]) -> set[str]:
    """Those of `addresses` we have sent email to."""
    if not addresses:
        return set()
    recipient = func.lower(OutboxMessage.recipient)
    return set(db.session.scalars(db.select(recipient).where(recipient.in_(addresses)).distinct()))


def _add(outcome: BounceOutcome, address: str, hard: bool, row_id: int | None) -> None:
    db.session.add(MailBounce(address=address, permanent=hard, outbox_message_id=row_id))
    (outcome.hard if hard else outcome.soft).append(address)


def _suppress(outcome: BounceOutcome) -> list[str]:
    config = current_app.config
    since = utcnow() - timedelta(days=config["BOUNCE_SOFT_WINDOW_DAYS"])
    reasons = {address: "hard" for address in outcome.hard}
    for address in set(outcome.soft) - set(reasons):
        count = db.session.scalar(
            db.select(func.count())
            .select_from(MailBounce)
            .where(MailBounce.address == address, MailBounce.received_at >= since)
            .where(MailBounce.permanent.is_(False))
        )
        if count >= config["BOUNCE_SOFT_LIMIT"]:
            reasons[address] = "soft"
    for address, reason in reasons.items():
        db.session.execute(
            insert_ignoring_conflicts(
                MailSuppression,
                {"address": address, "reason": reason, "created_at": utcnow()},
                ["address"],
            )
        )
    return sorted(reasons)


def suppressed_among(addresses: set[str]) -> set[str]:
    """Which of `addresses` (any case) bulk email must not go to: one query."""
    if not addresses:
        return set()
    lower = {a.lower() for a in addresses}
    found = set(
        db.session.scalars(
            db.select(MailSuppression.address).where(MailSuppression.address.in_(lower))
        )
    )
    return {a for a in addresses if a.lower() in found}


def suppressions() -> list[MailSuppression]:
    return list(db.session.scalars(db.select(MailSuppression).order_by(MailSuppression.address)))


def lift(address: str) -> bool:
    """Let bulk email go to `address` again; whether it was suppressed."""
    found = db.session.get(MailSuppression, address.lower())
    if found is None:
        return False
    db.session.delete(found)
    return True


class BounceHandler:
    """aiosmtpd handler: takes mail for the bounce domain only, and records each bounce."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        domain = (self.app.config.get("BOUNCE_DOMAIN") or "").lower()
        if not domain or not address.lower().endswith("@" + domain):
            return "550 5.1.1 Not a bounce address here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        import asyncio

        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self._record, envelope.original_content, envelope.rcpt_tos)
        return "250 Bounce recorded"

    def _record(self, raw: bytes, rcpt_tos: list[str]) -> None:
        with self.app.app_context():
            try:
                record_bounce(raw, list(rcpt_tos))
            except Exception:
                db.session.rollback()
                log.exception("bounce: could not record a bounce")
                raise
            finally:
                db.session.remove()


def bounce_receiver(app: Flask, host: str, port: int):
    """An aiosmtpd controller (not started) that records bounces for `app`."""
    from aiosmtpd.controller import Controller

    return Controller(BounceHandler(app), hostname=host, port=port)
