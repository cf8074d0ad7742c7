"""Index changes are rows in the content's transaction; one applier carries them out."""

from __future__ import annotations

import contextlib

import pytest
import sqlalchemy as sa
from whoosh import index as whoosh_index

from baerekraft_hub.content.services import delete, unpublish
from baerekraft_hub.extensions import db as db_
from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.projects import services as project_services
from baerekraft_hub.search import changes
from baerekraft_hub.search.builder import document_for, expected_versions
from baerekraft_hub.search.changes import apply_pending_changes, pending_count
from baerekraft_hub.search.engine.whoosh import WhooshEngine
from baerekraft_hub.search.models import SearchIndexChange
from baerekraft_hub.search.params import SearchParams
from baerekraft_hub.search.services import run_search
from tests.factories import make_practice, make_project
from tests.search.conftest import queued, whoosh_only


def ids(engine, query):
    """The content (not the organisations, documents too) that a query finds."""
    return {(hit.kind, hit.id) for hit in engine.search(query).hits if hit.kind != "organisation"}


def content_count(engine) -> int:
    """Documents besides the organisations' (every organisation has one)."""
    return engine.doc_count() - db_.session.scalar(sa.select(sa.func.count(Organisation.id)))


def test_publish_is_indexed_after_commit_not_on_flush(db, index):
    project = make_project()
    # Recorded in the transaction, once for create + publish (written with it on PostgreSQL).
    assert pending_count() == (1 if queued(index) else 0)
    assert ids(index, "overvann") == set()  # nothing is indexed before the commit
    db.session.commit()
    assert apply_pending_changes() == (1 if queued(index) else 0)
    assert ids(index, "overvatn") == {("project", project.id)}
    assert pending_count() == 0


def test_a_rolled_back_change_is_never_indexed(db, index):
    make_project()
    db.session.rollback()
    assert apply_pending_changes() == 0
    assert content_count(index) == 0 and pending_count() == 0


def test_drafts_are_not_indexed(db, index):
    make_project(published=False)
    db.session.commit()
    apply_pending_changes()
    assert content_count(index) == 0


def test_unpublish_and_delete_remove_the_document(db, index):
    project, practice = make_project(), make_practice()
    db.session.commit()
    apply_pending_changes()
    assert content_count(index) == 2
    unpublish(project, None, "feil")
    db.session.commit()
    apply_pending_changes()
    assert ids(index, "overvann") == set()
    delete(practice, None)
    db.session.commit()
    apply_pending_changes()
    assert content_count(index) == 0


def test_an_edit_refreshes_the_document(db, index):
    project = make_project()
    db.session.commit()
    apply_pending_changes()
    data = project_services.project_data_of(project)
    data.title = "Solcelleanlegg på rådhuset"
    project_services.update_project(project, data, None)
    db.session.commit()
    apply_pending_changes()
    assert ids(index, "solceller") == {("project", project.id)}
    assert index.check(expected_versions(db.session)) == ([], [], [])


def test_a_busy_index_keeps_the_change_pending_and_a_later_pass_applies_it(db, index):
    whoosh_only(index)
    project = make_project()
    db.session.commit()
    holder = whoosh_index.open_dir(str(index._current_path())).writer()
    try:
        assert apply_pending_changes(timeout=0.2) == 0  # no LockError, no exception
        assert pending_count() == 1
    finally:
        holder.cancel()
    assert apply_pending_changes() == 1
    assert ids(index, "overvann") == {("project", project.id)}


def test_the_worker_applies_what_a_busy_index_left_within_a_second_and_is_quiet_otherwise(
    app, db, index
):
    from baerekraft_hub.core.worker import registered_tasks

    whoosh_only(index)
    task = {t.name: t for t in registered_tasks()}["search-index"]
    assert task.every_seconds <= 0.5  # a request's change waits at most this long for it
    project = make_project()
    db.session.commit()
    holder = whoosh_index.open_dir(str(index._current_path())).writer()
    try:
        assert apply_pending_changes(timeout=0.2) == 0  # the saving request had to leave it
    finally:
        holder.cancel()
    assert task.func() == "applied 1 index changes"
    assert ids(index, "overvann") == {("project", project.id)}
    assert task.func() == ""  # nothing to log when there was nothing to apply


@pytest.fixture()
def lock_attempts(monkeypatch):
    """For each attempt to take the index's write lock: how many this process held then."""
    writing, attempts, held = WhooshEngine.writing, [], []

    @contextlib.contextmanager
    def spy(self, timeout=None):
        attempts.append(len(held))
        with writing(self, timeout) as batch:
            held.append(batch)
            try:
                yield batch
            finally:
                held.pop()

    monkeypatch.setattr(WhooshEngine, "writing", spy)
    return attempts


def test_applying_after_a_command_commits_never_waits_on_its_own_lock(db, index, lock_attempts):
    whoosh_only(index)
    project = make_project()
    db.session.commit()  # as a command or the worker does: no request around it
    assert apply_pending_changes() == 1
    assert lock_attempts == [0]  # one pass, no nested wait on the lock it holds
    assert ids(index, "overvann") == {("project", project.id)} and pending_count() == 0


def test_applying_never_runs_inside_itself(db, index, lock_attempts, monkeypatch):
    """Whatever runs while the lock is held (a teardown, a signal) cannot start a second pass."""
    whoosh_only(index)
    project = make_project()
    db.session.commit()
    nested = []

    def document_applying_again(item):
        nested.append(apply_pending_changes(timeout=0))
        return document_for(item)

    monkeypatch.setattr(changes, "build_document", document_applying_again)
    assert apply_pending_changes() == 1
    assert nested == [0] and lock_attempts == [0]
    assert ids(index, "overvann") == {("project", project.id)}


def test_applying_twice_is_harmless(db, index):
    project = make_project()
    db.session.commit()
    apply_pending_changes()
    db.session.add(SearchIndexChange(kind="project", item_id=project.id))
    db.session.add(SearchIndexChange(kind="project", item_id=project.id))
    db.session.commit()
    assert apply_pending_changes() == 2
    assert content_count(index) == 1


def test_a_missing_index_is_rebuilt_by_the_applier_but_never_blocks_saving(db, index, app):
    import shutil

    shutil.rmtree(whoosh_only(index).root)
    project = make_project()
    db.session.commit()  # saving works without an index
    assert apply_pending_changes(repair=False) == 0 and pending_count() == 1
    with app.test_request_context("/sok"):
        outcome = run_search(SearchParams(q="Overvannshåndtering"))
    assert outcome.fallback and [h.id for h in outcome.results.hits] == [project.id]
    apply_pending_changes()  # the worker / a command repairs it
    assert index.exists() and ids(index, "overvann") == {("project", project.id)}
    assert pending_count() == 0


def test_documents_carry_places_counties_goals_and_paths(db, app):
    project = make_project(participants=[])
    db.session.commit()
    doc = document_for(project)  # outside any request, as the worker builds it
    assert doc.places == ["Molde", "Møre og Romsdal"] and doc.counties == ["Møre og Romsdal"]
    assert list(doc.sdg_goals) == [11, 13] and list(doc.sdg_targets) == ["11.5", "13.1"]
    assert doc.url == f"/prosjekter/{project.id}/" and doc.start_year == 2024
    assert doc.updated_at == project.updated_at


def test_renaming_an_organisation_refreshes_its_documents(db, index):
    project = make_project()
    db.session.commit()
    apply_pending_changes()
    project.owner.name = "Moldeby"
    db.session.commit()
    apply_pending_changes()
    assert ids(index, "Moldeby") == {("project", project.id)}
    assert index.search("Moldeby").hits[0].kind == "organisation"  # its own document too
    project.owner.name = "Molde"
    db.session.commit()
    apply_pending_changes()


@pytest.mark.parametrize("kind", ["project", "practice"])
def test_an_unknown_item_is_removed_not_an_error(db, index, kind):
    db.session.add(SearchIndexChange(kind=kind, item_id=999_999))
    db.session.commit()
    assert apply_pending_changes() == 1


def test_a_posted_update_and_an_indicator_make_their_words_findable(db, index):
    project = make_project()
    db.session.commit()
    apply_pending_changes()
    assert ids(index, "nabolagsbudsjett") == set()
    project_services.post_update(project, "Nabolagsbudsjettet er vedtatt", "1 400 stemte.", None)
    db.session.commit()
    assert apply_pending_changes() == (1 if queued(index) else 0)
    assert ids(index, "nabolagsbudsjettet") == {("project", project.id)}
    project_services.add_indicator(
        project,
        name="Skademeldinger om vann i kjeller",
        unit="antall",
        baseline_value=46,
        baseline_year=2022,
        target_value=10,
        target_year=2026,
    )
    db.session.commit()
    assert apply_pending_changes() == (1 if queued(index) else 0)
    assert ids(index, "skademeldinger") == {("project", project.id)}


def test_a_new_organisation_is_found_by_its_name(db, index):
    org = Organisation(kind="partner", slug="nn-org", name="Naturvernforbundet", official_name="X")
    db.session.add(org)
    db.session.commit()
    assert apply_pending_changes() == (1 if queued(index) else 0)
    hit = index.search("naturvernforbundet").hits[0]
    assert (hit.kind, hit.id, hit.url) == ("organisation", org.id, "/organisasjoner/nn-org/")
    org.official_name = "Norges Naturvernforbund"
    db.session.commit()
    apply_pending_changes()
    assert index.search("naturvernforbund").hits[0].id == org.id
    db.session.delete(org)
    db.session.commit()
    apply_pending_changes()
    assert index.search("naturvernforbund").total == 0
