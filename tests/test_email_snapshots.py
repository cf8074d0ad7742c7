"""Every email, rendered in every language, compared with a reviewed snapshot.

After changing an email on purpose, regenerate and review the diff:

    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_email_snapshots.py
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from baerekraft_hub.core.outbox import render_email

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).parent / "snapshots" / "email"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"

# The context each email is rendered with; a new email template needs an entry here.
CONTEXTS = {
    "confirm_email": {"name": "Kari Nordmann", "url": "https://baerekraftshub.no/bekreft/TOKEN/"},
    "reset_password": {
        "name": "Kari Nordmann",
        "url": "https://baerekraftshub.no/nytt-passord/TOKEN/",
    },
    "account_exists": {
        "name": "Kari Nordmann",
        "url": "https://baerekraftshub.no/logg-inn/",
        "reset_url": "https://baerekraftshub.no/glemt-passord/",
    },
    "password_changed": {
        "name": "Kari Nordmann",
        "url": "https://baerekraftshub.no/glemt-passord/",
    },
    "membership_requested": {
        "name": "Ola Admin",
        "requester": "Kari Nordmann",
        "requester_email": "kari@example.no",
        "organisation": "Molde",
        "url": "https://baerekraftshub.no/organisasjoner/molde/medlemmer/",
    },
    "membership_approved": {
        "name": "Kari Nordmann",
        "organisation": "Molde",
        "role": "editor",
        "url": "https://baerekraftshub.no/profil/organisasjoner/",
    },
    "content_unpublished": {
        "name": "Kari Nordmann",
        "title": "Regnbed i sentrum",
        "organisation": "Molde",
        "reason": "Mangler kontaktperson.",
        "by_coordinator": True,
        "url": "https://baerekraftshub.no/prosjekter/12/",
    },
    "membership_declined": {
        "name": "Kari Nordmann",
        "organisation": "Molde",
        "role": "member",
        "url": "https://baerekraftshub.no/profil/organisasjoner/",
    },
}
_SITE = "https://baerekraftshub.no"
_MOLDE = {"kind": "organisation", "name": "Molde", "url": f"{_SITE}/organisasjoner/molde/"}
# A reason's name comes in the recipient's language (the Composer names it in theirs).
_GOAL_13 = {
    "kind": "goal",
    "name": _l("Goal %(number)s: %(title)s", number=13, title="Stoppe klimaendringene"),
    "url": f"{_SITE}/barekraftsmal/13/",
}
_TARGET = {
    "kind": "target",
    "name": _l("Target %(id)s", id="13.1"),
    "url": f"{_SITE}/barekraftsmal/delmal/13.1/",
}


def _digest_item(number: int, title: str, happened: list, also: list | None = None) -> dict:
    return {
        "kind": "project",
        "title": title,
        "language": "nb",
        "organisation": "Molde",
        "url": f"{_SITE}/prosjekter/{number}/",
        "happened": happened,
        "also": also or [],
    }


CONTEXTS["digest"] = {
    "name": "Kari Nordmann",
    "frequency": "weekly",
    "start": date(2026, 3, 23),
    "last_day": date(2026, 3, 29),
    "count": 3,
    "groups": [
        {
            "reason": _TARGET,
            "entries": [
                _digest_item(
                    7,
                    "Regnbed i Molde sentrum",
                    [
                        {"kind": "published", "details": {}, "organisation": None},
                        {
                            "kind": "update_posted",
                            "details": {"title": "Første regnbed er plantet"},
                            "organisation": None,
                        },
                    ],
                    also=[_MOLDE, _GOAL_13],
                )
            ],
            "more": 0,
        },
        {
            "reason": _GOAL_13,
            "entries": [
                _digest_item(
                    9,
                    "Solceller på Fræna ungdomsskole",
                    [
                        {
                            "kind": "status_changed",
                            "details": {"old": "planned", "new": "ongoing"},
                            "organisation": None,
                        },
                        {
                            "kind": "indicator_value",
                            "details": {"name": "Produsert strøm", "value": "41.5", "unit": "MWh"},
                            "organisation": None,
                        },
                    ],
                )
            ],
            "more": 4,
        },
    ],
    "suggestions": [
        {"name": "Aukra", "url": f"{_SITE}/organisasjoner/aukra/"},
        {"name": "Flomsikring i Bodø", "url": f"{_SITE}/prosjekter/12/"},
    ],
    "feed_url": f"{_SITE}/nytt-for-deg/",
    "settings_url": f"{_SITE}/profil/oppsummering/",
    "unsubscribe_url": f"{_SITE}/avmeld/TOKEN/",
}
# The daily digest: the same template, one day, one item, no suggestions.
CONTEXTS["digest_daily"] = dict(
    CONTEXTS["digest"],
    frequency="daily",
    start=date(2026, 3, 26),
    last_day=date(2026, 3, 26),
    count=1,
    groups=CONTEXTS["digest"]["groups"][:1],
    suggestions=[],
)
CONTEXTS["newsletter"] = {
    "newsletter_subject": "Nytt fra Bærekraftsnettverket – desember",
    "preheader": "Tre kommuner deler erfaringer med overvann",
    "body_html": Markup(
        '<p>Hei alle sammen! Les <a href="https://example.org/">rapporten</a>.</p>'
    ),
    "body_text": "Hei alle sammen! Les [rapporten](https://example.org/).",
    "news_html": Markup("<h3>13. Stoppe klimaendringene</h3>\n<ul><li>Regnbed i Molde</li></ul>"),
    "news_text": "### 13. Stoppe klimaendringene\n\n- Regnbed i Molde",
    "web_url": f"{_SITE}/nyhetsbrev/3/",
    "unsubscribe_url": f"{_SITE}/nyhetsbrev/avmeld/TOKEN/",
    "test": False,
}
TEMPLATE_OF = {"digest_daily": "digest"}  # snapshot name -> template, where they differ
LANGUAGES = ("nb", "nn", "en")


def email_templates() -> list[str]:
    folder = ROOT / "templates" / "email"
    return sorted(p.stem for p in folder.glob("*.txt") if not p.name.startswith("_"))


def test_every_email_has_text_and_html_and_a_snapshot_context():
    folder = ROOT / "templates" / "email"
    for name in email_templates():
        assert (folder / f"{name}.html").exists(), f"email/{name}.html is missing"
        assert name in CONTEXTS, f"add a context for email/{name} to CONTEXTS"


def render_snapshot(name: str, language: str) -> str:
    subject, text, html = render_email(TEMPLATE_OF.get(name, name), CONTEXTS[name], language)
    return f"Subject: {subject}\n\n=== text ===\n{text}\n=== html ===\n{html.strip()}\n"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_email_matches_its_snapshot(app, name, language):
    with app.app_context():
        rendered = render_snapshot(name, language)
    snapshot = SNAPSHOTS / f"{name}.{language}.txt"
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(rendered, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot {snapshot.name}: run with UPDATE_SNAPSHOTS=1"
    assert rendered == snapshot.read_text(encoding="utf-8")


def test_names_are_escaped_in_html_and_kept_as_typed_in_text(app):
    context = dict(CONTEXTS["membership_requested"], requester="<b>Kari</b> & Co")
    with app.app_context():
        subject, text, html = render_email("membership_requested", context, "en")
    assert subject == "<b>Kari</b> & Co asks to join Molde"
    assert "<b>Kari</b> & Co (kari@example.no)" in text
    assert "&lt;b&gt;Kari&lt;/b&gt; &amp; Co" in html and "<b>Kari</b>" not in html
