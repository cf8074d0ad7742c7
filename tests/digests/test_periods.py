"""Digest periods are calendar days and Monday-to-Sunday weeks in Europe/Oslo."""

from datetime import UTC, date, datetime

import pytest

from baerekraft_hub.digests.models import Frequency
from baerekraft_hub.digests.periods import (
    due_period,
    last_complete_period,
    period_containing,
)

DAILY, WEEKLY = Frequency.DAILY, Frequency.WEEKLY


def test_daily_is_yesterday_and_weekly_is_last_monday_to_sunday():
    now = datetime(2026, 4, 1, 5, 30, tzinfo=UTC)  # Wednesday 07:30 in Oslo
    assert last_complete_period(DAILY, now).start == date(2026, 3, 31)
    week = last_complete_period(WEEKLY, now)
    assert (week.start, week.last_day) == (date(2026, 3, 23), date(2026, 3, 29))


def test_the_oslo_day_decides_not_the_utc_day():
    now = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)  # already 1 April, 00:30 in Oslo
    assert last_complete_period(DAILY, now).start == date(2026, 3, 31)


def test_a_day_with_the_clock_change_is_23_hours():
    start, end = period_containing(DAILY, date(2026, 3, 29)).utc_bounds()
    assert start == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert (end - start).total_seconds() == 23 * 3600
    week_start, week_end = period_containing(WEEKLY, date(2026, 10, 28)).utc_bounds()
    assert (week_end - week_start).total_seconds() == 7 * 24 * 3600  # no change that week


@pytest.mark.parametrize(
    ("now", "frequency", "expected"),
    [
        (datetime(2026, 4, 1, 4, 59, tzinfo=UTC), DAILY, date(2026, 3, 30)),  # 06:59 Oslo
        (datetime(2026, 4, 1, 5, 0, tzinfo=UTC), DAILY, date(2026, 3, 31)),  # 07:00 Oslo
        (datetime(2026, 3, 30, 4, 59, tzinfo=UTC), WEEKLY, date(2026, 3, 16)),  # Mon 06:59
        (datetime(2026, 3, 30, 5, 0, tzinfo=UTC), WEEKLY, date(2026, 3, 23)),  # Mon 07:00
        (datetime(2026, 4, 2, 12, 0, tzinfo=UTC), WEEKLY, date(2026, 3, 23)),  # later that week
    ],
)
def test_a_period_is_due_from_its_sending_time(now, frequency, expected):
    assert due_period(frequency, at="07:00", now=now).start == expected


def test_the_weekly_sending_day_is_configurable():
    tuesday_early = datetime(2026, 3, 31, 5, 0, tzinfo=UTC)  # Tuesday 07:00
    monday_late = datetime(2026, 3, 30, 10, 0, tzinfo=UTC)  # Monday 12:00
    assert due_period(WEEKLY, at="07:00", weekday=1, now=tuesday_early).start == date(2026, 3, 23)
    assert due_period(WEEKLY, at="07:00", weekday=1, now=monday_late).start == date(2026, 3, 16)
