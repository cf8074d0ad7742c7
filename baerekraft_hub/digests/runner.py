"""Sending a period's digests: compose, queue, commit per batch, then deliver.

This is a command-level runner like the outbox deliverer, not a service: it commits after
every batch of recipients, so a crash loses at most one batch of composing work, and the
next run (the worker's, or `flask digests send` again) queues only the digests still missing.
The outbox's unique key per user, frequency and period makes a second digest impossible.
"""

from __future__ import annotations

import gc
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from baerekraft_hub.accounts.models import User
from baerekraft_hub.core.dialects import insert_ignoring_conflicts
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.core.outbox import DeliveryReport, OutboxMessage, deliver_all
from baerekraft_hub.core.progress import Advance, no_progress
from baerekraft_hub.digests import services
from baerekraft_hub.digests.models import DigestRun, Frequency
from baerekraft_hub.digests.periods import Period, due_period, last_complete_period
from baerekraft_hub.digests.rendering import Composer
from baerekraft_hub.extensions import db
from baerekraft_hub.follows.models import Follow

log = logging.getLogger(__name__)


@dataclass
class DigestReport:
    period: Period
    queued: int = 0
    nothing_new: int = 0
    sent_before: int = 0
    delivery: DeliveryReport | None = None

    def __str__(self) -> str:
        text = (
            f"{self.period.frequency.value} digests for {self.period.start.isoformat()}"
            f"–{self.period.last_day.isoformat()}: queued {self.queued}, "
            f"nothing new for {self.nothing_new}, queued before {self.sent_before}"
        )
        if self.delivery is not None:
            text += f"; delivery: {self.delivery}"
        return text


def _run_for(period: Period) -> DigestRun:
    db.session.execute(
        insert_ignoring_conflicts(
            DigestRun,
            {
                "frequency": period.frequency.value,
                "period_start": period.start,
                "started_at": utcnow(),
                "queued": 0,
            },
            ["frequency", "period_start"],
        )
    )
    return db.session.scalars(
        db.select(DigestRun).where(
            DigestRun.frequency == period.frequency.value,
            DigestRun.period_start == period.start,
        )
    ).one()


def _recipients(frequency: Frequency):
    """Confirmed, active users who chose this frequency and follow something."""
    return (
        User.digest_frequency == frequency.value,
        User.confirmed_at.is_not(None),
        User.deactivated_at.is_(None),
        sa.exists().where(Follow.user_id == User.id),
    )


def recipient_count(frequency: Frequency) -> int:
    """How many users get this frequency's digest (for progress)."""
    query = db.select(sa.func.count()).select_from(User).where(*_recipients(frequency))
    return db.session.scalar(query) or 0


def _recipient_batches(frequency: Frequency, size: int):
    """The recipients, by id, in batches."""
    last_id = 0
    while True:
        batch = list(
            db.session.scalars(
                db.select(User)
                .where(User.id > last_id, *_recipients(frequency))
                .options(selectinload(User.memberships))
                .order_by(User.id)
                .limit(size)
            )
        )
        if not batch:
            return
        yield batch
        last_id = batch[-1].id


def _follows_of(user_ids: list[int]) -> dict[int, set[tuple[str, str]]]:
    follows: dict[int, set[tuple[str, str]]] = defaultdict(set)
    rows = db.session.execute(
        db.select(Follow.user_id, Follow.kind, Follow.key).where(Follow.user_id.in_(user_ids))
    )
    for user_id, kind, key in rows:
        follows[user_id].add((kind, key))
    return follows


def _queued_before(users: list[User], period: Period) -> set[str]:
    keys = [services.dedup_key(user, period) for user in users]
    return set(
        db.session.scalars(
            db.select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.in_(keys))
        )
    )


def _queue_batch(composer: Composer, batch: list[User], period: Period, report) -> None:
    before = _queued_before(batch, period)
    follows = _follows_of([u.id for u in batch])
    emails = []
    for user in batch:
        if services.dedup_key(user, period) in before:
            report.sent_before += 1
            continue
        context = composer.compose(user, follows[user.id])
        if context is None:
            report.nothing_new += 1
            continue
        emails.append(services.digest_email(user, period, context))
    queued = services.queue_digests(emails) if emails else 0
    report.queued += queued
    report.sent_before += len(emails) - queued
    db.session.flush()
    # Thousands of recipients: keep the session to what the next batch needs.
    for user in batch:
        db.session.expunge(user)


def send_digests(
    frequency: Frequency,
    period: Period | None = None,
    *,
    deliver: bool = True,
    progress: Advance = no_progress,
) -> DigestReport:
    """Queue every missing digest of the period (the last complete one by default), commit,
    and deliver what is pending. Running it again queues nothing new."""
    period = period or last_complete_period(frequency)
    report = DigestReport(period)
    # Read the content as it is now, not as objects this session loaded earlier hold it.
    db.session.expire_all()
    session = db.session()
    # The period's events are read once and used for every batch: committing a batch must
    # not expire them (which would reload each one).
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        run = _run_for(period)
        db.session.commit()
        composer = Composer.for_period(period)
        # Composing allocates a great deal that lives for one batch: the cyclic collector runs
        # once after each batch, not every few hundred allocations (those passes, over the
        # period's objects too, cost a sixth of the composing).
        collecting = gc.isenabled()
        gc.disable()
        try:
            if composer.events:
                batches = _recipient_batches(frequency, current_app.config["DIGEST_BATCH_SIZE"])
                for batch in batches:
                    _queue_batch(composer, batch, period, report)
                    db.session.commit()
                    gc.collect(1)
                    progress(len(batch))
        finally:
            if collecting:
                gc.enable()
        del composer
        run.queued += report.queued
        run.completed_at = utcnow()
        db.session.commit()
    finally:
        session.expire_on_commit = expire_on_commit
    # Let go of the period's events: every commit while delivering would expire them all.
    db.session.expunge_all()
    # They are cyclic garbage now (ORM objects and their states), tens of MB in a busy week,
    # and the collector was off: free them before the next period's are read (the worker
    # runs the daily and the weekly digests one after the other).
    gc.collect()
    log.info("digests: %s", report)
    if deliver:
        report.delivery = deliver_all()
    return report


def send_due_digests(now: datetime | None = None) -> str:
    """The worker's task: send each frequency's latest due period unless it was completed."""
    config = current_app.config
    done = []
    for frequency, at in (
        (Frequency.DAILY, config["DIGEST_DAILY_AT"]),
        (Frequency.WEEKLY, config["DIGEST_WEEKLY_AT"]),
    ):
        period = due_period(frequency, at=at, weekday=config["DIGEST_WEEKLY_WEEKDAY"], now=now)
        completed = db.session.scalar(
            db.select(DigestRun.completed_at).where(
                DigestRun.frequency == frequency.value, DigestRun.period_start == period.start
            )
        )
        if completed is None:
            done.append(str(send_digests(frequency, period, deliver=False)))
    db.session.commit()
    return "; ".join(done)
