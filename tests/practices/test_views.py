from baerekraft_hub.practices.models import Practice, PracticeAdoption
from tests.conftest import csrf_from
from tests.factories import make_member, make_practice, make_project, organisation


def test_editor_writes_up_a_practice_with_its_sections(client, db, login_as):
    login_as(make_member("1506", "editor"))
    page = client.get("/praksis/ny/").get_data(as_text=True)
    response = client.post(
        "/praksis/ny/",
        data={
            "csrf_token": csrf_from(page),
            "title": "Gjenbruk av massar",
            "summary": "Kort.",
            "owner": str(organisation("1506").id),
            "language": "nn",
            "challenge": "Mykje overskotsmasse.",
            "lessons": "Planlegg *tidleg*.",
            "targets": ["12.5"],
            "tags": "sirkulær økonomi",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    practice = db.session.scalars(db.select(Practice)).one()
    html = client.get(f"/praksis/{practice.id}/").get_data(as_text=True)
    assert '<article class="content-page" lang="nn">' in html
    assert "<em>tidleg</em>" in html and "Mykje overskotsmasse." in html


def test_an_editor_who_lost_their_rights_gets_their_text_back(client, db, login_as):
    practice = make_practice()
    editor = login_as(make_member("1506", "editor"))
    url = f"/praksis/{practice.id}/rediger/"
    page = client.get(url).get_data(as_text=True)
    data = {
        "csrf_token": csrf_from(page),
        "version": str(practice.version),
        "title": "Min lange tekst om regnbed",
        "summary": "Kort.",
        "owner": str(organisation("1506").id),
        "language": "nb",
        "lessons": "Alt jeg lærte, skrevet over en time.",
        "targets": ["11.5"],
    }
    for membership in editor.memberships:
        membership.role = "member"  # demoted while typing
    db.session.commit()
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "ikke lenger rett til å lagre denne praksisen" in html
    assert 'value="Min lange tekst om regnbed"' in html
    assert "Alt jeg lærte, skrevet over en time." in html
    db.session.expire_all()
    assert db.session.get(Practice, practice.id).title == "Regnbed som virker"
    assert client.get(url).status_code == 403  # and the form is not offered again


def test_another_municipality_marks_that_it_reuses_a_practice(client, db, login_as):
    practice = make_practice()
    login_as(make_member("4601", "editor"))
    page = client.get(f"/praksis/{practice.id}/").get_data(as_text=True)
    bergen = organisation("4601")
    data = {"csrf_token": csrf_from(page), "organisation": str(bergen.id)}
    assert client.post(f"/praksis/{practice.id}/gjenbruk/", data=data).status_code == 302
    assert client.post(f"/praksis/{practice.id}/gjenbruk/", data=data).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(PracticeAdoption)) == 1
    assert 'href="/organisasjoner/bergen/"' in client.get(f"/praksis/{practice.id}/").get_data(
        as_text=True
    )


def test_reuse_is_only_for_editors_of_the_organisation_named(client, db, login_as):
    practice = make_practice()
    login_as(make_member("4601", "member"))
    page = client.get(f"/praksis/{practice.id}/").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "organisation": str(organisation("4601").id)}
    assert client.post(f"/praksis/{practice.id}/gjenbruk/", data=data).status_code == 403
    data["organisation"] = str(organisation("1506").id)  # the owner itself
    assert client.post(f"/praksis/{practice.id}/gjenbruk/", data=data).status_code == 403


def test_practice_drafts_are_hidden_and_others_cannot_edit(client, db, login_as):
    draft = make_practice(published=False)
    published = make_practice(title="Publisert")
    db.session.commit()
    assert client.get(f"/praksis/{draft.id}/").status_code == 404
    login_as(make_member("4601", "editor"))
    assert client.get(f"/praksis/{published.id}/rediger/").status_code == 403


def test_practices_appear_on_the_target_page_and_the_owner_profile(client, db):
    make_practice()
    db.session.commit()
    assert "Regnbed som virker" in client.get("/barekraftsmal/delmal/11.5/").get_data(as_text=True)
    assert "Regnbed som virker" in client.get("/organisasjoner/molde/").get_data(as_text=True)
    assert "Regnbed som virker" in client.get("/praksis/?county=15").get_data(as_text=True)
    assert "Regnbed som virker" not in client.get("/praksis/?county=46").get_data(as_text=True)


def test_a_refused_save_never_shows_the_owners_draft_projects(client, db, login_as):
    """The "your text is kept" page once offered every project of the owner as a link choice."""
    practice = make_practice()
    make_project(title="Hemmelig utkast om nedleggelse", published=False)
    make_project(title="Publisert overvann")
    login_as(make_member("4601", "editor"))  # Bergen: may see Molde's practice, not its drafts
    url = f"/praksis/{practice.id}/rediger/"
    data = {
        "csrf_token": csrf_from(client.get("/").get_data(as_text=True)),
        "version": str(practice.version),
        "title": "Noe",
        "summary": "Kort.",
        "owner": str(organisation("1506").id),
        "language": "nb",
    }
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Hemmelig utkast" not in html
    assert "Publisert overvann" in html  # the published one may be shown
