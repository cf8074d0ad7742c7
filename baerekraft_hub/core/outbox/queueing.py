"""Queueing: an email becomes an outbox row in the transaction that causes it (flush, never
commit), rendered in the recipient's language, at most once per de-duplication key."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any, Protocol

from flask import current_app
from sqlalchemy import update

from baerekraft_hub.core.dialects import insert_ignoring_conflicts
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox.message import check_header, render_email
from baerekraft_hub.core.outbox.models import OutboxBody, OutboxMessage, OutboxStatus
from baerekraft_hub.core.request_id import current_request_id
from baerekraft_hub.extensions import db


class Recipient(Protocol):
    """A user an email is for, as the outbox sees one (core knows no User model)."""

    id: int
    email: str


@dataclass
class Email:
    """An email to queue: what `queue_email` takes, as one value (for `queue_emails`)."""

    to: str
    template: str
    context: dict[str, Any]
    language: str
    dedup_key: str
    user: Recipient | None = None
    headers: dict[str, str] | None = None
    # Subject, text and HTML rendered beforehand (a newsletter renders once per language).
    prerendered: tuple[str, str, str] | None = None

    def all_headers(self) -> dict[str, str]:
        return {"Auto-Submitted": "auto-generated", **(self.headers or {})}

    def check_headers(self) -> None:
        check_header("To", self.to)
        for name, value in self.all_headers().items():
            check_header(name, value)

    def rendered(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The values of the outbox row and of its body, rendered in the recipient's
        language."""
        subject, text, html = self.prerendered or render_email(
            self.template, self.context, self.language
        )
        now = utcnow()
        return {
            "dedup_key": self.dedup_key,
            "recipient": self.to.strip(),
            "user_id": self.user.id if self.user is not None else None,
            "language": self.language,
            "template": self.template,
            "subject": subject,
            "headers": self.all_headers(),
            "message_id": make_msgid(domain=current_app.config["MAIL_MESSAGE_ID_DOMAIN"]),
            "status": OutboxStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            "updated_at": now,
            "request_id": current_request_id(),
        }, {"text": text, "html": html}


def queue_email(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    dedup_key: str,
    user: Recipient | None = None,
    headers: dict[str, str] | None = None,
) -> OutboxMessage | None:
    """Add an email to the outbox in the current transaction (flush, never commit).

    Returns the new row, or None when a message with `dedup_key` was queued before.
    Raises HeaderInjectionError when the recipient, subject or a header holds CR or LF.
    """
    email = Email(to, template, context, language, dedup_key, user, headers)
    email.check_headers()
    existing = db.session.scalar(
        db.select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key)
    )
    if existing is not None:
        return None
    values, body = email.rendered()
    # INSERT ... ON CONFLICT DO NOTHING: a concurrent request that queued the same key first
    # wins quietly instead of failing this request's whole transaction.
    statement = insert_ignoring_conflicts(OutboxMessage, values, ["dedup_key"])
    new_id = db.session.execute(statement.returning(OutboxMessage.id)).scalar()
    if new_id is None:
        return None
    db.session.execute(db.insert(OutboxBody).values(message_id=new_id, **body))
    return db.session.get(OutboxMessage, new_id)


def queue_emails(emails: list[Email]) -> int:
    """Queue many emails with one INSERT (flush, never commit); return how many were new.

    The batch form of `queue_email`, for runs that queue thousands (digests): the same
    rendering, header checks and de-duplication, without three statements per message.
    """
    for message in emails:
        message.check_headers()
    keys = [message.dedup_key for message in emails]
    queued = set(
        db.session.scalars(
            db.select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.in_(keys))
        )
    )
    new = {}
    for message in emails:
        if message.dedup_key not in queued and message.dedup_key not in new:
            new[message.dedup_key] = message.rendered()
    if not new:
        return 0
    # One statement, many parameter sets: SQLAlchemy batches them ("insertmanyvalues")
    # without building a statement as wide as the batch.
    table = OutboxMessage.__table__
    statement = insert_ignoring_conflicts(table, None, ["dedup_key"]).returning(
        table.c.id, table.c.dedup_key
    )
    inserted = db.session.execute(statement, [values for values, _ in new.values()]).all()
    bodies = [dict(new[key][1], message_id=message_id) for message_id, key in inserted]
    if bodies:
        db.session.execute(db.insert(OutboxBody.__table__), bodies)
    return len(bodies)


def forget_user(user: Recipient) -> None:
    """Drop the user's unsent emails and blank the personal data of every email to them."""
    mine = (OutboxMessage.user_id == user.id) | (OutboxMessage.recipient == user.email)
    unsent = (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)
    db.session.execute(
        update(OutboxMessage)
        .where(mine, OutboxMessage.status.in_(unsent))
        .values(status=OutboxStatus.DROPPED.value),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        update(OutboxBody)
        .where(OutboxBody.message_id.in_(db.select(OutboxMessage.id).where(mine)))
        .values(text="", html=""),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        update(OutboxMessage).where(mine).values(recipient="", subject="", headers={}),
        execution_options={"synchronize_session": False},
    )
