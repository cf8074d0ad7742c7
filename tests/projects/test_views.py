import re

import pytest

from baerekraft_hub.projects import services
from baerekraft_hub.projects.models import Project
from tests.conftest import csrf_from
from tests.factories import make_member, make_project, make_user, organisation
from tests.hostile import PAYLOADS, dangerous_markup


def form_data(client, url, **values):
    html = client.get(url).get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(html),
        "title": "Regnbed i Molde sentrum",
        "summary": "Vi lager regnbed som tar unna overvann.",
        "description": "Første **fase** er ferdig.",
        "owner": str(organisation("1506").id),
        "status": "ongoing",
        "language": "nb",
        "targets": ["11.5", "13.1"],
        "main_target": "11.5",
        "tags": "overvann, Klimatilpasning",
        "start_date": "2024-04-01",
        "partners-0-name": "NTNU",
        "partners-0-type": "academia",
    }
    data.update(values)
    return data


def test_editor_creates_a_draft_and_publishes_it(client, db, login_as):
    editor = login_as(make_member("1506", "editor"))
    response = client.post("/prosjekter/ny/", data=form_data(client, "/prosjekter/ny/"))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    project = db.session.scalars(db.select(Project)).one()
    assert project.is_draft and project.created_by_id == editor.id
    assert [t.id for t in project.targets] == ["11.5", "13.1"]
    assert [(p.name, p.type) for p in project.partners] == [("NTNU", "academia")]

    page = client.get(f"/prosjekter/{project.id}/").get_data(as_text=True)
    client.post(f"/prosjekter/{project.id}/publiser/", data={"csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert db.session.get(Project, project.id).is_published


def test_form_errors_keep_what_was_typed(client, db, login_as):
    login_as(make_member("1506", "editor"))
    data = form_data(
        client,
        "/prosjekter/ny/",
        end_date="2020-01-01",
        budget_nok="-3",
        title="Mitt prosjekt",
        targets=["11.5"],
        main_target="7.2",
    )
    response = client.post("/prosjekter/ny/", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Mitt prosjekt"' in html
    assert html.count('class="ds-validation-message"') == 3  # end date, budget, main target
    assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == 0


def test_a_draft_is_hidden_from_others(client, db, login_as):
    project = make_project(published=False)
    db.session.commit()
    assert client.get(f"/prosjekter/{project.id}/").status_code == 404
    login_as(make_member("4601", "admin"))
    assert client.get(f"/prosjekter/{project.id}/").status_code == 404
    assert project.title not in client.get("/prosjekter/").get_data(as_text=True)


def test_member_of_the_owner_reads_the_draft(client, db, login_as):
    project = make_project(published=False)
    login_as(make_member("1506", "member"))
    assert client.get(f"/prosjekter/{project.id}/").status_code == 200


def test_editor_of_another_municipality_cannot_edit(client, db, login_as):
    project = make_project()
    login_as(make_member("4601", "editor"))
    assert client.get(f"/prosjekter/{project.id}/rediger/").status_code == 403
    page = client.get(f"/prosjekter/{project.id}/").get_data(as_text=True)
    response = client.post(
        f"/prosjekter/{project.id}/avpubliser/",
        data={"csrf_token": csrf_from(page), "reason": "nei"},
    )
    assert response.status_code == 403


def test_second_save_from_an_old_version_is_refused_and_keeps_the_text(client, db, login_as):
    project = make_project()
    login_as(make_member("1506", "editor"))
    url = f"/prosjekter/{project.id}/rediger/"
    first = form_data(client, url, version=str(project.version), title="Første lagring")
    second = form_data(client, url, version=str(project.version), title="Andre lagring")
    assert client.post(url, data=first).status_code == 302
    response = client.post(url, data=second)
    assert response.status_code == 409
    assert 'value="Andre lagring"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Project, project.id).title == "Første lagring"


def test_participant_editor_may_post_updates_but_not_edit(client, db, login_as):
    project = make_project(participants=[organisation("1505")])
    login_as(make_member("1505", "editor"))
    page = client.get(f"/prosjekter/{project.id}/").get_data(as_text=True)
    assert f"/prosjekter/{project.id}/rediger/" not in page
    response = client.post(
        f"/prosjekter/{project.id}/oppdateringer/",
        data={
            "csrf_token": csrf_from(page),
            "title": "Ferdig med fase 1",
            "body": "Det gikk *fint*.",
        },
    )
    assert response.status_code == 302
    assert "<em>fint</em>" in client.get(f"/prosjekter/{project.id}/").get_data(as_text=True)


def test_list_filters_by_county_goal_and_status(client, db):
    make_project(title="Molde-prosjektet")
    make_project(owner="4601", title="Bergen-prosjektet", target_ids=["7.2"])
    db.session.commit()
    html = client.get("/prosjekter/?county=15").get_data(as_text=True)
    assert "Molde-prosjektet" in html and "Bergen-prosjektet" not in html
    html = client.get("/prosjekter/?goal=7").get_data(as_text=True)
    assert "Bergen-prosjektet" in html and "Molde-prosjektet" not in html
    html = client.get("/prosjekter/?goal=11&status=ongoing").get_data(as_text=True)
    assert html.count('class="content-card"') == 1


@pytest.mark.parametrize(
    "query",
    ["goal=abc", "page=-1", "start_year=99999", "status=<b>", "target=" + "9" * 500, "page=999999"],
)
def test_malformed_filters_are_ignored_not_failed(client, query):
    assert client.get(f"/prosjekter/?{query}").status_code == 200


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_markdown_is_made_harmless(client, db, payload):
    project = make_project(description=f"Tekst før. {payload} Tekst etter.")
    db.session.commit()
    html = client.get(f"/prosjekter/{project.id}/").get_data(as_text=True)
    body = html.split('<div class="markdown" hx-ignore>', 1)[1].split("</div>", 1)[0]
    assert dangerous_markup(body) == []
    assert "Tekst etter." in body  # the rest of what the user wrote is kept


def test_target_picker_finds_targets_by_word_and_number(client):
    html = client.get("/barekraftsmal/delmal/?q=avfall").get_data(as_text=True)
    assert 'data-pick-target="11.6"' in html and 'data-pick-target="12.5"' in html
    html = client.get("/barekraftsmal/delmal/?q=11.6").get_data(as_text=True)
    assert re.findall(r'data-pick-target="([^"]+)"', html) == ["11.6"]


def test_coordinator_may_unpublish_anything_with_a_reason(client, db, login_as):
    project = make_project()
    login_as(make_user(coordinator=True))
    page = client.get(f"/prosjekter/{project.id}/avpubliser/").get_data(as_text=True)
    client.post(
        f"/prosjekter/{project.id}/avpubliser/",
        data={"csrf_token": csrf_from(page), "reason": "Mangler kontaktperson"},
    )
    db.session.expire_all()
    stored = db.session.get(Project, project.id)
    assert stored.state == "unpublished" and stored.unpublished_reason == "Mangler kontaktperson"


def test_an_editor_who_lost_their_rights_gets_their_text_back(client, db, login_as):
    project = make_project(title="Overvann")
    editor = login_as(make_member("1506", "editor"))
    url = f"/prosjekter/{project.id}/rediger/"
    data = form_data(client, url, version=str(project.version), title="Min lange tekst")
    for membership in editor.memberships:
        membership.role = "member"  # demoted while typing
    db.session.commit()
    response = client.post(url, data=data)
    assert response.status_code == 403
    assert 'value="Min lange tekst"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Project, project.id).title == "Overvann"


def test_deleting_a_project_leaves_nothing_dangling(client, db, login_as):
    from baerekraft_hub.practices.models import Practice, practice_project
    from baerekraft_hub.practices.services import PracticeData, create_practice
    from baerekraft_hub.projects.models import ProjectUpdate, project_target

    project = make_project(participants=[organisation("1505")], tags=["x"])
    services.post_update(project, "Hei", "Tekst", None)
    create_practice(
        PracticeData(title="P", summary="S", owner=organisation("1506"), project_ids=[project.id]),
        None,
    )
    project_id = project.id
    login_as(make_member("1506", "editor"))
    page = client.get(f"/prosjekter/{project_id}/slett/").get_data(as_text=True)
    response = client.post(f"/prosjekter/{project_id}/slett/", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    db.session.expunge_all()
    assert db.session.get(Project, project_id) is None
    for table in (project_target, practice_project):
        assert db.session.execute(db.select(db.func.count()).select_from(table)).scalar() == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(ProjectUpdate)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Practice)) == 1


def test_the_filtered_list_downloads_as_csv(client, db):
    make_project(title="Blågrønne tak")
    make_project(owner="4601", title="Bybane", target_ids=["9.1"])
    db.session.commit()
    response = client.get("/prosjekter/eksport.csv?county=15")
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    assert "Blågrønne tak" in text and "Bybane" not in text
    assert "/prosjekter/" in text  # the project's address
    html = client.get("/prosjekter/?county=15").get_data(as_text=True)
    assert 'href="/prosjekter/eksport.csv?county=15"' in html


def test_the_owner_is_emailed_the_reason_when_the_coordinator_unpublishes(
    client, db, login_as, smtp_server
):
    project = make_project()
    owner_editor = make_member("1506", "editor")
    owner_editor.language = "nn"
    make_member("1506", "member")  # members are not responsible for the content: no email
    login_as(make_user(coordinator=True))
    page = client.get(f"/prosjekter/{project.id}/avpubliser/").get_data(as_text=True)
    client.post(
        f"/prosjekter/{project.id}/avpubliser/",
        data={"csrf_token": csrf_from(page), "reason": "Manglar kontaktperson"},
    )
    [message] = smtp_server.wait_for(1)
    assert message["To"] == owner_editor.email
    body = message.get_body(("plain",)).get_content()
    assert "Manglar kontaktperson" in body and "Overvann" in body
    assert f"/prosjekter/{project.id}/" in body


def test_tag_suggestions_never_reveal_tags_used_only_on_drafts(client, db, login_as):
    make_project(published=False, tags=["nedleggelse-av-skolen"])
    make_project(tags=["nedbør"])
    db.session.commit()

    def suggested(typed):
        return client.get("/prosjekter/stikkord/", query_string={"tags": typed}).get_data(
            as_text=True
        )

    assert "nedbør" in suggested("ned")
    assert "nedleggelse-av-skolen" not in suggested("ned")
    assert "nedleggelse-av-skolen" not in suggested("")  # the popular ones, before typing
    login_as(make_member("4601", "editor"))
    assert "nedleggelse-av-skolen" not in suggested("ned")
    login_as(make_member("1506", "member"))
    assert "nedleggelse-av-skolen" in suggested("ned")  # Molde's members read its drafts
