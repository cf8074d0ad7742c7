"""Digest periods: calendar days and Monday-to-Sunday weeks in Europe/Oslo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from baerekraft_hub.digests.models import Frequency

OSLO = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class Period:
    """[start, end) in local dates: one day, or Monday to the Monday after."""

    frequency: Frequency
    start: date
    end: date

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The period as UTC instants (a local day is 23 or 25 hours at the DST changes)."""
        return _local_midnight(self.start), _local_midnight(self.end)

    @property
    def key(self) -> str:
        return f"{self.frequency.value}:{self.start.isoformat()}"


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=OSLO).astimezone(UTC)


def period_containing(frequency: Frequency, day: date) -> Period:
    """The day itself (daily), or the Monday-to-Sunday week it falls in (weekly)."""
    if frequency == Frequency.DAILY:
        return Period(frequency, day, day + timedelta(days=1))
    if frequency == Frequency.WEEKLY:
        monday = day - timedelta(days=day.weekday())
        return Period(frequency, monday, monday + timedelta(days=7))
    raise ValueError(f"no period for {frequency!r}")


def local_now(now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(OSLO)


def last_complete_period(frequency: Frequency, now: datetime | None = None) -> Period:
    """Yesterday, or last week (Monday to Sunday), seen from Oslo."""
    today = local_now(now).date()
    current = period_containing(frequency, today)
    return period_containing(frequency, current.start - timedelta(days=1))


def parse_clock(text: str) -> time:
    """'07:00' -> 07:00."""
    hours, _sep, minutes = text.strip().partition(":")
    return time(int(hours), int(minutes or 0))


def due_period(
    frequency: Frequency, *, at: str, weekday: int = 0, now: datetime | None = None
) -> Period:
    """The latest period whose sending time has come (daily at `at`; weekly on `weekday`,
    0 = Monday, at `at`), in Oslo time. Before this week's sending time, that is the week
    before last: a worker that was down catches up with the latest period only."""
    moment = local_now(now)
    latest = last_complete_period(frequency, now)
    send_day = latest.end
    if frequency == Frequency.WEEKLY:
        send_day = latest.end + timedelta(days=weekday)
    sending = datetime.combine(send_day, parse_clock(at), tzinfo=OSLO)
    if moment < sending:
        return period_containing(frequency, latest.start - timedelta(days=1))
    return latest
