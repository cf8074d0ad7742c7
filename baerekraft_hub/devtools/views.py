"""The local mailbox: what the development SMTP server received, with clickable links."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import abort, current_app, render_template

from baerekraft_hub.core import pagecache
from baerekraft_hub.core.devmail import read_mailbox
from baerekraft_hub.devtools import bp

LINK_RE = re.compile(r"https?://[^\s<>\"']+")


@dataclass
class ReceivedEmail:
    to: str
    subject: str
    date: str
    text: str
    links: list[str]


def _text_of(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


@bp.get("/dev/epost/")
@pagecache.exempt  # the mailbox is files, not the database: no commit tells it changed
def mailbox():
    """Newest first. Only in development: the page shows every email, links and all."""
    if not current_app.config.get("DEV_MAILBOX"):
        abort(404)
    emails = []
    for message in reversed(read_mailbox(current_app.instance_path)):
        text = _text_of(message)
        emails.append(
            ReceivedEmail(
                to=str(message.get("To", "")),
                subject=str(message.get("Subject", "")),
                date=str(message.get("Date", "")),
                text=text,
                links=list(dict.fromkeys(LINK_RE.findall(text))),
            )
        )
    return render_template("devtools/mailbox.html", emails=emails)
