"""Sending a newsletter: freeze its recipients, release them into the outbox a slice a minute,
follow its progress; pause, resume, cancel.

Exactly one copy each: the recipients are frozen as one delivery row per (newsletter, user)
(a unique constraint), every state change is a conditional UPDATE (a double click, or two
coordinators, change the state once), and each delivery goes into the outbox under the key
newsletter:<id>:<user>, which the outbox queues at most once and its deliverer claims before
sending. Throttling happens here, not in the outbox: the worker releases at most
NEWSLETTER_MESSAGES_PER_MINUTE rows a minute, and the outbox sends what it has at full speed,
so other email (a password reset) never waits behind a big newsletter.

State changes flush and never commit (the request does); `release_due`, the worker's task,
commits like the outbox's deliverer does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _

from baerekraft_hub.accounts.models import User
from baerekraft_hub.audit import record
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox import OutboxMessage, OutboxStatus, queue_emails
from baerekraft_hub.extensions import db
from baerekraft_hub.newsletters.audience import (
    Audience,
    count_recipients,
    reachable_users,
    recipients_query,
)
from baerekraft_hub.newsletters.emails import dedup_key, newsletter_emails
from baerekraft_hub.newsletters.models import (
    DeliveryStatus,
    Newsletter,
    NewsletterDelivery,
    NewsletterStatus,
)

log = logging.getLogger(__name__)
S = NewsletterStatus


def _change_status(newsletter: Newsletter, old: tuple[S, ...], new: S, **values) -> bool:
    """Move the newsletter from one of `old` to `new`, unless someone did first."""
    changed = db.session.execute(
        sa.update(Newsletter)
        .where(Newsletter.id == newsletter.id, Newsletter.status.in_([s.value for s in old]))
        .values(status=new.value, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(newsletter)
    return changed == 1


def audience_of(newsletter: Newsletter) -> Audience:
    return Audience.from_dict(newsletter.audience)


def _freeze(newsletter: Newsletter) -> int:
    """One delivery row per recipient, as the audience is now: INSERT ... SELECT."""
    query = recipients_query(audience_of(newsletter)).add_columns(
        sa.literal(newsletter.id), sa.literal(DeliveryStatus.WAITING.value)
    )
    db.session.execute(
        sa.insert(NewsletterDelivery).from_select(["user_id", "newsletter_id", "status"], query)
    )
    count = db.session.scalar(
        db.select(sa.func.count()).where(NewsletterDelivery.newsletter_id == newsletter.id)
    )
    newsletter.recipient_count = count
    db.session.flush()
    return count


def send_now(newsletter: Newsletter, actor=None) -> int:
    """Freeze the recipients and start sending; how many there are. Raises ValidationError
    when it is not a draft any more (a second click) or nobody would get it."""
    if count_recipients(audience_of(newsletter)) == 0:
        raise ValidationError(_("Nobody is in this audience: the newsletter cannot be sent."))
    now = utcnow()
    if not _change_status(newsletter, (S.DRAFT,), S.SENDING, started_at=now, scheduled_at=now):
        raise ValidationError(_("This newsletter has already been sent."))
    count = _freeze(newsletter)
    record(actor, "newsletter.send", "newsletter", newsletter.id, details={"recipients": count})
    return count


def schedule(newsletter: Newsletter, when: datetime, actor=None) -> None:
    """Send at `when` (the recipients are frozen then). Raises ValidationError for a time
    that has passed, an empty audience or a newsletter that is not a draft."""
    if when <= utcnow():
        raise ValidationError(_("Choose a time in the future."), field="send_at")
    if count_recipients(audience_of(newsletter)) == 0:
        raise ValidationError(_("Nobody is in this audience: the newsletter cannot be sent."))
    if not _change_status(newsletter, (S.DRAFT,), S.SCHEDULED, scheduled_at=when):
        raise ValidationError(_("This newsletter has already been sent."))
    details = {"at": when.isoformat()}
    record(actor, "newsletter.schedule", "newsletter", newsletter.id, details=details)


def unschedule(newsletter: Newsletter, actor=None) -> bool:
    """A scheduled newsletter back to a draft (before its time comes)."""
    if not _change_status(newsletter, (S.SCHEDULED,), S.DRAFT, scheduled_at=None):
        return False
    record(actor, "newsletter.unschedule", "newsletter", newsletter.id)
    return True


def _pull_back_from_outbox(newsletter: Newsletter) -> None:
    """Take this newsletter's unsent rows out of the outbox (those no deliverer has claimed):
    their deliveries wait again, and the outbox keys are free for when they are released."""
    mine = db.select(NewsletterDelivery.outbox_message_id).where(
        NewsletterDelivery.newsletter_id == newsletter.id,
        NewsletterDelivery.outbox_message_id.is_not(None),
    )
    removed = list(
        db.session.scalars(
            sa.delete(OutboxMessage)
            .where(OutboxMessage.id.in_(mine), OutboxMessage.status == OutboxStatus.PENDING.value)
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        )
    )
    if removed:
        # The foreign key may already have let go of them (ON DELETE SET NULL).
        db.session.execute(
            sa.update(NewsletterDelivery)
            .where(
                NewsletterDelivery.newsletter_id == newsletter.id,
                NewsletterDelivery.status == DeliveryStatus.QUEUED.value,
                sa.or_(
                    NewsletterDelivery.outbox_message_id.is_(None),
                    NewsletterDelivery.outbox_message_id.in_(removed),
                ),
            )
            .values(status=DeliveryStatus.WAITING.value, outbox_message_id=None)
            .execution_options(synchronize_session=False)
        )


def pause(newsletter: Newsletter, actor=None) -> bool:
    if not _change_status(newsletter, (S.SENDING,), S.PAUSED):
        return False
    _pull_back_from_outbox(newsletter)
    record(actor, "newsletter.pause", "newsletter", newsletter.id)
    return True


def resume(newsletter: Newsletter, actor=None) -> bool:
    if not _change_status(newsletter, (S.PAUSED,), S.SENDING, released_at=None):
        return False
    record(actor, "newsletter.resume", "newsletter", newsletter.id)
    return True


def cancel(newsletter: Newsletter, actor=None) -> bool:
    """Stop for good: what has not gone out never will."""
    if not _change_status(newsletter, (S.SENDING, S.PAUSED), S.CANCELLED, finished_at=utcnow()):
        return False
    _pull_back_from_outbox(newsletter)
    db.session.execute(
        sa.update(NewsletterDelivery)
        .where(
            NewsletterDelivery.newsletter_id == newsletter.id,
            NewsletterDelivery.status == DeliveryStatus.WAITING.value,
        )
        .values(status=DeliveryStatus.CANCELLED.value)
        .execution_options(synchronize_session=False)
    )
    record(actor, "newsletter.cancel", "newsletter", newsletter.id)
    return True


@dataclass
class Progress:
    total: int = 0
    sent: int = 0
    failed: int = 0  # refused, given up on, or no longer to be sent (unsubscribed, bounced)
    waiting: int = 0  # not yet released, or in the outbox waiting for its turn (or a retry)
    cancelled: int = 0

    @property
    def done(self) -> bool:
        return self.waiting == 0


def progress(newsletter: Newsletter) -> Progress:
    rows = db.session.execute(
        db.select(NewsletterDelivery.status, OutboxMessage.status, sa.func.count())
        .outerjoin(OutboxMessage, OutboxMessage.id == NewsletterDelivery.outbox_message_id)
        .where(NewsletterDelivery.newsletter_id == newsletter.id)
        .group_by(NewsletterDelivery.status, OutboxMessage.status)
    )
    result = Progress()
    for delivery, outbox, count in rows:
        result.total += count
        if delivery == DeliveryStatus.CANCELLED:
            result.cancelled += count
        elif delivery == DeliveryStatus.SKIPPED:
            result.failed += count
        elif delivery == DeliveryStatus.WAITING or outbox in (
            OutboxStatus.PENDING,
            OutboxStatus.SENDING,
        ):
            result.waiting += count
        elif outbox == OutboxStatus.SENT:
            result.sent += count
        else:  # failed, or dropped (the account was deleted)
            result.failed += count
    return result


def frozen_recipients(newsletter: Newsletter) -> list[tuple[User, str]]:
    """Who the newsletter went (or goes) to, with each one's delivery status."""
    return list(
        db.session.execute(
            db.select(User, NewsletterDelivery.status)
            .join(NewsletterDelivery, NewsletterDelivery.user_id == User.id)
            .where(NewsletterDelivery.newsletter_id == newsletter.id)
            .order_by(User.name, User.id)
        ).all()
    )


# --- the worker ----------------------------------------------------------------------------


def _release_slice(newsletter: Newsletter, size: int, now: datetime) -> int:
    """Put the next `size` waiting deliveries into the outbox; how many went in."""
    batch = db.session.execute(
        db.select(NewsletterDelivery.id, User)
        .join(User, User.id == NewsletterDelivery.user_id)
        .where(
            NewsletterDelivery.newsletter_id == newsletter.id,
            NewsletterDelivery.status == DeliveryStatus.WAITING.value,
        )
        .order_by(NewsletterDelivery.id)
        .limit(size)
    ).all()
    newsletter.released_at = now
    if not batch:
        return 0
    # Who unsubscribed (or bounced) since the list was frozen does not get it after all.
    still = set(db.session.scalars(reachable_users().where(User.id.in_([u.id for _, u in batch]))))
    skipped = [delivery_id for delivery_id, user in batch if user.id not in still]
    batch = [(delivery_id, user) for delivery_id, user in batch if user.id in still]
    queue_emails(newsletter_emails(newsletter, [user for _, user in batch]))
    keys = {dedup_key(newsletter, user): delivery_id for delivery_id, user in batch}
    outbox_ids = db.session.execute(
        db.select(OutboxMessage.dedup_key, OutboxMessage.id).where(
            OutboxMessage.dedup_key.in_(keys)
        )
    )
    table = NewsletterDelivery.__table__
    updates = [
        {"row_id": keys[key], "new_status": DeliveryStatus.QUEUED.value, "message": message_id}
        for key, message_id in outbox_ids
    ] + [
        {"row_id": row_id, "new_status": DeliveryStatus.SKIPPED.value, "message": None}
        for row_id in skipped
    ]
    if updates:
        db.session.execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("row_id"))
            .values(status=sa.bindparam("new_status"), outbox_message_id=sa.bindparam("message")),
            updates,
            execution_options={"synchronize_session": False},
        )
    return len(batch)


def _finish_if_done(newsletter: Newsletter, now: datetime) -> bool:
    if progress(newsletter).done:
        return _change_status(newsletter, (S.SENDING,), S.SENT, finished_at=now)
    return False


def release_due(now: datetime | None = None) -> str:
    """The worker's task: start scheduled newsletters whose time has come, release the next
    slice of each sending one (at most one a minute), and mark finished ones sent. Commits."""
    now = now or utcnow()
    said = []
    for newsletter in db.session.scalars(
        db.select(Newsletter).where(
            Newsletter.status == S.SCHEDULED.value, Newsletter.scheduled_at <= now
        )
    ).all():
        if _change_status(newsletter, (S.SCHEDULED,), S.SENDING, started_at=now):
            said.append(f"newsletter {newsletter.id}: {_freeze(newsletter)} recipients")
        db.session.commit()
    rate = current_app.config["NEWSLETTER_MESSAGES_PER_MINUTE"]
    for newsletter in db.session.scalars(
        db.select(Newsletter).where(Newsletter.status == S.SENDING.value)
    ).all():
        last = newsletter.released_at
        if last is None or _aware(last) <= now - timedelta(minutes=1):
            # Two workers could both release a slice (faster than the setting): never a
            # second copy, since the outbox keys are per newsletter and recipient.
            released = _release_slice(newsletter, rate, now)
            if released:
                said.append(f"newsletter {newsletter.id}: released {released}")
            db.session.commit()
        if _finish_if_done(newsletter, now):
            said.append(f"newsletter {newsletter.id}: sent")
        db.session.commit()
    return "; ".join(said)


def _aware(value: datetime) -> datetime:
    """SQLite gives back naive datetimes (stored as UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def init_app(app) -> None:
    """Register the worker's newsletter task."""
    from baerekraft_hub.core.worker import register_task

    register_task(
        "newsletters", release_due, every_seconds=app.config["WORKER_NEWSLETTERS_EVERY_SECONDS"]
    )
