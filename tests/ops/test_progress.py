"""Progress on long commands: a bar in a terminal, plain periodic lines elsewhere."""

from __future__ import annotations

import io
import json

import pytest

from baerekraft_hub.core import progress as progress_module
from baerekraft_hub.core.progress import Progress
from baerekraft_hub.core.reference import reference_row_count
from baerekraft_hub.organisations.models import Organisation
from tests.core.outbox_helpers import queue_one
from tests.factories import make_project


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture()
def every_step(monkeypatch):
    """A plain line at every step, not every 5 seconds."""
    monkeypatch.setattr(progress_module, "PLAIN_EVERY_SECONDS", 0.0)


def test_without_a_terminal_it_prints_count_rate_and_time_left(every_step):
    out = io.StringIO()
    with Progress("importing", length=4, file=out) as progress:
        for _ in range(3):
            progress.advance()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("importing: 1/4 (25%), ") and "/s, about " in lines[0]
    assert lines[2].startswith("importing: 3/4 (75%)") and lines[2].endswith(" s left")
    assert lines[3].startswith("importing: 3 done in ")


def test_without_a_terminal_lines_come_only_every_few_seconds():
    out = io.StringIO()
    with Progress("indexing", length=1000, file=out) as progress:
        for _ in range(1000):
            progress.advance()
    assert out.getvalue().splitlines() == [out.getvalue().splitlines()[-1]]
    assert out.getvalue().startswith("indexing: 1000 done in ")


def test_in_a_terminal_it_draws_a_bar_with_the_count():
    out = Terminal()
    with Progress("indexing", length=10, file=out) as progress:
        for _ in range(10):
            progress.advance()
    drawn = out.getvalue()
    assert "indexing" in drawn and "10/10" in drawn and "100%" in drawn and "/s" in drawn
    assert "done in" not in drawn


def test_projects_import_shows_progress(runner, tmp_path, every_step):
    rows = [
        {
            "external_id": f"p{n}",
            "kind": "project",
            "title": f"Prosjekt {n}",
            "summary": "Et prosjekt.",
            "organisation": "1506",
            "sdg_targets": ["11.5"],
            "published": True,
            "language": "nb",
            "status": "ongoing",
        }
        for n in range(3)
    ]
    path = tmp_path / "import.json"
    path.write_text(json.dumps(rows), "utf-8")
    result = runner.invoke(args=["projects", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "importing: 1/3 (33%)" in result.output
    assert "importing: 3 done in" in result.output


def test_search_reindex_shows_progress(runner, db):
    make_project(title="Regnbed")
    make_project(title="Solceller")
    db.session.commit()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    # The two projects, and every organisation (organisations are search results of their own).
    organisations = db.session.scalar(db.select(db.func.count()).select_from(Organisation))
    assert f"indexing: {2 + organisations} done in" in result.output


def test_outbox_deliver_shows_progress(runner, db, smtp_server):
    queue_one("a")
    queue_one("b")
    db.session.commit()
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert "delivering: 2 done in" in result.output


def test_seed_demo_shows_progress(runner):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    assert "demo content: 3" in result.output and " done in " in result.output


def test_seed_reference_shows_progress_over_every_shipped_row(runner, every_step):
    result = runner.invoke(args=["seed", "reference"])
    assert result.exit_code == 0, result.output
    rows = reference_row_count()
    assert rows > 900  # goals, targets, indicators, KPIs, municipalities, counties, partners
    assert f"reference data: 1/{rows} (0%)" in result.output
    assert f"reference data: {rows} done in " in result.output
