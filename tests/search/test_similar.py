"""Similar projects on a project's page: computed by the worker, read by the page."""

from __future__ import annotations

from baerekraft_hub.content.services import unpublish
from baerekraft_hub.core.worker import registered_tasks, run_task
from baerekraft_hub.projects.services import ProjectData, update_project
from baerekraft_hub.search.changes import apply_pending_changes
from tests.factories import make_project, organisation

SOLAR = dict(
    title="Solceller på skoletak i Bergen",
    summary="Solcellepaneler på taket av skolene gir strøm og undervisning om energi.",
    target_ids=["7.2"],
    tags=["energi"],
)


def run_worker_once(app) -> None:
    """What `flask worker` does on its turn: apply index changes, then compute similar lists."""
    for task in registered_tasks():
        if task.name in ("search-index", "similar-projects"):
            run_task(app, task)


def similar_section(client, project) -> str:
    page = client.get(f"/prosjekter/{project.id}/").get_data(as_text=True)
    if 'id="similar-title"' not in page:
        return ""
    return page.split('id="similar-title"', 1)[1].split("</section>", 1)[0]


def test_the_worker_computes_similar_projects_that_the_page_shows(app, client, db, index):
    first = make_project()
    second = make_project("4601", title="Regnbed og overvann i Bergen")
    db.session.commit()
    apply_pending_changes()
    assert similar_section(client, first) == ""  # not computed yet: no section, no error
    run_worker_once(app)
    section = similar_section(client, first)
    assert "Lignende prosjekter" in section
    assert f"/prosjekter/{second.id}/" in section and "Bergen" in section
    assert f"/prosjekter/{first.id}/" not in section


def test_an_unpublished_project_leaves_the_lists_at_once(app, client, db, index):
    first = make_project()
    second = make_project("4601", title="Regnbed og overvann i Bergen")
    db.session.commit()
    run_worker_once(app)
    assert f"/prosjekter/{second.id}/" in similar_section(client, first)
    unpublish(second, None, "Feil")
    db.session.commit()
    assert f"/prosjekter/{second.id}/" not in similar_section(client, first)


def test_an_edited_project_gets_its_list_computed_again(app, client, db, index):
    first = make_project()
    make_project("4601", title="Regnbed og overvann i Bergen")
    make_project("4601", **SOLAR)
    db.session.commit()
    run_worker_once(app)
    before = similar_section(client, first)
    data = dict(SOLAR, title="Solceller på rådhustaket i Molde", owner=organisation("1506"))
    update_project(first, ProjectData(**data, status="ongoing"), None)
    db.session.commit()
    run_worker_once(app)
    after = similar_section(client, first)
    assert before.index("Regnbed og overvann") < before.find(SOLAR["title"]) or (
        SOLAR["title"] not in before
    )
    assert after.index(SOLAR["title"]) < after.find("Regnbed og overvann") or (
        "Regnbed og overvann" not in after
    )


def test_flask_search_similar_computes_every_list_at_once(app, client, db, index):
    first = make_project()
    second = make_project("4601", title="Regnbed og overvann i Bergen")
    db.session.commit()
    apply_pending_changes()
    result = app.test_cli_runner().invoke(args=["search", "similar"])
    assert result.exit_code == 0 and "2 lists" in result.output
    assert f"/prosjekter/{second.id}/" in similar_section(client, first)
