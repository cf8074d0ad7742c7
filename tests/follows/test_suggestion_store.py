"""What "Your follows" suggests to a member of an organisation, as the worker ranked it: the
same as asked live, and following publishing, editing and unpublishing."""

from __future__ import annotations

from dataclasses import replace

from baerekraft_hub.content.services import unpublish
from baerekraft_hub.follows.models import Follow, OrganisationSuggestion
from baerekraft_hub.follows.suggestions import suggestions_for
from baerekraft_hub.projects.services import project_data_of, update_project
from tests.factories import make_member, make_project, run_worker_task


def suggested(client) -> str:
    page = client.get("/profil/folger/").get_data(as_text=True)
    if 'id="suggestions-title"' not in page:
        return ""
    return page.split('id="suggestions-title"', 1)[1]


def test_the_stored_suggestions_are_what_the_database_answers_live(app, db):
    me = make_member("1506", "editor")
    make_project("1506", target_ids=["11.5", "13.1", "7.2"])
    for i, (owner, targets) in enumerate(
        [
            ("4601", ["11.5"]),
            ("0301", ["11.5", "13.1"]),
            ("4601", ["7.2", "13.1"]),
            ("3301", ["3.4"]),
            ("1103", ["13.1"]),
            ("0301", ["7.2"]),
            ("5001", ["11.5", "7.2"]),
        ]
    ):
        make_project(owner, title=f"Prosjekt {i}", target_ids=targets)
    followed_project = make_project("1103", title="Fulgt", target_ids=["11.5", "13.1"])
    db.session.commit()
    follows = {("target", "13.1"), ("project", str(followed_project.id)), ("organisation", "0")}
    live = suggestions_for(me, follows, limit=3)
    run_worker_task(app, "organisation-suggestions")
    assert db.session.scalar(db.select(db.func.count()).select_from(OrganisationSuggestion))
    stored = suggestions_for(me, follows, limit=3)
    assert stored.organisations == live.organisations and stored.projects == live.projects
    assert len(stored.projects) == 3 and followed_project not in stored.projects


def test_the_worker_follows_publishing_editing_and_unpublishing(app, client, db, login_as):
    me = make_member("1506", "editor")
    ours = make_project("1506", title="Vårt overvannsprosjekt", target_ids=["11.5"])
    db.session.add(Follow(user_id=me.id, kind="target", key="11.5"))
    db.session.commit()
    login_as(me)
    run_worker_task(app, "organisation-suggestions")
    assert "Bergens regnbed" not in suggested(client)
    bergen = make_project("4601", title="Bergens regnbed", target_ids=["11.5"])
    drammen = make_project("3301", title="Drammens solceller", target_ids=["7.2"])
    db.session.commit()
    run_worker_task(app, "organisation-suggestions")
    page = suggested(client)
    assert "Bergen" in page and "Bergens regnbed" in page and "Drammen" not in page
    data = project_data_of(ours)
    update_project(ours, replace(data, target_ids=["7.2"], main_target_id=None), me)
    db.session.delete(db.session.scalar(db.select(Follow).where(Follow.user_id == me.id)))
    db.session.commit()
    run_worker_task(app, "organisation-suggestions")
    page = suggested(client)
    assert "Drammens solceller" in page and "Bergens regnbed" not in page
    unpublish(drammen, None, "Feil")
    db.session.commit()
    assert "Drammens solceller" not in suggested(client)  # not shown, even before the worker
    run_worker_task(app, "organisation-suggestions")
    assert suggested(client) == "" or "Drammen" not in suggested(client)
    assert bergen.title not in suggested(client)
