"""A municipality's profile lists the municipalities on the same targets, as the worker
computed them."""

from __future__ import annotations

from baerekraft_hub.content.services import unpublish
from tests.factories import make_project, run_worker_task


def peers_section(client) -> str:
    page = client.get("/organisasjoner/molde/").get_data(as_text=True)
    if 'id="peers-title"' not in page:
        return ""
    return page.split('id="peers-title"', 1)[1].split("</section>", 1)[0]


def test_peers_are_the_municipalities_sharing_the_most_targets(app, client, db):
    make_project("1506", target_ids=["11.5", "13.1"])
    make_project("4601", target_ids=["11.5", "13.1"])
    make_project("0301", target_ids=["13.1"])
    make_project("1103", target_ids=["7.2"])
    db.session.commit()
    run_worker_task(app, "organisation-peers")
    section = peers_section(client)
    assert section.index("Bergen") < section.index("Oslo") and "Stavanger" not in section
    assert "2 felles delmål" in section and "/barekraftsmal/delmal/11.5/" in section


def test_the_worker_follows_publishing_and_unpublishing(app, client, db):
    make_project("1506", target_ids=["11.5"])
    db.session.commit()
    run_worker_task(app, "organisation-peers")
    assert peers_section(client) == ""
    bergen = make_project("4601", target_ids=["11.5"])
    db.session.commit()
    run_worker_task(app, "organisation-peers")
    assert "Bergen" in peers_section(client)
    unpublish(bergen, None, "Feil")
    db.session.commit()
    run_worker_task(app, "organisation-peers")
    assert peers_section(client) == ""
