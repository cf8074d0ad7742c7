"""`flask seed demo`: about 30 labelled, published demo items, loaded idempotently."""

from __future__ import annotations

from collections import Counter

from baerekraft_hub.content.models import Tag
from baerekraft_hub.extensions import db as _db
from baerekraft_hub.practices.models import Practice, PracticeAdoption
from baerekraft_hub.projects.models import (
    Project,
    ProjectPartner,
    ProjectUpdate,
    ResultIndicator,
    StatusChange,
)
from baerekraft_hub.projects.queries import ProjectFilters
from baerekraft_hub.transfer import demo
from baerekraft_hub.transfer.export import export_csv
from tests.transfer.test_import import recorded_signals


def count(model) -> int:
    return _db.session.scalar(_db.select(_db.func.count()).select_from(model))


def snapshot() -> dict:
    """Everything a reload could touch: versions, and the size of each table around them."""
    versions = {
        model.__name__: dict(
            _db.session.execute(_db.select(model.external_id, model.version)).all()
        )
        for model in (Project, Practice)
    }
    sizes = {
        model.__name__: count(model)
        for model in (
            ProjectUpdate,
            ResultIndicator,
            ProjectPartner,
            StatusChange,
            PracticeAdoption,
            Tag,
        )
    }
    return {"versions": versions, "sizes": sizes}


def test_the_test_database_has_no_demo_content(db):
    assert not demo.demo_loaded()
    assert count(Project) == 0


def test_seed_demo_loads_about_thirty_published_labelled_items(runner, db):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    assert "demo content: 30 items; created 30, updated 0, unchanged 0" in result.output

    items = [*db.session.scalars(db.select(Project)), *db.session.scalars(db.select(Practice))]
    assert 25 <= len(items) <= 35
    assert Counter(type(i).__name__ for i in items)["Practice"] >= 5
    for item in items:
        assert item.is_published, item.title
        assert item.external_id.startswith("demo-")
        assert item.title.endswith("(demo)")
        assert "demo" in {t.name for t in item.tags}
        assert item.contact_name and item.targets

    languages = Counter(i.language for i in items)
    assert languages["nb"] > languages["nn"] + languages["en"]
    assert languages["nn"] >= 3 and languages["en"] >= 2
    goals = {g.number for i in items for g in i.all_goals}
    assert goals == set(range(1, 18))
    owners = {i.owner for i in items}
    assert len({o.county_id or o.id for o in owners if not o.is_partner}) >= 10
    assert any(o.is_county for o in owners)


def test_demo_has_the_stories_the_issue_asks_for(runner, db):
    runner.invoke(args=["seed", "demo"])
    molde = db.session.scalars(
        db.select(Project).where(Project.external_id == "demo-molde-overvann")
    ).one()
    assert molde.owner.name == "Molde" and molde.language == "nb"
    assert {t.id for t in molde.targets} == {"11.5", "13.1"}
    assert "overvann" in molde.title.casefold()
    assert len(molde.updates) == 2 and molde.status_history
    assert all(i.latest_value is not None and i.progress is not None for i in molde.indicators)
    assert molde.partners and molde.participants and molde.budget_nok

    titles = [p.title.casefold() for p in db.session.scalars(db.select(Project))]
    assert any("solcelleanlegg" in t for t in titles)
    assert any("innbyggerinvolvering" in t for t in titles)
    statuses = set(db.session.scalars(db.select(Project.status)))
    assert len(statuses) >= 4

    reused = db.session.scalars(db.select(Practice).where(Practice.adoptions.any())).all()
    assert len(reused) >= 2
    for practice in reused:
        assert all(a.organisation_id != practice.owner_id for a in practice.adoptions)
    practice = db.session.scalars(
        db.select(Practice).where(Practice.external_id == "demo-praksis-molde-regnbed")
    ).one()
    assert practice.activities and practice.challenge and practice.lessons
    assert [p.external_id for p in practice.projects] == ["demo-molde-overvann"]


def test_demo_items_keep_their_own_dates(runner, db):
    runner.invoke(args=["seed", "demo"])
    dates = set(db.session.scalars(db.select(Project.published_at)))
    assert len(dates) > 15  # not thirty items published the same second
    molde = db.session.scalars(
        db.select(Project).where(Project.external_id == "demo-molde-overvann")
    ).one()
    assert molde.published_at.year == 2023
    assert sorted(u.posted_at.year for u in molde.updates) == [2024, 2025]


def test_seeding_twice_changes_nothing(runner, db):
    runner.invoke(args=["seed", "demo"])
    db.session.expire_all()
    before = snapshot()
    with recorded_signals() as sent:
        result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    assert "created 0, updated 0, unchanged 30" in result.output
    assert sent == []
    db.session.expire_all()
    assert snapshot() == before


def test_a_reload_restores_an_edited_demo_item_but_once_leaves_it(runner, db):
    runner.invoke(args=["seed", "demo"])
    project = db.session.scalars(
        db.select(Project).where(Project.external_id == "demo-bergen-solceller")
    ).one()
    project.title = "Endret av en bruker"
    project.indicators[0].latest_value = 0
    db.session.commit()

    result = runner.invoke(args=["seed", "demo", "--once"])
    assert "loaded before, left as it is" in result.output
    db.session.refresh(project)
    assert project.title == "Endret av en bruker"

    result = runner.invoke(args=["seed", "demo"])
    assert "created 0, updated 1, unchanged 29" in result.output
    db.session.expire_all()
    assert project.title == "Solcelleanlegg på kommunale bygg i Bergen (demo)"
    assert project.indicators[0].latest_value == 1850


def test_seed_demo_once_loads_into_an_empty_database(runner, db):
    result = runner.invoke(args=["seed", "demo", "--once"])
    assert "created 30" in result.output


def test_remove_deletes_all_demo_content_and_nothing_else(runner, db, tmp_path):
    import json

    from tests.transfer.test_import import make_rows

    path = tmp_path / "real.json"
    path.write_text(json.dumps(make_rows(3)), encoding="utf-8")
    runner.invoke(args=["projects", "import", str(path)])
    runner.invoke(args=["seed", "demo"])
    result = runner.invoke(args=["seed", "demo", "--remove"])
    assert result.exit_code == 0, result.output
    assert "removed 30 demo projects and practices" in result.output
    assert not demo.demo_loaded()
    assert count(Project) + count(Practice) == 3
    assert count(PracticeAdoption) == 0 and count(ResultIndicator) == 0


def test_demo_projects_appear_in_the_export(runner, db):
    runner.invoke(args=["seed", "demo"])
    text = export_csv(ProjectFilters(county="15"), None)
    # published at 09:00 Oslo time on the date in the file, whatever the database keeps
    assert ";Overvannshåndtering i Molde sentrum (demo);" in text
    assert ";2023-05-10 09:00\r\n" in text


def test_every_demo_item_page_renders_for_a_visitor(runner, db, client):
    """21 of the 22 demo projects say who was involved; that line once made their page 500."""
    runner.invoke(args=["seed", "demo"])
    projects = db.session.scalars(db.select(Project)).all()
    assert sum(1 for p in projects if p.involved) > 10
    for project in projects:
        response = client.get(f"/prosjekter/{project.id}/")
        assert response.status_code == 200, project.title
    citizens = next(p for p in projects if "citizens" in p.involved)
    page = client.get(f"/prosjekter/{citizens.id}/").get_data(as_text=True)
    assert "Innbyggere" in page
    for practice in db.session.scalars(db.select(Practice)):
        assert client.get(f"/praksis/{practice.id}/").status_code == 200, practice.title
