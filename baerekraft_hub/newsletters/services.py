"""What the coordinator does with a newsletter: write it, choose its audience, copy it.

Functions flush and never commit. A newsletter changes only while it is a draft: once sending
starts (see `sending.py`) its text is what the recipients got, and the archive shows it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _

from baerekraft_hub.accounts.models import User
from baerekraft_hub.audit import record
from baerekraft_hub.content.models import PublicationState
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.i18n import localized
from baerekraft_hub.core.urls import public_url
from baerekraft_hub.extensions import db
from baerekraft_hub.newsletters.audience import Audience, unknown_targets
from baerekraft_hub.newsletters.models import Newsletter, NewsletterStatus
from baerekraft_hub.practices.models import Practice
from baerekraft_hub.projects.models import Project
from baerekraft_hub.sdg.models import Goal


class NotEditable(Exception):
    """The newsletter has gone out (or is going): it can be copied, not changed."""


@dataclass
class NewsletterData:
    subject: str
    preheader: str
    body: str
    news: str
    utm_campaign: str
    audience: Audience


def _check(data: NewsletterData) -> None:
    if not data.subject.strip():
        raise ValidationError(_("Write a subject."), field="subject")
    if not data.body.strip() and not data.news.strip():
        raise ValidationError(_("Write the newsletter's text."), field="body")
    unknown = unknown_targets(data.audience.targets)
    if unknown:
        raise ValidationError(
            _("These are not SDG targets: %(targets)s.", targets=", ".join(unknown)),
            field="targets",
        )


def _apply(newsletter: Newsletter, data: NewsletterData) -> None:
    newsletter.subject = data.subject.strip()
    newsletter.preheader = data.preheader.strip()
    newsletter.body = data.body.strip()
    newsletter.news = data.news.strip()
    newsletter.utm_campaign = data.utm_campaign.strip()
    newsletter.audience = data.audience.as_dict()


def create_newsletter(data: NewsletterData, author: User) -> Newsletter:
    _check(data)
    newsletter = Newsletter(created_by=author, status=NewsletterStatus.DRAFT.value)
    _apply(newsletter, data)
    db.session.add(newsletter)
    db.session.flush()
    record(author, "newsletter.create", "newsletter", newsletter.id)
    return newsletter


def update_newsletter(newsletter: Newsletter, data: NewsletterData) -> None:
    if not newsletter.is_draft:
        raise NotEditable
    _check(data)
    _apply(newsletter, data)
    db.session.flush()


def clone_newsletter(newsletter: Newsletter, author: User) -> Newsletter:
    """A new draft with the text and audience of `newsletter` (which stays as it was)."""
    copy = Newsletter(
        subject=newsletter.subject,
        preheader=newsletter.preheader,
        body=newsletter.body,
        news=newsletter.news,
        utm_campaign=newsletter.utm_campaign,
        audience=dict(newsletter.audience or {}),
        status=NewsletterStatus.DRAFT.value,
        created_by=author,
    )
    db.session.add(copy)
    db.session.flush()
    record(author, "newsletter.copy", "newsletter", copy.id, details={"from": newsletter.id})
    return copy


def previous_send_time():
    """When the last newsletter started going out (None: there was none)."""
    return db.session.scalar(
        db.select(db.func.max(Newsletter.started_at)).where(
            Newsletter.status != NewsletterStatus.DRAFT.value
        )
    )


def news_since_last_newsletter(language: str = "nb") -> str:
    """ "Nytt i nettverket" as Markdown: the projects and practices published since the last
    newsletter started going out, grouped under their first SDG goal (the coordinator edits it)."""
    since = previous_send_time()
    by_goal: dict[int | None, list[str]] = defaultdict(list)
    for model, endpoint, key in (
        (Project, "projects.show", "project_id"),
        (Practice, "practices.show", "practice_id"),
    ):
        query = db.select(model).where(model.state == PublicationState.PUBLISHED.value)
        if since is not None:
            query = query.where(model.published_at > since)
        for item in db.session.scalars(query.order_by(model.published_at)):
            goals = item.all_goals
            url = public_url(endpoint, **{key: item.id})
            line = f"- [{_markdown_text(item.title)}]({url}) ({_markdown_text(item.owner.name)})"
            by_goal[goals[0].number if goals else None].append(line)
    if not by_goal:
        return ""
    goals = {g.number: g for g in db.session.scalars(db.select(Goal))}
    parts = []
    for number in sorted(by_goal, key=lambda n: (n is None, n or 0)):
        if number is None:
            heading = _("Other")
        else:
            title = localized(goals[number], "short_title", language) or goals[number].title_en
            heading = f"{number}. {title}"
        parts.append(f"### {_markdown_text(heading)}\n\n" + "\n".join(by_goal[number]))
    return "\n\n".join(parts)


def _markdown_text(text: str) -> str:
    """`text` as literal Markdown: its punctuation cannot make links, emphasis or HTML."""
    special = "\\`*_{}[]()#+-.!<>|~"
    return "".join(f"\\{c}" if c in special else c for c in " ".join(text.split()))
