"""The outbox: every email is a row written in the transaction that causes it, sent after commit.

`queue_email` renders the message in the recipient's language and adds its row (flush, never
commit). Requests never talk to SMTP: a mail server that hangs must not hold a web worker.
`flask worker` looks for due rows every second (one indexed query) and delivers them with
`deliver_pending`, which retries failures with back-off; `flask outbox deliver` does it by
hand. A unique de-duplication key means a rerun never queues the same email twice; claiming
rows with a conditional UPDATE means two deliverers never send the same row twice; a crash
between commit and delivery loses nothing.
"""

from __future__ import annotations

import email.policy
import logging
import smtplib
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app
from flask_mail import Connection
from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Update,
    bindparam,
    or_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection as DbConnection
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from baerekraft_hub.core.i18n import rendering_in
from baerekraft_hub.core.models import TimestampMixin, utcnow
from baerekraft_hub.core.text import one_line
from baerekraft_hub.extensions import db

if TYPE_CHECKING:
    from baerekraft_hub.accounts.models import User

log = logging.getLogger(__name__)


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a deliverer
    SENT = "sent"
    FAILED = "failed"  # refused for good, or out of attempts
    DROPPED = "dropped"  # its user was deleted before it went out


class OutboxMessage(TimestampMixin, db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (
        Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What makes two messages "the same email": queueing a key that exists is a no-op.
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(254))
    # Who the message is for, when it is for an account; deleting the account drops it.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str] = mapped_column(String(2))
    template: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[OutboxBody] = relationship(
        back_populates="message", cascade="all, delete-orphan", passive_deletes=True
    )
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Fixed when queued, so a retry carries the same Message-ID and receivers can de-duplicate.
    message_id: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.template} {self.status}>"

    @property
    def body_text(self) -> str:
        return self.body.text

    @property
    def body_html(self) -> str:
        return self.body.html


class OutboxBody(db.Model):
    """A message's text and HTML, apart from its delivery state: a state change (claimed,
    sent, put back) then rewrites a small row, where SQLite would rewrite all of a ~10 KB
    digest with it."""

    __tablename__ = "outbox_body"

    message_id: Mapped[int] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    message: Mapped[OutboxMessage] = relationship(back_populates="body")


class HeaderInjectionError(ValueError):
    """A header value contained CR or LF, which would let it add headers of its own."""


def _check_header(name: str, value: str) -> None:
    for part in (name, value):
        if "\r" in part or "\n" in part:
            raise HeaderInjectionError(f"line break in email header {name!r}")


MAX_SUBJECT = 255  # the outbox column


def render_email(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """Subject, text and HTML of `templates/email/<template>` in `language`.

    The subject is the `subject` block of the .txt template, on one line whatever stored
    text (a title, a name) it quotes.
    """
    env = current_app.jinja_env
    with rendering_in(language):
        values = dict(context, language=language)
        current_app.update_template_context(values)
        text_template = env.get_template(f"email/{template}.txt")
        subject_block = text_template.blocks["subject"]
        subject = one_line("".join(subject_block(text_template.new_context(values))))
        if len(subject) > MAX_SUBJECT:
            subject = subject[: MAX_SUBJECT - 1] + "…"
        text = text_template.render(values).strip() + "\n"
        html = env.get_template(f"email/{template}.html").render(values, subject=subject)
    return subject, text, html


@dataclass
class Email:
    """An email to queue: what `queue_email` takes, as one value (for `queue_emails`)."""

    to: str
    template: str
    context: dict[str, Any]
    language: str
    dedup_key: str
    user: User | None = None
    headers: dict[str, str] | None = None

    def all_headers(self) -> dict[str, str]:
        return {"Auto-Submitted": "auto-generated", **(self.headers or {})}

    def check_headers(self) -> None:
        _check_header("To", self.to)
        for name, value in self.all_headers().items():
            _check_header(name, value)

    def rendered(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The values of the outbox row and of its body, rendered in the recipient's
        language."""
        subject, text, html = render_email(self.template, self.context, self.language)
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
        }, {"text": text, "html": html}


def queue_email(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str,
    dedup_key: str,
    user: User | None = None,
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
    insert = _insert_for_dialect()(OutboxMessage).values(**values)
    statement = insert.on_conflict_do_nothing(index_elements=["dedup_key"])
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
    statement = (
        _insert_for_dialect()(table)
        .on_conflict_do_nothing(index_elements=["dedup_key"])
        .returning(table.c.id, table.c.dedup_key)
    )
    inserted = db.session.execute(statement, [values for values, _ in new.values()]).all()
    bodies = [dict(new[key][1], message_id=message_id) for message_id, key in inserted]
    if bodies:
        db.session.execute(db.insert(OutboxBody.__table__), bodies)
    return len(bodies)


def _insert_for_dialect():
    return postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert


def forget_user(user: User) -> None:
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


# --- delivery -------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    dropped: int = 0
    skipped: bool = False  # no mail server configured
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.skipped:
            return "no mail server configured (MAIL_SERVER/MAIL_PORT): nothing attempted"
        return (
            f"sent {self.sent}, retrying {self.retrying}, failed {self.failed}, "
            f"dropped {self.dropped}"
        )


class _TimeoutConnection(Connection):
    """Flask-Mail's connection, with a timeout and the settings read at connect time."""

    def configure_host(self) -> smtplib.SMTP:
        config = current_app.config
        smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        host = smtp_class(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
        )
        if config["MAIL_USE_TLS"]:
            host.starttls()
        if config["MAIL_USERNAME"] and config["MAIL_PASSWORD"]:
            host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return host


def _open_connection() -> _TimeoutConnection:
    connection = _TimeoutConnection(current_app.extensions["mail"])
    connection.__enter__()
    return connection


def _close(connection: _TimeoutConnection) -> None:
    if connection.host is None:
        return
    try:
        connection.host.quit()
    except (OSError, smtplib.SMTPException):
        connection.host.close()


def as_email_bytes(row: OutboxMessage, sender: str) -> bytes:
    """The row as a text + HTML email, ready for SMTP.

    Built with the standard library's MIME classes: a third of the time Flask-Mail (or
    EmailMessage.set_content) takes for the same message, which counts when a digest run
    sends thousands.
    """
    message = MIMEMultipart("alternative")
    message["Subject"] = _header(row.subject)
    name, address = parseaddr(sender)
    message["From"] = formataddr((name, address), charset="utf-8")
    message["To"] = row.recipient
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = row.message_id
    for header, value in (row.headers or {}).items():
        message[header] = _header(value)
    message.attach(MIMEText(row.body_text, "plain", "utf-8"))
    message.attach(MIMEText(row.body_html, "html", "utf-8"))
    return message.as_bytes(policy=_SMTP_LINES)


# The MIME classes' own policy, with the CRLF line ends SMTP wants, and headers not folded
# (a folded List-Unsubscribe URL confuses some mail clients; ours stay far below 998).
_SMTP_LINES = email.policy.compat32.clone(linesep="\r\n", max_line_length=None)


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")


def _send(connection: _TimeoutConnection, row: OutboxMessage, sender: str) -> None:
    envelope_from = parseaddr(sender)[1]
    connection.host.sendmail(envelope_from, [row.recipient], as_email_bytes(row, sender))


def _release_stale_claims(now: datetime) -> None:
    """Rows claimed by a deliverer that died mid-batch go back to pending."""
    timeout = timedelta(seconds=current_app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"])
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING.value,
            OutboxMessage.claimed_at < now - timeout,
        )
        .values(status=OutboxStatus.PENDING.value),
        execution_options={"synchronize_session": False},
    )


def _claim(now: datetime, limit: int, due_only: bool) -> list[int]:
    """Mark up to `limit` pending rows as ours; a row another deliverer claimed is skipped."""
    candidates = db.select(OutboxMessage.id).where(
        OutboxMessage.status == OutboxStatus.PENDING.value
    )
    if due_only:
        candidates = candidates.where(OutboxMessage.next_attempt_at <= now)
    candidates = (
        candidates.order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    wanted = list(db.session.scalars(candidates))
    if not wanted:
        db.session.commit()
        return []
    claimed = db.session.scalars(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(wanted),
            OutboxMessage.status == OutboxStatus.PENDING.value,
        )
        .values(
            status=OutboxStatus.SENDING.value,
            claimed_at=now,
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(OutboxMessage.id),
        execution_options={"synchronize_session": False},
    ).all()
    db.session.commit()
    return sorted(claimed)


# While a batch is sent, outcomes go through one plain connection in autocommit mode: each
# row's UPDATE is its own transaction, committed in one round trip, without the session's
# bookkeeping (which cost several times the database's own work per message).
_outcomes: ContextVar[DbConnection | None] = ContextVar("outbox_outcomes", default=None)


def _outcomes_connection() -> DbConnection:
    connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    if connection.dialect.name == "postgresql":
        # As SQLite's synchronous=NORMAL: a commit survives the deliverer crashing; only a
        # crash of the database server could lose the last fraction of a second of outcomes
        # (and send those messages again). Waiting for the disk on each sent message cost
        # more than sending it. Only this connection, until _close_outcomes.
        connection.exec_driver_sql("SET synchronous_commit TO OFF")
    return connection


def _close_outcomes(connection: DbConnection) -> None:
    try:
        if connection.dialect.name == "postgresql" and not connection.invalidated:
            connection.exec_driver_sql("RESET synchronous_commit")
    except Exception:  # noqa: BLE001 - a broken connection is not reused by the pool
        connection.invalidate()
        log.warning("outbox: could not reset the outcomes connection", exc_info=True)
    finally:
        connection.close()


@cache
def _finish_statement(columns: frozenset[str]) -> Update:
    """UPDATE of a claimed row's outcome columns, built once per set of columns: SQLAlchemy
    builds the cache key of a new statement on every execution, which cost more than the
    database's own work here."""
    table = OutboxMessage.__table__
    return (
        update(table)
        .where(table.c.id == bindparam("row_id"), table.c.status == OutboxStatus.SENDING.value)
        .values(claimed_at=None, **{column: bindparam(column) for column in columns})
    )


def _finish(row_id: int, **values: Any) -> None:
    """Record one row's outcome, unless it was dropped meanwhile; commit it on its own."""
    statement = _finish_statement(frozenset(values))
    parameters = dict(values, row_id=row_id)
    outcomes = _outcomes.get()
    if outcomes is not None:
        outcomes.execute(statement, parameters)  # autocommit: one round trip
        return
    db.session.execute(statement, parameters)
    db.session.commit()


def _retry_later(row: OutboxMessage, error: str, report: DeliveryReport) -> None:
    config = current_app.config
    if row.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        _fail(row, f"gave up after {row.attempts} attempts: {error}", report)
        return
    delay = min(
        config["OUTBOX_RETRY_BASE_SECONDS"] * 2 ** max(row.attempts - 1, 0),
        config["OUTBOX_RETRY_MAX_SECONDS"],
    )
    _finish(
        row.id,
        status=OutboxStatus.PENDING.value,
        next_attempt_at=utcnow() + timedelta(seconds=delay),
        last_error=error[:2000],
    )
    report.retrying += 1
    report.errors.append(error)


def _fail(row: OutboxMessage, error: str, report: DeliveryReport) -> None:
    _finish(row.id, status=OutboxStatus.FAILED.value, last_error=error[:2000])
    report.failed += 1
    report.errors.append(error)


def _retry_rest(rows: list[OutboxMessage], error: str, report: DeliveryReport) -> None:
    for row in rows:
        _retry_later(row, error, report)


def _retry_or_fail(row: OutboxMessage, exc: Exception, report: DeliveryReport) -> None:
    if _is_permanent(exc):
        _fail(row, repr(exc), report)
    else:
        _retry_later(row, repr(exc), report)


def _is_permanent(exc: Exception) -> bool:
    """5xx answers (and a malformed message) will not get better by trying again."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return isinstance(exc, (UnicodeError, ValueError))


def deliver_pending(limit: int | None = None, *, due_only: bool = True) -> DeliveryReport:
    """One delivery pass: claim pending rows, send them over one SMTP connection, record each.

    `due_only=False` also takes rows that wait for a retry (an operator's manual pass).
    Commits: this is a deliverer, not a service, and each row's outcome must stick.
    """
    from baerekraft_hub.accounts.models import User

    config = current_app.config
    report = DeliveryReport()
    if not config.get("MAIL_SERVER") or not config.get("MAIL_PORT"):
        report.skipped = True
        return report
    now = utcnow()
    _release_stale_claims(now)
    claimed = _claim(now, limit or config["OUTBOX_BATCH_SIZE"], due_only)
    if not claimed:
        return report
    rows = list(
        db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.id.in_(claimed))
            .options(selectinload(OutboxMessage.body))
        )
    )
    user_ids = {row.user_id for row in rows if row.user_id is not None}
    living = set(db.session.scalars(db.select(User.id).where(User.id.in_(user_ids))))
    # Detached, the rows keep what was read: each commit below would otherwise expire them
    # all, and reading the next one would load it again (bodies and all).
    for row in rows:
        db.session.expunge(row)  # and its body (the cascade)
    db.session.commit()  # end the read transaction: SMTP may take a while
    try:
        connection = _open_connection()
    except (OSError, smtplib.SMTPException) as exc:
        for row in rows:
            _retry_later(row, f"could not connect: {exc!r}", report)
        log.warning("outbox: mail server unreachable (%s); %d messages wait", exc, len(rows))
        return report
    sender = config["MAIL_DEFAULT_SENDER"]
    outcomes = _outcomes_connection()
    outcomes_token = _outcomes.set(outcomes)
    try:
        for index, row in enumerate(rows):
            if row.user_id is not None and row.user_id not in living:
                _finish(row.id, status=OutboxStatus.DROPPED.value)
                report.dropped += 1
                continue
            try:
                _send(connection, row, sender)
            except smtplib.SMTPServerDisconnected as exc:
                _retry_rest(rows[index:], f"connection lost: {exc!r}", report)
                break
            except smtplib.SMTPException as exc:
                # The server refused this message (or its recipient): the batch goes on.
                _retry_or_fail(row, exc, report)
            except OSError as exc:  # socket error or timeout: the connection is gone
                _retry_rest(rows[index:], f"connection lost: {exc!r}", report)
                break
            except Exception as exc:  # noqa: BLE001 - one bad message must not stop the batch
                _retry_or_fail(row, exc, report)
            else:
                _finish(row.id, status=OutboxStatus.SENT.value, sent_at=utcnow(), last_error=None)
                report.sent += 1
    finally:
        _outcomes.reset(outcomes_token)
        _close_outcomes(outcomes)
        _close(connection)
    return report


def deliver_all(*, due_only: bool = False, limit: int | None = None) -> DeliveryReport:
    """Delivery passes until the outbox is empty, nothing more can be sent, or `limit` is met.

    One pass takes one batch (OUTBOX_BATCH_SIZE); a digest run queues thousands. A pass that
    sends nothing (the server is down, or only failing messages are left) ends the run:
    a message put back for a retry is claimed again only after every other one, since passes
    take the pending rows by their retry time.
    """
    total = DeliveryReport()
    batch = current_app.config["OUTBOX_BATCH_SIZE"]
    while limit is None or total.sent + total.failed + total.dropped < limit:
        wanted = (
            batch
            if limit is None
            else min(batch, limit - total.sent - total.failed - total.dropped)
        )
        report = deliver_pending(wanted, due_only=due_only)
        total.sent += report.sent
        total.failed += report.failed
        total.dropped += report.dropped
        total.retrying += report.retrying
        total.skipped = report.skipped
        total.errors.extend(report.errors[: max(0, 20 - len(total.errors))])
        if report.skipped or report.sent + report.failed + report.dropped == 0:
            break
    return total


def init_app(app: Flask) -> None:
    """Register the worker's delivery task; drop a deleted user's unsent messages."""
    from baerekraft_hub.accounts.signals import user_deleted

    user_deleted.connect(_on_user_deleted, weak=False)
    from baerekraft_hub.core.worker import register_task

    register_task("outbox", deliver_due, every_seconds=app.config["WORKER_OUTBOX_EVERY_SECONDS"])


def _on_user_deleted(sender: Any, user: User, **extra: Any) -> None:
    forget_user(user)


def anything_to_deliver(now: datetime | None = None) -> bool:
    """Whether a row is due or a claim has gone stale: one cheap indexed read, so the worker
    can ask every second (and a new email goes out within about a second of its commit)."""
    now = now or utcnow()
    stale = now - timedelta(seconds=current_app.config["OUTBOX_CLAIM_TIMEOUT_SECONDS"])
    due = db.select(OutboxMessage.id).where(
        OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.next_attempt_at <= now
    )
    abandoned = db.select(OutboxMessage.id).where(
        OutboxMessage.status == OutboxStatus.SENDING.value, OutboxMessage.claimed_at < stale
    )
    return bool(db.session.scalar(db.select(or_(due.exists(), abandoned.exists()))))


def deliver_due() -> str:
    """The worker's task: deliver what is due, if anything is (else say nothing)."""
    if not anything_to_deliver():
        return ""
    return str(deliver_all(due_only=True))


__all__ = [
    "DeliveryReport",
    "Email",
    "HeaderInjectionError",
    "OutboxBody",
    "OutboxMessage",
    "OutboxStatus",
    "anything_to_deliver",
    "deliver_all",
    "deliver_due",
    "deliver_pending",
    "forget_user",
    "queue_email",
    "queue_emails",
    "render_email",
]
