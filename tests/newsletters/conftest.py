"""Helpers for the newsletter tests: readers who opted in, and newsletters to send."""

from __future__ import annotations

from baerekraft_hub.core.models import utcnow
from baerekraft_hub.follows.models import Follow
from baerekraft_hub.newsletters.audience import Audience
from baerekraft_hub.newsletters.services import NewsletterData, create_newsletter
from tests.factories import make_member, make_user


def reader(db, *, org: str | None = None, role: str = "member", follows=(), **user_args):
    """A confirmed user who asked for the newsletter; a member of `org`, following `follows`
    ((kind, key) pairs)."""
    user = make_user(**user_args)
    user.newsletter_consent_at = utcnow()
    if org:
        make_member(org, role, user=user)
    for kind, key in follows:
        db.session.add(Follow(user_id=user.id, kind=kind, key=str(key)))
    db.session.flush()
    return user


def newsletter(author=None, audience: Audience | None = None, **text):
    data = NewsletterData(
        subject=text.get("subject", "Nytt fra nettverket"),
        preheader=text.get("preheader", ""),
        body=text.get("body", "Hei alle sammen."),
        news=text.get("news", ""),
        utm_campaign=text.get("utm_campaign", ""),
        audience=audience or Audience(),
    )
    return create_newsletter(data, author or make_user(coordinator=True))
