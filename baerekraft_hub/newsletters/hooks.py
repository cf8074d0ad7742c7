"""How newsletters plug into accounts (below them): the newsletter section of a user's data."""

from __future__ import annotations

from typing import Any

from baerekraft_hub.accounts.signals import user_data_requested
from baerekraft_hub.extensions import db
from baerekraft_hub.newsletters.models import Newsletter, NewsletterDelivery


def _user_data(sender: Any, user, **extra: Any) -> dict[str, dict]:
    """Whether (and since when) the user wants the newsletter, and which ones they were sent."""
    subjects = db.session.scalars(
        db.select(Newsletter.subject)
        .join(NewsletterDelivery, NewsletterDelivery.newsletter_id == Newsletter.id)
        .where(NewsletterDelivery.user_id == user.id)
        .order_by(Newsletter.id)
    )
    consent = user.newsletter_consent_at
    return {
        "newsletter": {
            "subscribed": consent is not None,
            "consented_at": consent.isoformat() if consent else None,
            "newsletters_sent_to_you": list(subjects),
        }
    }


def init_app(app) -> None:
    """Connect the receivers (again is fine: it replaces)."""
    user_data_requested.connect(_user_data, weak=False)
