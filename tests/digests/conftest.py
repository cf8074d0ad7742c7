"""Helpers for the digest tests: users who follow things, and content that happens today."""

from __future__ import annotations

import pytest

from baerekraft_hub.digests.models import Frequency
from baerekraft_hub.digests.periods import local_now, period_containing
from baerekraft_hub.follows.models import Follow
from tests.factories import make_user


def follower(db, *follows: tuple[str, str], frequency: str = "daily", **user_args):
    """A user who follows each (kind, key) and wants the digest at `frequency`."""
    user = make_user(**user_args)
    user.digest_frequency = frequency
    for kind, key in follows:
        db.session.add(Follow(user_id=user.id, kind=kind, key=str(key)))
    db.session.flush()
    return user


@pytest.fixture()
def today():
    """Today's daily period in Oslo: events recorded now fall in it."""
    return period_containing(Frequency.DAILY, local_now().date())


@pytest.fixture()
def this_week():
    return period_containing(Frequency.WEEKLY, local_now().date())
