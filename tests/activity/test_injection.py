"""Stored markup in what happened (update titles, indicators, organisations) stays text.

The proof from issue 10: an editor of one municipality titled an update with htmx markup, and
when a coordinator opened "Nytt for deg" the coordinator's browser approved a membership.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from baerekraft_hub.digests.models import Frequency
from baerekraft_hub.digests.periods import local_now, period_containing
from baerekraft_hub.digests.runner import send_digests
from baerekraft_hub.projects import services as projects
from tests.activity.test_activity import follow
from tests.digests.conftest import follower
from tests.factories import make_member, make_project, make_user, organisation
from tests.hostile import dangerous_markup

APPROVE = (
    '<div hx-post="/organisasjoner/bergen/medlemmer/5/godkjenn/" '
    'hx-vals=\'{"role":"admin"}\' hx-trigger="load">'
)
MARKUP = '<b onclick="alert(1)">fet</b>'


def _hostile_news(db):
    """Molde's editor posts the update, names an indicator and records a value."""
    editor = make_member("1506", "editor")
    project = make_project(title="Regnbed", target_ids=["13.1"])
    projects.post_update(project, APPROVE, "Tekst", editor)
    indicator = projects.add_indicator(
        project,
        name=MARKUP,
        unit=MARKUP,
        baseline_value=Decimal(0),
        baseline_year=2024,
        target_value=Decimal(100),
        target_year=2030,
    )
    projects.record_indicator_value(indicator, Decimal("480.5"), date(2026, 3, 1), editor)
    return project


def _injected(html: str) -> list[str]:
    return [p for p in dangerous_markup(html) if p.startswith(("div[", "b["))]


def test_the_feed_shows_an_update_title_with_htmx_markup_as_text(client, db, login_as):
    coordinator = make_user(coordinator=True)
    follow(db, coordinator, "organisation", organisation("1506").id)
    _hostile_news(db)
    login_as(coordinator)
    html = client.get("/nytt-for-deg/").get_data(as_text=True)
    assert _injected(html) == []
    assert "&lt;div hx-post=" in html
    assert "&lt;b onclick=" in html


def test_the_digest_html_shows_the_same_markup_as_text(db, smtp_server):
    follower(db, ("organisation", organisation("1506").id), language="en")
    _hostile_news(db)
    db.session.commit()
    send_digests(Frequency.DAILY, period_containing(Frequency.DAILY, local_now().date()))
    (message,) = smtp_server.wait_for(1)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert _injected(html) == []
    assert "&lt;div hx-post=" in html
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert APPROVE in text  # the text email keeps what was typed
