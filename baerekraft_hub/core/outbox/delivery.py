"""Delivery: claim due rows, send them over one SMTP connection, record each outcome.

Failures are retried with back-off. Claiming rows with a conditional UPDATE means two
deliverers never send the same row twice; a crash between commit and delivery loses nothing.
"""

from __future__ import annotations

import logging
import queue
import smtplib
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import cache
from typing import Any

from flask import current_app
from flask_mail import Connection
from sqlalchemy import Row, Update, bindparam, column, or_, select, table, update
from sqlalchemy.engine import Connection as DbConnection
from sqlalchemy.engine import Engine

from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox.bounces import envelope_sender, suppressed_among
from baerekraft_hub.core.outbox.message import as_email_bytes
from baerekraft_hub.core.outbox.models import OutboxBody, OutboxMessage, OutboxStatus
from baerekraft_hub.core.progress import Advance, no_progress
from baerekraft_hub.extensions import db

# The table outbox rows point at (see OutboxMessage.user_id): core knows no User model.
_users = table("user_account", column("id"))

log = logging.getLogger(__name__)


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


def probe_mail_server() -> None:
    """Connect (TLS and login as configured) and leave; raises what delivery would meet."""
    _close(_open_connection())


def _send(connection: _TimeoutConnection, row: Row, sender: str, address: str) -> None:
    envelope_from = envelope_sender(row.id, address)
    connection.host.sendmail(envelope_from, [row.recipient], as_email_bytes(row, sender))


def _claimed_rows(claimed: list[int]) -> list[Row]:
    """The claimed rows with their bodies, as plain rows: read once, in one query, without
    the ORM's bookkeeping (a batch holds hundreds; nothing here changes them)."""
    message, body = OutboxMessage.__table__, OutboxBody.__table__
    query = (
        select(
            *message.c,
            body.c.text.label("body_text"),
            body.c.html.label("body_html"),
        )
        .outerjoin_from(message, body, body.c.message_id == message.c.id)
        .where(message.c.id.in_(claimed))
        .order_by(message.c.id)
    )
    return list(db.session.execute(query))


def is_bulk(row: OutboxMessage | Row) -> bool:
    """Digests and newsletters: what a bounced address no longer gets."""
    return (row.headers or {}).get("Precedence") == "bulk"


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
# bookkeeping (which cost several times the database's own work per message). The connection
# is a writer thread's: a message's outcome is committed while the next message goes out, as
# the commit (its wait for the database's log) took as long as sending a digest over a local
# connection. The next outcome waits for it, so no more than before is unrecorded at a crash:
# the message just accepted (its commit under way).
_outcomes: ContextVar[_OutcomeWriter | None] = ContextVar("outbox_outcomes", default=None)


class _OutcomeWriter:
    """Commits a batch's outcomes one by one, in order, on a thread of its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.waiting: queue.Queue[tuple[Update, dict[str, Any]] | None] = queue.Queue()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._write, name="outbox-outcomes", daemon=True)
        self.thread.start()

    def _write(self) -> None:
        connection = None
        try:
            connection = _outcomes_connection(self.engine)
        except BaseException as exc:  # noqa: BLE001 - the sender raises it
            self.error = exc
        try:
            # Every outcome is taken off the queue, written or not: the sender waits on them.
            while (outcome := self.waiting.get()) is not None:
                try:
                    if self.error is None:
                        connection.execute(*outcome)
                except BaseException as exc:  # noqa: BLE001 - the sender raises it
                    self.error = exc
                finally:
                    self.waiting.task_done()
        finally:
            if connection is not None:
                _close_outcomes(connection)

    def add(self, statement: Update, parameters: dict[str, Any]) -> None:
        """Commit this outcome once the previous one is committed (raises what that met)."""
        self.waiting.join()
        if self.error is not None:
            raise self.error
        self.waiting.put((statement, parameters))

    def close(self) -> None:
        """Wait until every outcome is committed; raise what a commit met."""
        self.waiting.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def _outcomes_connection(engine: Engine) -> DbConnection:
    connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
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
        outcomes.add(statement, parameters)
        return
    db.session.execute(statement, parameters)
    db.session.commit()


def _retry_later(row: Row, error: str, report: DeliveryReport) -> None:
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


def _fail(row: Row, error: str, report: DeliveryReport) -> None:
    _finish(row.id, status=OutboxStatus.FAILED.value, last_error=error[:2000])
    report.failed += 1
    report.errors.append(error)


def _retry_rest(rows: list[Row], error: str, report: DeliveryReport) -> None:
    for row in rows:
        _retry_later(row, error, report)


def _put_back(rows: list[Row]) -> None:
    """Claimed rows not tried, back to waiting as they were (their attempt not counted)."""
    for row in rows:
        _finish(row.id, status=OutboxStatus.PENDING.value, attempts=row.attempts - 1)


def _retry_or_fail(row: Row, exc: Exception, report: DeliveryReport) -> None:
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
    rows = _claimed_rows(claimed)
    user_ids = {row.user_id for row in rows if row.user_id is not None}
    living = set(db.session.scalars(db.select(_users.c.id).where(_users.c.id.in_(user_ids))))
    suppressed = suppressed_among({row.recipient for row in rows if is_bulk(row)})
    db.session.commit()  # end the read transaction: SMTP may take a while
    try:
        connection = _open_connection()
    except (OSError, smtplib.SMTPException) as exc:
        for row in rows:
            _retry_later(row, f"could not connect: {exc!r}", report)
        log.warning("outbox: mail server unreachable (%s); %d messages wait", exc, len(rows))
        return report
    sender = config["MAIL_DEFAULT_SENDER"]
    address = parseaddr(sender)[1]
    outcomes = _OutcomeWriter(db.engine)
    outcomes_token = _outcomes.set(outcomes)
    # Past half the claim timeout, what is left goes back: a claim that went stale would let
    # another deliverer send those messages again (a slow server, a big batch).
    deadline = time.monotonic() + config["OUTBOX_CLAIM_TIMEOUT_SECONDS"] / 2
    try:
        for index, row in enumerate(rows):
            if time.monotonic() > deadline:
                _put_back(rows[index:])
                break
            if row.user_id is not None and row.user_id not in living:
                _finish(row.id, status=OutboxStatus.DROPPED.value)
                report.dropped += 1
                continue
            if row.recipient in suppressed and is_bulk(row):
                _finish(row.id, status=OutboxStatus.DROPPED.value, last_error="address bounced")
                report.dropped += 1
                continue
            try:
                _send(connection, row, sender, address)
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
        try:
            outcomes.close()  # also when a send raised: what went out is recorded as sent
        finally:
            _close(connection)
    return report


def deliver_all(
    *, due_only: bool = False, limit: int | None = None, progress: Advance = no_progress
) -> DeliveryReport:
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
        progress(report.sent + report.failed + report.dropped)
        if report.skipped or report.sent + report.failed + report.dropped == 0:
            break
    return total


def unsent_count() -> int:
    """How many emails wait to go out (for progress)."""
    unsent = (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)
    query = (
        db.select(db.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status.in_(unsent))
    )
    return db.session.scalar(query) or 0


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
