"""The email sweep: every email, text and HTML, with hostile text in every value it shows.

Each template is rendered with the snapshot contexts of tests/test_email_snapshots.py, every
shown text replaced by hostile text; the digests are also composed for real from the sweep's
world (demo and hostile content). HTML must carry none of it as markup; the text part keeps
it as typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from baerekraft_hub.core.outbox import OutboxMessage, render_email
from baerekraft_hub.digests.models import Frequency
from baerekraft_hub.digests.periods import local_now, period_containing
from baerekraft_hub.digests.runner import send_digests
from baerekraft_hub.extensions import db
from tests.hostile import hostile_text, leaks, template_attributes
from tests.test_email_snapshots import CONTEXTS, LANGUAGES, TEMPLATE_OF, email_templates

ALLOWED_ATTRIBUTES = template_attributes(Path(__file__).resolve().parents[2] / "templates")
# Values that are codes or addresses, not text a person typed.
NOT_TEXT = {"url", "kind", "language", "frequency", "role", "id", "feed_url", "settings_url"}
NOT_TEXT |= {"unsubscribe_url", "requester_email", "web_url", "test"}


def hostile(value, key=None):
    """`value` with every shown text made hostile, recursively."""
    if isinstance(value, dict):
        return {k: hostile(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [hostile(v, key) for v in value]
    if isinstance(value, str) and key not in NOT_TEXT:
        return hostile_text(300)
    return value


def test_every_email_template_is_swept():
    assert set(email_templates()) <= {TEMPLATE_OF.get(name, name) for name in CONTEXTS}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_every_email_shows_hostile_text_as_text(app, name, language):
    with app.app_context():
        subject, text, html = render_email(
            TEMPLATE_OF.get(name, name), hostile(CONTEXTS[name]), language
        )
    assert leaks(html, ALLOWED_ATTRIBUTES) == []
    if name not in {"confirm_email", "reset_password", "password_changed"} | {"digest_daily"}:
        assert hostile_text(300) in text  # the text part keeps what was typed


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_every_subject_is_one_line(app, name):
    with app.app_context():
        subject, _, _ = render_email(TEMPLATE_OF.get(name, name), hostile(CONTEXTS[name]), "nb")
    assert "\r" not in subject and "\n" not in subject


def test_digests_composed_from_hostile_content_show_it_as_text(app, world):
    with app.app_context():
        today = period_containing(Frequency.DAILY, local_now().date())
        report = send_digests(Frequency.DAILY, today, deliver=False)
        assert report.queued >= 4
        messages = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.template == "digest")
        ).all()
        for message in messages:
            assert leaks(message.body.html, ALLOWED_ATTRIBUTES) == [], message.recipient
            assert "<sweep-mark" in message.body.text  # the text part shows what was typed
