"""Following and unfollowing: the button with and without htmx, bad input, counts, the page."""

import pytest

from baerekraft_hub.follows.models import Follow
from tests.conftest import csrf_from
from tests.factories import make_member, make_project, make_user, organisation

HX = {"HX-Request": "true"}


def _follows(db) -> list[tuple[int, str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(db.select(Follow).order_by(Follow.id))
    return [(f.user_id, f.kind, f.key) for f in rows]


def _token(client, path="/") -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def test_follow_without_javascript_redirects_back_and_says_so(client, db, login_as):
    user = login_as(make_user())
    molde = organisation("1506")
    response = client.post(
        f"/folg/organisasjon/{molde.id}/",
        data={"csrf_token": _token(client), "next": "/organisasjoner/molde/"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/organisasjoner/molde/"
    assert _follows(db) == [(user.id, "organisation", str(molde.id))]
    page = client.get("/organisasjoner/molde/").get_data(as_text=True)
    assert "Du følger Molde." in page
    assert "Slutt å følge" in page and "1 følger" in page


def test_follow_with_htmx_returns_the_button_in_its_new_state(client, db, login_as):
    login_as(make_user())
    token = _token(client)
    response = client.post("/folg/mal/13/", data={"csrf_token": token}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="follow-goal-13-button"' in html and "Slutt å følge" in html
    assert 'action="/folg/mal/13/slutt/"' in html and "1 følger" in html
    response = client.post("/folg/mal/13/slutt/", data={"csrf_token": token}, headers=HX)
    html = response.get_data(as_text=True)
    assert 'action="/folg/mal/13/"' in html and "0 følgere" in html
    assert _follows(db) == []
    assert "HX-Request" in response.headers["Vary"]


def test_following_twice_is_one_follow_and_unfollowing_twice_is_fine(client, db, login_as):
    user = login_as(make_user())
    token = _token(client)
    for _ in range(2):
        assert client.post("/folg/delmal/13.1/", data={"csrf_token": token}).status_code == 302
    assert _follows(db) == [(user.id, "target", "13.1")]
    for _ in range(2):
        client.post("/folg/delmal/13.1/slutt/", data={"csrf_token": token})
    assert _follows(db) == []


@pytest.mark.parametrize(
    "path",
    [
        "/folg/organisasjon/999999/",
        "/folg/organisasjon/molde/",
        "/folg/mal/18/",
        "/folg/mal/-1/",
        "/folg/delmal/99.9/",
        "/folg/delmal/13.1x%3Cscript%3E/",
        "/folg/prosjekt/999999/",
        "/folg/praksis/1/",
        "/folg/bruker/1/",
        "/folg/mal/1" + "0" * 30 + "/",
    ],
)
def test_following_what_does_not_exist_is_404(client, db, login_as, path):
    login_as(make_user())
    response = client.post(path, data={"csrf_token": _token(client)})
    assert response.status_code == 404
    assert _follows(db) == []


def test_a_draft_can_be_followed_only_by_those_who_see_it(client, db, login_as):
    draft = make_project(published=False)
    login_as(make_member("4601", "editor"))  # Bergen: may not see Molde's draft
    token = _token(client)
    assert client.post(f"/folg/prosjekt/{draft.id}/", data={"csrf_token": token}).status_code == 404
    assert _follows(db) == []


def test_without_csrf_token_nothing_is_followed(client, db, login_as):
    login_as(make_user())
    assert client.post("/folg/mal/13/").status_code == 400
    assert _follows(db) == []


def test_anonymous_visitors_see_the_count_and_a_sign_in_link(client, db):
    other = make_user()
    db.session.add(Follow(user_id=other.id, kind="goal", key="13"))
    db.session.commit()
    html = client.get("/barekraftsmal/13/").get_data(as_text=True)
    assert "Logg inn for å følge" in html and "1 følger" in html
    assert "/logg-inn/?next=/barekraftsmal/13/" in html


@pytest.mark.parametrize(
    ("path", "dom_id"),
    [
        ("/barekraftsmal/delmal/13.1/", "follow-target-13-1"),
        ("/organisasjoner/bergen/", "follow-organisation-"),
        ("/prosjekter/{project}/", "follow-project-{project}"),
        ("/praksis/{practice}/", "follow-practice-{practice}"),
    ],
)
def test_every_followable_page_has_the_button(client, db, login_as, path, dom_id):
    from baerekraft_hub.content.services import publish
    from baerekraft_hub.practices.services import PracticeData, create_practice

    project = make_project()
    practice = create_practice(
        PracticeData(title="P", summary="S", owner=organisation("1506")), None
    )
    publish(practice, None)
    login_as(make_user())
    ids = {"project": project.id, "practice": practice.id}
    html = client.get(path.format(**ids)).get_data(as_text=True)
    assert f'id="{dom_id.format(**ids)}' in html
    assert 'aria-live="polite"' in html


def test_the_municipality_profile_tells_how_many_people_from_how_many_municipalities(client, db):
    molde = organisation("1506")
    followers = [
        make_member("4601"),
        make_member("4601"),
        make_member("1505"),
        make_user(),  # no organisation
        make_member("15"),  # a county: not a municipality
    ]
    for user in followers:
        db.session.add(Follow(user_id=user.id, kind="organisation", key=str(molde.id)))
    db.session.commit()
    html = client.get("/organisasjoner/molde/").get_data(as_text=True)
    assert "Følges av 5 personer fra 2 kommuner." in html


def test_the_municipality_profile_tells_each_viewer_whether_they_follow_it(client, db, login_as):
    molde = organisation("1506")
    follower, other = make_user(), make_user()
    db.session.add(Follow(user_id=follower.id, kind="organisation", key=str(molde.id)))
    for user, follows in ((follower, True), (other, False), (follower, True)):
        login_as(user)
        html = client.get("/organisasjoner/molde/").get_data(as_text=True)
        assert ("Du følger dette." in html) is follows
        assert "1 følger" in html


def test_mine_folger_groups_by_kind_and_suggests_peers_on_the_same_targets(client, db, login_as):
    me = make_member("1506", "editor")
    make_project(owner="1506", title="Vårt overvannsprosjekt", target_ids=["11.5"])
    make_project(owner="4601", title="Bergens regnbed", target_ids=["11.5"])
    make_project(owner="3301", title="Drammens solceller", target_ids=["7.2"])
    followed = make_project(owner="5001", title="Fulgt prosjekt", target_ids=["13.1"])
    for kind, key in [("goal", "13"), ("target", "13.1"), ("project", str(followed.id))]:
        db.session.add(Follow(user_id=me.id, kind=kind, key=key))
    login_as(me)
    html = client.get("/profil/folger/").get_data(as_text=True)
    for heading in ("Bærekraftsmålene (1)", "Delmål (1)", "Prosjekter (1)"):
        assert heading in html
    suggestions = html.split('id="suggestions-title"')[1]
    assert "Bergen" in suggestions and "Bergens regnbed" in suggestions
    assert "Drammen" not in suggestions and "Vårt overvannsprosjekt" not in suggestions
    assert "Fulgt prosjekt" not in suggestions  # followed already


def test_without_an_organisation_the_followed_targets_alone_lead_to_suggestions(
    client, db, login_as
):
    me = make_user()
    make_project(owner="4601", title="Bergens regnbed", target_ids=["11.5"])
    make_project(owner="3301", title="Drammens solceller", target_ids=["7.2"])
    db.session.add(Follow(user_id=me.id, kind="goal", key="11"))
    login_as(me)
    nothing = client.get("/profil/folger/").get_data(as_text=True)
    assert "Bergens regnbed" not in nothing and "Drammens solceller" not in nothing
    db.session.add(Follow(user_id=me.id, kind="target", key="7.2"))
    db.session.commit()
    suggestions = client.get("/profil/folger/").get_data(as_text=True)
    suggestions = suggestions.split('id="suggestions-title"')[1]
    assert "Drammen" in suggestions and "Drammens solceller" in suggestions
    assert "Bergen" not in suggestions


def test_mine_folger_runs_the_same_queries_with_few_and_many_follows(
    client, db, login_as, count_queries
):
    me = login_as(make_member("1506", "editor"))

    def add(n):
        for i in range(n):
            project = make_project(
                owner=["4601", "3301"][i % 2], title=f"P{i}", target_ids=["11.5"]
            )
            db.session.add(Follow(user_id=me.id, kind="project", key=str(project.id)))
        db.session.commit()

    def measure():
        with count_queries() as statements:
            assert client.get("/profil/folger/").status_code == 200
        return len(statements)

    add(3)
    few = measure()
    add(30)
    assert measure() == few


def test_deleting_a_project_removes_its_follows(client, db):
    from baerekraft_hub.content.services import delete

    user = make_user()
    project = make_project()
    db.session.add(Follow(user_id=user.id, kind="project", key=str(project.id)))
    db.session.flush()
    delete(project, None)
    db.session.commit()
    assert _follows(db) == []


def test_deleting_the_user_removes_their_follows(client, db):
    user = make_user()
    db.session.add(Follow(user_id=user.id, kind="goal", key="13"))
    db.session.commit()
    db.session.delete(user)
    db.session.commit()
    assert _follows(db) == []


def test_my_follows_and_digest_choice_are_in_my_data(client, db, login_as):
    user = make_user()
    user.digest_frequency = "daily"
    db.session.add(Follow(user_id=user.id, kind="goal", key="13"))
    login_as(user)
    data = client.get("/profil/mine-data.json").get_json()
    assert data["account"]["digest_frequency"] == "daily"
    assert [(f["kind"], f["key"]) for f in data["follows"]] == [("goal", "13")]
    # follows hands its section in through a signal; the file keeps its order
    assert list(data) == ["account", "follows", "memberships", "newsletter", "emails"]


def test_followed_goals_and_targets_are_named_from_the_kept_reference_data(
    client, db, login_as, count_queries
):
    from baerekraft_hub.sdg.models import Goal

    me = login_as(make_user())
    for kind, key in [("goal", "13"), ("target", "13.1"), ("target", "7.2")]:
        db.session.add(Follow(user_id=me.id, kind=kind, key=key))
    db.session.commit()
    client.get("/profil/folger/")  # the goals and targets are read once per content change
    with count_queries() as statements:
        html = client.get("/profil/folger/").get_data(as_text=True)
    assert not [s for s in statements if "sdg_goal" in s or "sdg_target" in s]
    goal = db.session.get(Goal, 13)
    assert f"Mål 13: {goal.short_title_nb}" in html
    targets = html.split('id="follows-targets-title"')[1].split("</section>")[0]
    assert targets.index("Delmål 7.2") < targets.index("Delmål 13.1")  # in the goals' order
    assert db.session.get(Goal, 7).short_title_nb in targets  # each beside its goal

    before, goal.short_title_nb = goal.short_title_nb, "Et nytt kortnavn"
    db.session.commit()
    try:  # a change to the reference data shows on the next request
        assert "Mål 13: Et nytt kortnavn" in client.get("/profil/folger/").get_data(as_text=True)
    finally:  # reference data outlives the test
        goal.short_title_nb = before
        db.session.commit()
