"""Building an email: subject, text and HTML rendered from its templates, and the MIME bytes
SMTP sends."""

from __future__ import annotations

import email.policy
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, parseaddr
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app

from baerekraft_hub.core.i18n import rendering_in
from baerekraft_hub.core.text import one_line

if TYPE_CHECKING:
    from sqlalchemy import Row

    from baerekraft_hub.core.outbox.models import OutboxMessage


class HeaderInjectionError(ValueError):
    """A header value contained CR or LF, which would let it add headers of its own."""


def check_header(name: str, value: str) -> None:
    for part in (name, value):
        if "\r" in part or "\n" in part:
            raise HeaderInjectionError(f"line break in email header {name!r}")


MAX_SUBJECT = 255  # the outbox column


def render_email(template: str, context: dict[str, Any], language: str) -> tuple[str, str, str]:
    """Subject, text and HTML of `templates/email/<template>` in `language`.

    The subject is the `subject` block of the .txt template, on one line whatever stored
    text (a title, a name) it quotes.
    """
    env = current_app.jinja_env
    with rendering_in(language):
        values = dict(context, language=language)
        current_app.update_template_context(values)
        text_template = env.get_template(f"email/{template}.txt")
        subject_block = text_template.blocks["subject"]
        subject = one_line("".join(subject_block(text_template.new_context(values))))
        if len(subject) > MAX_SUBJECT:
            subject = subject[: MAX_SUBJECT - 1] + "…"
        text = text_template.render(values).strip() + "\n"
        html = env.get_template(f"email/{template}.html").render(values, subject=subject)
    return subject, text, html


def as_email_bytes(row: OutboxMessage | Row, sender: str) -> bytes:
    """The row as a text + HTML email, ready for SMTP (an OutboxMessage, or a plain row of
    its columns with `body_text` and `body_html`, as the deliverer reads them).

    Built with the standard library's MIME classes: a third of the time Flask-Mail (or
    EmailMessage.set_content) takes for the same message, which counts when a digest run
    sends thousands.
    """
    message = MIMEMultipart("alternative")
    message["Subject"] = _header(row.subject)
    name, address = parseaddr(sender)
    message["From"] = formataddr((name, address), charset="utf-8")
    message["To"] = row.recipient
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = row.message_id
    for header, value in (row.headers or {}).items():
        message[header] = _header(value)
    message.attach(MIMEText(row.body_text, "plain", "utf-8"))
    message.attach(MIMEText(row.body_html, "html", "utf-8"))
    raw = message.as_bytes(policy=_SMTP_LINES)
    return dkim_signed(raw) if current_app.config.get("DKIM_DOMAIN") else raw


# The headers a DKIM signature covers (those present in the message, RFC 6376 5.4.1).
_SIGNED_HEADERS = [
    b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"content-type",
    b"list-unsubscribe", b"list-unsubscribe-post", b"precedence", b"auto-submitted",
]  # fmt: skip


def dkim_signed(raw: bytes) -> bytes:
    """`raw` with a DKIM-Signature header for DKIM_DOMAIN (selector DKIM_SELECTOR)."""
    import dkim

    config = current_app.config
    present = {
        line.split(b":", 1)[0].strip().lower()
        for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    }
    signature = dkim.sign(
        raw,
        config["DKIM_SELECTOR"].encode(),
        config["DKIM_DOMAIN"].encode(),
        _private_key(config["DKIM_PRIVATE_KEY_FILE"]),
        include_headers=[h for h in _SIGNED_HEADERS if h in present],
    )
    return signature + raw


@cache
def _private_key(path: str) -> bytes:
    return Path(path).read_bytes()


# The MIME classes' own policy, with the CRLF line ends SMTP wants, and headers not folded
# (a folded List-Unsubscribe URL confuses some mail clients; ours stay far below 998).
_SMTP_LINES = email.policy.compat32.clone(linesep="\r\n", max_line_length=None)


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")
