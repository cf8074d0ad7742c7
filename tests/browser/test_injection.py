"""Markup in stored text never fires an htmx request in a reader's browser (issue 10)."""

from __future__ import annotations

import pytest

from baerekraft_hub.memberships.models import Membership, MembershipStatus
from baerekraft_hub.projects import services as projects
from tests.activity.test_activity import follow
from tests.factories import make_member, make_project, make_user, organisation

pytestmark = pytest.mark.browser


def _pending_at_bergen(db) -> Membership:
    applicant = make_member("4601", "member", status=MembershipStatus.PENDING)
    return applicant.memberships[0]


def test_an_update_titled_with_htmx_markup_approves_nobody_when_the_coordinator_reads_it(
    page, db, sign_in
):
    pending = _pending_at_bergen(db)
    attack = (
        f'<div hx-post="/organisasjoner/bergen/medlemmer/{pending.id}/godkjenn/" '
        'hx-vals=\'{"role":"admin"}\' hx-trigger="load">x</div>'
    )
    coordinator = make_user(coordinator=True)
    follow(db, coordinator, "organisation", organisation("1506").id)
    project = make_project(title="Regnbed", target_ids=["13.1"])
    projects.post_update(project, attack, "Tekst", make_member("1506", "editor"))
    sign_in(page.context, coordinator)
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.goto("/nytt-for-deg/")
    page.goto(f"/prosjekter/{project.id}/")
    page.wait_for_timeout(300)
    assert posts == []
    db.session.expire_all()
    assert db.session.get(Membership, pending.id).status == MembershipStatus.PENDING.value
    page.goto("/nytt-for-deg/")
    assert page.get_by_text(attack).count() == 1  # shown as the text it is


def test_markup_that_got_into_a_user_content_region_is_left_alone_by_htmx(page, db):
    """hx-ignore is the second line: were raw markup ever to reach a Markdown body, htmx
    would still not process it."""
    project = make_project(title="Regnbed", description="Tekst")
    db.session.commit()
    requests = []
    page.on("request", lambda request: "/fanget/" in request.url and requests.append(request))
    page.goto(f"/prosjekter/{project.id}/")
    page.evaluate(
        """() => {
            const body = document.querySelector('.markdown');
            body.innerHTML = '<div hx-get="/fanget/" hx-trigger="load">x</div>';
            htmx.process(body);
        }"""
    )
    page.wait_for_timeout(300)
    assert requests == []
