"""Content in the console: unpublish and republish with a reason, feature up to six items."""

from __future__ import annotations

from baerekraft_hub.audit.models import AuditEvent
from baerekraft_hub.core.outbox.models import OutboxMessage
from baerekraft_hub.extensions import db as _db
from baerekraft_hub.memberships.models import Role
from baerekraft_hub.practices.models import Practice
from baerekraft_hub.projects.models import Project
from tests.conftest import session_csrf
from tests.factories import make_member, make_practice, make_project, make_user
from tests.hostile import PAYLOADS, dangerous_markup


def _post(client, path, data=None):
    token = session_csrf(client)
    return client.post(path, data={"csrf_token": token, **(data or {})})


def _actions():
    return [
        (e.action, e.target_kind, e.reason)
        for e in _db.session.scalars(_db.select(AuditEvent).order_by(AuditEvent.id))
    ]


def test_unpublishing_tells_the_editors_in_their_language_and_republishing_undoes_it(
    client, db, login_as
):
    nynorsk = make_member("1506", Role.EDITOR)
    nynorsk.language = "nn"
    english = make_member("1506", Role.ADMIN)
    english.language = "en"
    make_member("1506", Role.MEMBER)  # a member is not responsible: not told
    project = make_project("1506")
    login_as(make_user(coordinator=True))

    path = f"/koordinator/innhold/prosjekt/{project.id}"
    response = _post(client, f"{path}/avpubliser/", {"unpublish-reason": "Personopplysninger"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, project.id).state == "unpublished"
    mails = {m.recipient: m for m in db.session.scalars(db.select(OutboxMessage))}
    assert set(mails) == {nynorsk.email, english.email}
    assert "ikkje lenger publisert" in mails[nynorsk.email].subject  # nynorsk
    assert "is no longer published" in mails[english.email].subject

    assert _post(client, f"{path}/publiser/").status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, project.id).is_published
    assert _actions() == [
        ("content.unpublish", "project", "Personopplysninger"),
        ("content.republish", "project", None),
    ]


def test_unpublishing_needs_a_reason(client, db, login_as):
    practice = make_practice("1506")
    login_as(make_user(coordinator=True))
    path = f"/koordinator/innhold/praksis/{practice.id}/avpubliser/"
    response = _post(client, path, {"unpublish-reason": "  "})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Practice, practice.id).is_published
    assert _actions() == []


def test_six_items_can_be_featured_and_a_seventh_is_refused(client, db, login_as):
    projects = [make_project("1506", title=f"Utvalgt {n}") for n in range(5)]
    practice = make_practice("1506", title="Utvalgt praksis")
    seventh = make_project("4601", title="Den sjuende")
    draft = make_project("1506", title="Et utkast", published=False)
    login_as(make_user(coordinator=True))
    for project in projects:
        assert (
            _post(client, f"/koordinator/innhold/prosjekt/{project.id}/fremhev/").status_code == 302
        )
    assert _post(client, f"/koordinator/innhold/praksis/{practice.id}/fremhev/").status_code == 302

    response = _post(client, f"/koordinator/innhold/prosjekt/{seventh.id}/fremhev/")
    assert response.status_code == 422
    assert "allerede 6" in response.get_data(as_text=True)
    response = _post(client, f"/koordinator/innhold/prosjekt/{draft.id}/fremhev/")
    assert response.status_code == 422

    home = client.get("/").get_data(as_text=True)
    assert "Utvalgt praksis" in home and "Utvalgt 4" in home
    assert "Den sjuende" in home  # among the latest projects, not featured
    featured_part = home.split('id="featured-title"')[1].split("</section>")[0]
    assert "Den sjuende" not in featured_part and "Et utkast" not in home

    # Removing one makes room for the seventh.
    path = f"/koordinator/innhold/prosjekt/{projects[0].id}/fjern-fremheving/"
    assert _post(client, path).status_code == 302
    assert _post(client, f"/koordinator/innhold/prosjekt/{seventh.id}/fremhev/").status_code == 302
    assert [a for a, _k, _r in _actions()].count("content.feature") == 7


def test_the_home_page_shows_the_network_in_figures(client, db):
    make_project("1506")
    make_project("4601")
    make_project("1506", published=False)
    make_practice("1506")
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    figures = html.split('id="figures-title"')[1].split("</section>")[0]
    assert "2</span> publiserte prosjekter" in figures
    assert "1</span> eksempler" in figures


def test_the_content_list_filters_and_escapes(client, db, login_as):
    for payload in PAYLOADS:
        make_project("1506", title=payload[:200], summary=payload[:500])
    make_project("1506", title="Unik tittel", published=False)
    login_as(make_user(coordinator=True))
    html = client.get("/koordinator/innhold/?state=draft").get_data(as_text=True)
    assert "Unik tittel" in html and "alert" not in html
    html = client.get("/koordinator/innhold/?kind=nonsense&q=%3Cscript").get_data(as_text=True)
    assert dangerous_markup(html.split("<main", 1)[1]) == []
    assert "&lt;script" in html


def test_the_content_list_runs_the_same_queries_for_few_or_many(
    client, db, login_as, count_queries
):
    login_as(make_user(coordinator=True))

    def measure():
        with count_queries() as statements:
            assert client.get("/koordinator/innhold/").status_code == 200
        return len(statements)

    make_project("1506").featured_at = make_project("4601").published_at
    db.session.commit()
    few = measure()
    for n, owner in enumerate(["3301", "4601", "1506", "46", "5001", "1103"]):
        make_project(owner, title=f"P{n}").featured_at = make_project(owner).published_at
    db.session.commit()
    assert measure() == few


def test_a_featured_item_its_owner_unpublishes_leaves_the_home_page(client, db):
    from baerekraft_hub.content import services as content
    from baerekraft_hub.core.models import utcnow

    kept, taken_back = (
        make_project("1506", title="Blir stående"),
        make_project("1506", title="Trekkes"),
    )
    for project in (kept, taken_back):
        project.featured_at = utcnow()
    db.session.commit()
    content.unpublish(taken_back, None, "Feil")  # not through the console: featured_at stays
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    featured_part = home.split('id="featured-title"')[1].split("</section>")[0]
    assert "Blir stående" in featured_part and "Trekkes" not in home
