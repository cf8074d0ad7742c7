"""`flask search reindex|check|apply`, and commands that save content leave the index true."""

from __future__ import annotations

import json

import sqlalchemy as sa

from baerekraft_hub.organisations.models import Organisation
from baerekraft_hub.search.changes import apply_pending_changes, pending_count, search_engine
from baerekraft_hub.search.models import SearchIndexChange
from tests.factories import make_project
from tests.search.conftest import queued


def test_reindex_then_check_reports_no_drift(runner, db, index):
    make_project()
    db.session.commit()
    organisations = db.session.scalar(sa.select(sa.func.count(Organisation.id)))
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and f"{1 + organisations} documents" in result.output
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "missing 0, stale 0, extra 0" in result.output


def test_check_exits_non_zero_on_drift(runner, db, index):
    project = make_project()
    db.session.commit()
    db.session.query(SearchIndexChange).delete()  # as if the change had been lost
    db.session.commit()
    index.remove("project", project.id)  # (written with the change on PostgreSQL: lost now)
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "missing 1" in result.output
    index.index([])
    search_engine().remove("project", project.id)


def test_apply_command_applies_pending_changes(runner, db, index):
    make_project()
    db.session.commit()
    result = runner.invoke(args=["search", "apply"])
    applied = 1 if queued(index) else 0  # nothing waits on PostgreSQL: written with the change
    assert f"applied {applied} index changes; 0 pending" in result.output
    assert index.search("overvann").total == 1


def test_reindex_if_missing_leaves_a_readable_index_alone(runner, db, index):
    result = runner.invoke(args=["search", "reindex", "--if-missing"])
    assert "left as it is" in result.output


def test_reindex_if_missing_fills_an_empty_backend_when_content_is_published(runner, db, index):
    """As after switching an existing site to SEARCH_BACKEND=postgresql: the table is there,
    empty."""
    project = make_project()
    db.session.commit()
    index.remove("project", project.id)
    for org_id in db.session.scalars(sa.select(Organisation.id)):
        index.remove("organisation", org_id)
    result = runner.invoke(args=["search", "reindex", "--if-missing"])
    assert "rebuilt:" in result.output
    assert index.search("overvann").total == 1


def test_imported_projects_are_searchable_when_the_command_ends(runner, db, index, tmp_path):
    rows = [
        {
            "external_id": "skjult-1",
            "kind": "project",
            "title": "Overvannshåndtering med regnbed",
            "summary": "Regnbed tar unna styrtregn i sentrum.",
            "organisation": "1506",
            "sdg_targets": ["11.5"],
            "published": True,
            "language": "nb",
            "status": "ongoing",
        }
    ]
    path = tmp_path / "import.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    result = runner.invoke(args=["projects", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert pending_count() == 0  # applied by the command itself, after its commit
    assert [h.title for h in index.search("overvatn").hits] == ["Overvannshåndtering med regnbed"]
    assert apply_pending_changes() == 0
