"""A newsletter as email: its text and HTML (with UTM parameters when asked, and no tracking
pixel), the one-click unsubscribe link and headers, and the outbox key that makes it one copy
per newsletter and recipient."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import nh3
from markupsafe import Markup

from baerekraft_hub.accounts.models import User
from baerekraft_hub.accounts.tokens import Purpose, address_token, user_for_address_token
from baerekraft_hub.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from baerekraft_hub.core.outbox import Email, render_email
from baerekraft_hub.core.urls import public_url
from baerekraft_hub.newsletters.models import Newsletter

TEMPLATE = "newsletter"


def with_utm(url: str, campaign: str) -> str:
    """`url` with utm_source, utm_medium and utm_campaign (web links only; existing ones kept)."""
    parts = urlsplit(url)
    if not campaign or parts.scheme not in ("http", "https"):
        return url
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for key, value in (
        ("utm_source", "baerekraftshub"),
        ("utm_medium", "email"),
        ("utm_campaign", campaign),
    ):
        query.setdefault(key, value)
    return urlunsplit(parts._replace(query=urlencode(query)))


_URL = re.compile(r"https?://[^\s<>()\[\]\"']+")


def _html(markdown: str, campaign: str) -> Markup:
    html = render_markdown(markdown)
    if not campaign or not html:
        return html

    def tag_links(tag: str, attribute: str, value: str) -> str:
        return with_utm(value, campaign) if tag == "a" and attribute == "href" else value

    clean = nh3.clean(
        str(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=tag_links,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 (twice)


def _text(markdown: str, campaign: str) -> str:
    return _URL.sub(lambda m: with_utm(m.group(0), campaign), markdown) if campaign else markdown


@dataclass
class Rendered:
    """The parts of a newsletter every recipient shares, rendered once per batch."""

    context: dict[str, Any]

    @classmethod
    def of(cls, newsletter: Newsletter) -> Rendered:
        campaign = newsletter.utm_campaign
        return cls(
            {
                "newsletter_subject": newsletter.subject,
                "preheader": newsletter.preheader,
                "body_html": _html(newsletter.body, campaign),
                "body_text": _text(newsletter.body, campaign),
                "news_html": _html(newsletter.news, campaign),
                "news_text": _text(newsletter.news, campaign),
                "web_url": public_url("newsletters.archived", newsletter_id=newsletter.id),
            }
        )


def unsubscribe_token(user: User) -> str:
    """A signed token that stops this user's newsletters, not their digests (`address_token`)."""
    return address_token(Purpose.NEWSLETTER_UNSUBSCRIBE, user)


def user_for_unsubscribe_token(token: str) -> User:
    """The user the token was made for; raises TokenExpired or TokenInvalid."""
    return user_for_address_token(Purpose.NEWSLETTER_UNSUBSCRIBE, token)


def dedup_key(newsletter: Newsletter, user: User) -> str:
    """One copy per newsletter and recipient: the outbox refuses a second."""
    return f"newsletter:{newsletter.id}:{user.id}"


def newsletter_email(newsletter: Newsletter, rendered: Rendered, user: User) -> Email:
    url = public_url("newsletters.unsubscribe", token=unsubscribe_token(user))
    return Email(
        to=user.email,
        template=TEMPLATE,
        context=dict(rendered.context, unsubscribe_url=url, test=False),
        language=user.language,
        dedup_key=dedup_key(newsletter, user),
        user=user,
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Precedence": "bulk",
        },
    )


# Stands for each recipient's own unsubscribe link while a language's copy is rendered once.
_PLACEHOLDER = "https://unsubscribe.invalid/recipient"


def newsletter_emails(newsletter: Newsletter, users: list[User]) -> list[Email]:
    """The newsletter for each of `users`: rendered once per language, then given each
    recipient's own unsubscribe link (rendering is most of the work of a big send)."""
    rendered = Rendered.of(newsletter)
    copies: dict[str, tuple[str, str, str]] = {}
    emails = []
    for user in users:
        email = newsletter_email(newsletter, rendered, user)
        if user.language not in copies:
            context = dict(email.context, unsubscribe_url=_PLACEHOLDER)
            copies[user.language] = render_email(TEMPLATE, context, user.language)
        subject, text, html = copies[user.language]
        url = email.context["unsubscribe_url"]
        email.prerendered = (
            subject,
            text.replace(_PLACEHOLDER, url),
            html.replace(_PLACEHOLDER, url),
        )
        emails.append(email)
    return emails


def test_email(newsletter: Newsletter, user: User, key: str) -> Email:
    """The newsletter as `user` would get it, marked as a test, to them alone."""
    email = newsletter_email(newsletter, Rendered.of(newsletter), user)
    email.context["test"] = True
    email.dedup_key = key
    return email
