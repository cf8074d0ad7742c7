"""Every kind of change is on the next page, on every worker: one worker (or a command on the
same machine) commits, the other, whose cache holds the old page, shows the new one once the
bound has passed (PAGE_CACHE_GENERATION_SECONDS: how long a worker trusts the generation it
read); the worker that committed shows it at once."""

from __future__ import annotations

import time

from baerekraft_hub.content import services as content
from baerekraft_hub.core.outbox import deliver_pending
from baerekraft_hub.projects.models import Project
from baerekraft_hub.sdg.models import Target
from tests.conftest import counting_queries, free_port, session_csrf
from tests.core.outbox_helpers import queue_one
from tests.factories import make_member, make_project, make_user
from tests.pages.conftest import changing, sign_in

TITLE = "Overvannshåndtering i Molde sentrum"


def _published_project(db) -> int:
    project = make_project()
    db.session.commit()
    return project.id


def _command(worker, *args: str):
    """A `flask` command run on the worker's machine (in its app context: the test's own
    context would otherwise lend the command the suite's app)."""
    with worker.app_context():
        return worker.test_cli_runner().invoke(args=list(args))


def later(worker):
    """A client of the worker, once the bound on seeing another worker's commit has passed."""
    time.sleep(worker.config["PAGE_CACHE_GENERATION_SECONDS"])
    return worker.test_client()


def _cached(worker, path: str) -> str:
    """The page as the worker shows it, after making sure it is in its cache."""
    client = worker.test_client()
    first = client.get(path).get_data(as_text=True)
    assert client.get(path).get_data(as_text=True) == first
    return first


def test_a_publish_through_one_worker_is_on_the_others_lists_and_search(workers, db):
    one, other = workers
    project_id = make_project(published=False).id
    editor = make_member("1506", "editor")
    db.session.commit()
    assert TITLE not in _cached(other, "/prosjekter/")
    assert TITLE not in _cached(other, "/sok?q=overvann")
    assert TITLE not in _cached(other, "/organisasjoner/molde/")

    client = one.test_client()
    sign_in(client, editor)
    response = client.post(
        f"/prosjekter/{project_id}/publiser/", data={"csrf_token": session_csrf(client)}
    )
    assert response.status_code == 302

    reader = later(other)
    assert TITLE in reader.get("/prosjekter/").get_data(as_text=True)
    assert TITLE in reader.get("/sok?q=overvann").get_data(as_text=True)
    assert TITLE in reader.get("/organisasjoner/molde/").get_data(as_text=True)


def test_an_edit_is_on_the_next_page(workers, db):
    one, other = workers
    project_id = _published_project(db)
    assert TITLE in _cached(other, f"/prosjekter/{project_id}/")
    with changing(one) as session:
        session.get(Project, project_id).title = "Regnbed i Storgata"
    page = later(other).get(f"/prosjekter/{project_id}/").get_data(as_text=True)
    assert "Regnbed i Storgata" in page and TITLE not in page


def test_an_unpublish_and_a_delete_take_the_page_away(workers, db):
    one, other = workers
    first, second = _published_project(db), _published_project(db)
    for project_id in (first, second):
        assert TITLE in _cached(other, f"/prosjekter/{project_id}/")
    assert _cached(other, "/prosjekter/").count(TITLE) == 2
    with changing(one) as session:
        content.unpublish(session.get(Project, first), None, "Feil")
    reader = later(other)
    assert reader.get(f"/prosjekter/{first}/").status_code == 404
    assert reader.get("/prosjekter/").get_data(as_text=True).count(TITLE) == 1
    with changing(one) as session:
        content.delete(session.get(Project, second), None)
    reader = later(other)
    assert reader.get(f"/prosjekter/{second}/").status_code == 404
    assert TITLE not in reader.get("/prosjekter/").get_data(as_text=True)


def test_a_follow_changes_the_count_anonymous_visitors_see(workers, db):
    one, other = workers
    user = make_user()
    db.session.commit()
    assert "0 følgere" in _cached(other, "/barekraftsmal/13/")
    client = one.test_client()
    sign_in(client, user)
    response = client.post("/folg/mal/13/", data={"csrf_token": session_csrf(client)})
    assert response.status_code == 302
    assert "1 følger" in later(other).get("/barekraftsmal/13/").get_data(as_text=True)


def test_reference_data_commands_are_on_the_next_page(workers, db):
    one, other = workers
    assert "Molde" not in _cached(other, "/kommuner/?network=1")
    result = _command(one, "organisations", "network-member", "1506")
    assert result.exit_code == 0, result.output
    assert "Molde" in later(other).get("/kommuner/?network=1").get_data(as_text=True)

    # A target text changed behind the app's back (no worker wrote it) ...
    target = db.session.get(Target, "11.6")
    official = target.text_nb
    target.text_nb = "Utdatert tekst"
    db.session.commit()
    assert "Utdatert tekst" in _cached(other, "/barekraftsmal/delmal/11.6/")
    # ... is put right by `flask seed reference`, and the page follows.
    result = _command(one, "seed", "reference")
    assert result.exit_code == 0, result.output
    page = later(other).get("/barekraftsmal/delmal/11.6/").get_data(as_text=True)
    assert "Utdatert tekst" not in page and official[:40] in page


def test_a_change_that_rolls_back_keeps_the_cache(workers, db):
    one, other = workers
    project_id = _published_project(db)
    page = _cached(other, f"/prosjekter/{project_id}/")
    generation = other.extensions["page_generation"].current()
    with one.app_context():
        from baerekraft_hub.extensions import db as app_db

        app_db.session.get(Project, project_id).title = "Aldri lagret"
        app_db.session.flush()
        app_db.session.rollback()
    assert other.extensions["page_generation"].current() == generation
    assert later(other).get(f"/prosjekter/{project_id}/").get_data(as_text=True) == page


def test_the_workers_email_bookkeeping_keeps_the_cache(workers, db):
    """The outbox is written all day by `flask worker`; no page shows it."""
    one, other = workers
    page = _cached(other, "/")
    generation = other.extensions["page_generation"].current()
    one.config["MAIL_PORT"] = free_port()  # nobody listens: the delivery fails and is retried
    with changing(one):
        queue_one()
    with one.app_context():
        assert deliver_pending(due_only=False).retrying == 1
    assert other.extensions["page_generation"].current() == generation
    with counting_queries(other) as queries:
        assert later(other).get("/").get_data(as_text=True) == page
    assert queries == []


def test_a_worker_sees_its_own_commit_at_once_and_another_workers_within_the_bound(workers, db):
    one, other = workers
    assert other.config["PAGE_CACHE_GENERATION_SECONDS"] <= 0.1
    project_id = _published_project(db)
    for worker in workers:
        assert TITLE in _cached(worker, f"/prosjekter/{project_id}/")
    with changing(one) as session:
        session.get(Project, project_id).title = "Regnbed i Storgata"
    assert "Regnbed i Storgata" in one.test_client().get(f"/prosjekter/{project_id}/").text
    assert "Regnbed i Storgata" in later(other).get(f"/prosjekter/{project_id}/").text
