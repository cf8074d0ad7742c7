"""What the digests domain does: preferences, unsubscribe links, and queueing one digest.

Functions flush and never commit (the runner in `runner.py` commits per batch).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from baerekraft_hub.accounts.models import User
from baerekraft_hub.accounts.tokens import Purpose, address_token, user_for_address_token
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.outbox import Email, queue_emails
from baerekraft_hub.core.urls import public_url
from baerekraft_hub.digests.models import Frequency
from baerekraft_hub.digests.periods import Period
from baerekraft_hub.extensions import db


def set_frequency(user: User, frequency: str) -> None:
    """No digest, daily or weekly."""
    if frequency not in Frequency.__members__.values():
        raise ValidationError(_("Choose how often you want the digest."), field="frequency")
    user.digest_frequency = frequency
    db.session.flush()


def unsubscribe_token(user: User) -> str:
    """A signed token that stops this user's digests (see `address_token`)."""
    return address_token(Purpose.UNSUBSCRIBE, user)


def user_for_unsubscribe_token(token: str) -> User:
    """The user the token was made for; raises TokenExpired or TokenInvalid."""
    return user_for_address_token(Purpose.UNSUBSCRIBE, token)


def unsubscribe(user: User) -> None:
    """Stop the user's digests (they can choose again on their profile)."""
    user.digest_frequency = Frequency.NONE.value
    db.session.flush()


def dedup_key(user: User, period: Period) -> str:
    """One digest per user, frequency and period: the outbox refuses a second."""
    return f"digest:{period.frequency.value}:{period.start.isoformat()}:{user.id}"


def digest_email(user: User, period: Period, context: dict[str, Any]) -> Email:
    """The user's digest for the period, ready for the outbox: one-click unsubscribe link
    and headers (RFC 8058), and the key that makes it one per user, frequency and period."""
    url = public_url("digests.unsubscribe", token=unsubscribe_token(user))
    return Email(
        to=user.email,
        template="digest",
        context=dict(context, unsubscribe_url=url),
        language=user.language,
        dedup_key=dedup_key(user, period),
        user=user,
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Bulk mail (besides Auto-Submitted, on every email): a bounce suppresses it.
            "Precedence": "bulk",
        },
    )


def queue_digests(emails: list[Email]) -> int:
    """Queue the digests (those not queued before); how many were new."""
    return queue_emails(emails)
