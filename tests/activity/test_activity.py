"""Activity events: recorded from the content signals; "Nytt for deg" shows what reaches you."""

from datetime import date
from decimal import Decimal

from baerekraft_hub.activity.models import ActivityEvent
from baerekraft_hub.content.services import publish, unpublish
from baerekraft_hub.follows.models import Follow
from baerekraft_hub.practices.services import PracticeData, create_practice, mark_reused
from baerekraft_hub.projects import services as projects
from tests.factories import make_member, make_practice, make_project, make_user, organisation


def _events(db) -> list[ActivityEvent]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(ActivityEvent).order_by(ActivityEvent.id)))


def follow(db, user, kind, key):
    db.session.add(Follow(user_id=user.id, kind=kind, key=str(key)))
    db.session.flush()


def test_each_change_people_care_about_is_recorded_with_what_it_is_about(db):
    editor = make_member("1506", "editor")
    project = make_project(
        published=False, target_ids=["13.1", "11.5"], participants=[organisation("1505")]
    )
    publish(project, editor)
    data = projects.project_data_of(project)
    data.status = "completed"
    projects.update_project(project, data, editor)
    projects.post_update(project, "Første regnbed", "Plantet.", editor)
    indicator = projects.add_indicator(
        project,
        name="Areal",
        unit="m²",
        baseline_value=Decimal(0),
        baseline_year=2024,
        target_value=Decimal(100),
        target_year=2026,
    )
    projects.record_indicator_value(indicator, Decimal("100.000"), date(2026, 3, 1), editor)
    practice = create_practice(
        PracticeData(title="Praksis", summary="S", owner=organisation("1506"), goal_numbers=[3]),
        None,
    )
    publish(practice, None)
    bergen = organisation("4601")
    mark_reused(practice, bergen, None)
    db.session.commit()

    events = _events(db)
    assert [e.kind for e in events] == [
        "published",
        "status_changed",
        "update_posted",
        "indicator_value",
        "published",
        "practice_reused",
    ]
    assert events[1].details == {"old": "ongoing", "new": "completed"}
    assert events[2].details == {"title": "Første regnbed"}
    assert events[3].details["value"] == "100" and events[3].details["unit"] == "m²"
    assert events[0].actor_id == editor.id and events[4].actor_id is None
    molde, aukra = organisation("1506").id, organisation("1505").id
    assert {(s.kind, s.key) for s in events[0].subjects} == {
        ("project", str(project.id)),
        ("organisation", str(molde)),
        ("organisation", str(aukra)),
        ("target", "13.1"),
        ("target", "11.5"),
        ("goal", "13"),
        ("goal", "11"),
    }
    assert ("organisation", str(bergen.id)) in {(s.kind, s.key) for s in events[5].subjects}


def test_a_rolled_back_change_records_no_event(db):
    project = make_project(published=False)
    db.session.commit()
    publish(project, None)
    db.session.rollback()
    assert _events(db) == []


def test_the_feed_shows_what_reaches_me_newest_first_with_the_reasons(client, db, login_as):
    me = make_user()
    follow(db, me, "organisation", organisation("1506").id)
    follow(db, me, "goal", 13)
    editor = make_member("1506", "editor")
    first = make_project(title="Regnbed", target_ids=["13.1"])
    second = make_project(owner="4601", title="Bergen-prosjekt", target_ids=["13.2"])
    make_project(owner="4601", title="Ikke fulgt", target_ids=["7.2"])
    projects.post_update(first, "Ny fase", "Tekst", editor)
    login_as(me)
    html = client.get("/nytt-for-deg/").get_data(as_text=True)
    assert "Ikke fulgt" not in html
    entries = html.split('class="feed-entry"')[1:]
    assert len(entries) == 3
    assert "Ny oppdatering: Ny fase" in entries[0] and "Regnbed" in entries[0]
    assert "Bergen-prosjekt" in entries[1] and "Publisert" in entries[1]
    why = entries[2].split("feed-entry__why")[1]
    assert "Molde" in why and "Mål 13: Stoppe klimaendringene" in why
    assert second.id


def test_my_own_actions_do_not_reach_me(client, db, login_as):
    editor = make_member("1506", "editor")
    follow(db, editor, "organisation", organisation("1506").id)
    project = make_project(published=False)
    publish(project, editor)
    login_as(editor)
    html = client.get("/nytt-for-deg/").get_data(as_text=True)
    assert 'class="feed-entry"' not in html


def test_events_about_content_i_may_not_see_never_reach_me(client, db, login_as):
    outsider = make_member("4601")
    member = make_member("1506")
    for user in (outsider, member):
        follow(db, user, "goal", 11)
    draft = make_project(published=False, title="Hemmelig utkast")
    projects.post_update(draft, "Utkastoppdatering", "Tekst", None)
    taken_down = make_project(title="Avpublisert")
    unpublish(taken_down, None)
    login_as(outsider)
    html = client.get("/nytt-for-deg/").get_data(as_text=True)
    assert "Hemmelig utkast" not in html and "Avpublisert" not in html
    client.post("/logg-ut/", data={})
    login_as(member)
    html = client.get("/nytt-for-deg/").get_data(as_text=True)
    assert "Hemmelig utkast" in html  # Molde's members read Molde's drafts


def test_who_sees_events_about_drafts_participants_practices_and_the_coordinator(
    client, db, login_as
):
    """Participants' members and the coordinator read drafts; nobody else reads them, nor a
    practice taken down; the rule is the one of content/visibility.py, asked as hidden items."""
    readers = {
        "outsider": make_member("4601"),
        "participant": make_member("46"),
        "coordinator": make_user(coordinator=True),
    }
    for user in readers.values():
        follow(db, user, "goal", 11)
    draft = make_project(published=False, title="Felles utkast", participants=[organisation("46")])
    projects.post_update(draft, "Utkastoppdatering", "Tekst", None)
    practice = make_practice(title="Tilbaketrukket praksis")
    unpublish(practice, None)
    make_project(title="Offentlig prosjekt")
    seen = {}
    for name, user in readers.items():
        login_as(user)
        seen[name] = client.get("/nytt-for-deg/").get_data(as_text=True)
        client.post("/logg-ut/", data={})
    assert "Offentlig prosjekt" in seen["outsider"]
    assert "Felles utkast" not in seen["outsider"]
    assert "Tilbaketrukket praksis" not in seen["outsider"]
    assert "Felles utkast" in seen["participant"]
    assert "Tilbaketrukket praksis" not in seen["participant"]
    assert "Felles utkast" in seen["coordinator"]
    assert "Tilbaketrukket praksis" in seen["coordinator"]


def test_the_feed_is_paginated_and_runs_the_same_queries_for_10_and_60_events(
    client, db, login_as, count_queries
):
    me = make_user()
    for kind, key in [
        ("organisation", organisation("4601").id),
        ("goal", 13),
        ("target", "11.5"),
    ]:
        follow(db, me, kind, key)
    practice = create_practice(
        PracticeData(title="Praksis", summary="S", owner=organisation("4601"), target_ids=["11.5"]),
        None,
    )
    publish(practice, None)
    follow(db, me, "practice", practice.id)
    mark_reused(practice, organisation("1506"), None)

    def add(n):
        for i in range(n):
            project = make_project(owner="4601", title=f"P{i}", target_ids=["11.5", "13.1"])
            follow(db, me, "project", project.id)
        db.session.commit()

    def measure(path="/nytt-for-deg/"):
        with count_queries() as statements:
            response = client.get(path)
            assert response.status_code == 200
        return len(statements), response.get_data(as_text=True)

    login_as(me)
    add(8)
    measure()  # the first request loads what later ones have cached
    few, _ = measure()
    add(50)
    measure()  # the first request after a change reads the kept goals and targets again
    many, html = measure()
    # A bound that does not grow with the data (fewer when a page has no practice event).
    assert few <= 13 and many <= few
    assert html.count('class="feed-entry"') == 20 and "Neste" in html
    _, last = measure("/nytt-for-deg/?page=3")
    assert last.count('class="feed-entry"') == 60 - 40
    second = measure("/nytt-for-deg/?page=2")[1]
    # P10-P49 (the second batch only): on the page in the order they were made, newest first
    shown = sorted((second.index(f">P{i}<"), i) for i in range(10, 50) if f">P{i}<" in second)
    assert shown and [i for _, i in shown] == sorted((i for _, i in shown), reverse=True)
    _, past_the_end = measure("/nytt-for-deg/?page=9")
    assert past_the_end.count('class="feed-entry"') == 0


def _indicator_news(db):
    """Molde's editor records 480.5 tonnes, then a 168500 kr budget indicator value."""
    editor = make_member("1506", "editor")
    project = make_project(title="Regnbed", target_ids=["13.1"])
    for name, value in (("Avfall", "480.5"), ("Innsparing", "168500")):
        indicator = projects.add_indicator(
            project,
            name=name,
            unit="enheter",
            baseline_value=Decimal(0),
            baseline_year=2024,
            target_value=Decimal(1),
            target_year=2030,
        )
        projects.record_indicator_value(indicator, Decimal(value), date(2026, 3, 1), editor)
    return project


def test_numbers_in_the_feed_are_written_as_the_language_writes_them(client, db, login_as):
    me = make_user()
    follow(db, me, "organisation", organisation("1506").id)
    _indicator_news(db)
    login_as(me)
    html = client.get("/nytt-for-deg/").get_data(as_text=True)
    assert "«Avfall»: 480,5 enheter" in html or "“Avfall”: 480,5 enheter" in html
    assert "168\xa0500 enheter" in html and "168500" not in html
    me.language = "en"
    login_as(me)
    html = client.get("/nytt-for-deg/").get_data(as_text=True)
    assert "480.5 enheter" in html and "168,500 enheter" in html
