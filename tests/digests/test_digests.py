"""Digest emails: what is in them, never empty, never twice, unsubscribe, the worker."""

from datetime import UTC, datetime
from unittest import mock

import pytest

from baerekraft_hub.accounts.services import delete_user
from baerekraft_hub.accounts.tokens import Purpose, make_token
from baerekraft_hub.content.services import publish
from baerekraft_hub.core.outbox import OutboxMessage, OutboxStatus, deliver_all
from baerekraft_hub.digests import runner, services
from baerekraft_hub.digests.models import DigestRun, Frequency
from baerekraft_hub.digests.periods import OSLO
from baerekraft_hub.digests.runner import send_digests, send_due_digests
from baerekraft_hub.projects import services as projects
from tests.conftest import links_in, text_of
from tests.digests.conftest import follower
from tests.factories import PASSWORD, make_member, make_project, make_user, organisation


def _digests(db) -> list[OutboxMessage]:
    db.session.expire_all()
    query = db.select(OutboxMessage).where(OutboxMessage.template == "digest")
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def _molde_news(db, editor=None):
    """Molde publishes a project on target 13.1 and posts an update to it."""
    editor = editor or make_member("1506", "editor")
    project = make_project(published=False, title="Regnbed i Molde", target_ids=["13.1"])
    publish(project, editor)
    projects.post_update(project, "Første regnbed er plantet", "Tekst", editor)
    db.session.commit()
    return project


def test_a_digest_lists_an_item_once_under_its_most_specific_reason_naming_the_others(
    db, smtp_server, today
):
    molde = organisation("1506")
    kari = follower(db, ("organisation", molde.id), ("goal", 13), name="Kari")
    project = _molde_news(db)
    report = send_digests(Frequency.DAILY, today)
    assert (report.queued, report.delivery.sent) == (1, 1)
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == kari.email
    assert message["Subject"] == "Din daglige oppsummering: 1 ny sak"
    text = text_of(message)
    assert text.count("Regnbed i Molde") == 1
    assert "== Fordi du følger Molde ==" in text
    assert "Også fordi du følger Mål 13: Stoppe klimaendringene" in text
    assert "- Publisert" in text and "- Ny oppdatering: Første regnbed er plantet" in text
    assert f"http://localhost/prosjekter/{project.id}/" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert html.count("Regnbed i Molde") == 1
    unsubscribe = links_in(message)[-1]
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_digest_is_in_the_recipients_language(db, smtp_server, today):
    follower(db, ("goal", 13), language="nn")
    follower(db, ("goal", 13), language="en")
    _molde_news(db)
    send_digests(Frequency.DAILY, today)
    messages = sorted(smtp_server.wait_for(2), key=lambda m: m["Subject"])
    assert [m["Subject"] for m in messages] == [
        "Den daglege oppsummeringa di: 1 ny sak",
        "Your daily digest: 1 new item",
    ]
    nynorsk, english = (text_of(m) for m in messages)
    assert "Mål 13: Stoppe klimaendringane" in nynorsk
    assert "Goal 13: Climate action" in english


def test_never_empty_and_never_twice(db, smtp_server, today):
    follower(db, ("goal", 13))
    follower(db, ("goal", 7))  # nothing new on goal 7
    follower(db, ("goal", 13), frequency="weekly")  # weekly: not in the daily run
    follower(db, ("goal", 13), frequency="none")
    follower(db, ("goal", 13), confirmed=False)
    follower(db, ("goal", 13)).deactivated_at = datetime.now(UTC)  # by the coordinator
    _molde_news(db)
    first = send_digests(Frequency.DAILY, today)
    assert (first.queued, first.nothing_new) == (1, 1)
    second = send_digests(Frequency.DAILY, today)
    assert (second.queued, second.sent_before, second.delivery.sent) == (0, 1, 0)
    assert len(smtp_server.wait_for(1)) == 1
    assert len(_digests(db)) == 1


def test_my_own_actions_and_what_i_may_not_see_are_left_out(db, smtp_server, today):
    editor = make_member("1506", "editor")
    editor.digest_frequency = "daily"
    from baerekraft_hub.follows.models import Follow

    db.session.add(Follow(user_id=editor.id, kind="goal", key="13"))
    outsider = follower(db, ("goal", 13))
    colleague = make_member("1506", user=follower(db, ("goal", 13)))  # did none of it
    draft = make_project(published=False, title="Utkast", target_ids=["13.1"])
    projects.post_update(draft, "Utkastnytt", "Tekst", None)  # a draft: Molde's members only
    _molde_news(db, editor)  # the editor's own work
    report = send_digests(Frequency.DAILY, today)
    messages = smtp_server.wait_for(report.queued)
    assert report.queued == 3
    by_recipient = {m["To"]: text_of(m) for m in messages}
    assert "Utkastnytt" in by_recipient[colleague.email]
    assert "Regnbed i Molde" in by_recipient[colleague.email]
    assert "Utkast" not in by_recipient[outsider.email]
    assert "Regnbed i Molde" in by_recipient[outsider.email]
    assert "Utkastnytt" in by_recipient[editor.email]  # a member reads the draft
    assert "Regnbed i Molde" not in by_recipient[editor.email]  # but not their own news


def test_a_draft_reaches_its_participants_members_and_a_published_project_everyone(
    db, smtp_server, today
):
    partner = make_member("4601", user=follower(db, ("goal", 13)))  # Bergen takes part
    outsider = follower(db, ("goal", 13))
    draft = make_project(
        published=False,
        title="Felles utkast",
        target_ids=["13.1"],
        participants=[organisation("4601")],
    )
    projects.post_update(draft, "Utkastnytt", "Tekst", None)
    shared = make_project(
        title="Felles regnbed", target_ids=["13.1"], participants=[organisation("4601")]
    )
    projects.post_update(shared, "Regnbednytt", "Tekst", None)
    report = send_digests(Frequency.DAILY, today)
    by_recipient = {m["To"]: text_of(m) for m in smtp_server.wait_for(report.queued)}
    assert "Felles utkast" in by_recipient[partner.email]
    assert "Felles utkast" not in by_recipient[outsider.email]
    assert "Felles regnbed" in by_recipient[partner.email]
    assert "Felles regnbed" in by_recipient[outsider.email]


def test_at_most_n_items_per_group_and_the_rest_counted(app, db, smtp_server, today):
    app.config["DIGEST_ITEMS_PER_GROUP"] = 2
    try:
        follower(db, ("goal", 11))
        for i in range(5):
            make_project(title=f"Prosjekt {i}", target_ids=["11.5"])
        db.session.commit()
        send_digests(Frequency.DAILY, today)
    finally:
        app.config["DIGEST_ITEMS_PER_GROUP"] = 5
    (message,) = smtp_server.wait_for(1)
    text = text_of(message)
    assert message["Subject"] == "Din daglige oppsummering: 5 nye saker"
    assert text.count("* Prosjekt") == 2
    assert "… og 3 til: http://localhost/barekraftsmal/11/" in text


def test_the_footer_suggests_peers_on_the_same_targets(db, smtp_server, today):
    me = make_member("1506")
    me.digest_frequency = "daily"
    from baerekraft_hub.follows.models import Follow

    db.session.add(Follow(user_id=me.id, kind="goal", key="13"))
    make_project(owner="1506", title="Vårt prosjekt", target_ids=["11.5"])
    make_project(owner="4601", title="Bergens regnbed", target_ids=["11.5"])
    _molde_news(db)
    send_digests(Frequency.DAILY, today)
    (message,) = smtp_server.wait_for(1)
    footer = text_of(message).split("Forslag til deg:")[1]
    assert "- Bergen: http://localhost/organisasjoner/bergen/" in footer
    assert "Bergens regnbed" in footer


def test_a_crash_midway_then_a_rerun_queues_only_what_is_missing(app, db, today):
    users = [follower(db, ("goal", 13)) for _ in range(7)]
    _molde_news(db)
    batch_size, app.config["DIGEST_BATCH_SIZE"] = app.config["DIGEST_BATCH_SIZE"], 3
    real = services.digest_email
    calls = []

    def crash_on_fifth(user, period, context):
        calls.append(user.id)
        if len(calls) == 5:
            raise RuntimeError("the machine went down")
        return real(user, period, context)

    try:
        with (
            mock.patch.object(runner.services, "digest_email", crash_on_fifth),
            pytest.raises(RuntimeError),
        ):
            send_digests(Frequency.DAILY, today, deliver=False)
        db.session.rollback()
        assert len(_digests(db)) == 3  # the first batch was committed
        run = db.session.scalars(db.select(DigestRun)).one()
        assert run.completed_at is None
        report = send_digests(Frequency.DAILY, today, deliver=False)
    finally:
        app.config["DIGEST_BATCH_SIZE"] = batch_size
    assert (report.queued, report.sent_before) == (4, 3)
    assert sorted(m.user_id for m in _digests(db)) == sorted(u.id for u in users)


def test_a_user_deleted_between_queueing_and_sending_gets_nothing(db, smtp_server, today):
    stays = follower(db, ("goal", 13))
    goes = follower(db, ("goal", 13))
    _molde_news(db)
    send_digests(Frequency.DAILY, today, deliver=False)
    delete_user(goes, PASSWORD)
    db.session.commit()
    report = deliver_all()
    assert report.sent == 1
    assert [m["To"] for m in smtp_server.wait_for(1)] == [stays.email]
    statuses = [m.status for m in _digests(db)]
    assert sorted(statuses) == [OutboxStatus.DROPPED, OutboxStatus.SENT]


def test_the_command_sends_a_given_period_and_a_second_run_sends_nothing(
    db, runner, smtp_server, today
):
    follower(db, ("goal", 13))
    _molde_news(db)
    args = ["digests", "send", "--frequency", "daily", "--period", today.start.isoformat()]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "queued 1" in first.output and "sent 1" in first.output
    # progress, as plain lines when not in a terminal: the recipients, then the deliveries
    assert "composing: 1 done in" in first.output and "delivering: 1 done in" in first.output
    second = runner.invoke(args=args)
    assert "queued 0" in second.output and "sent 0" in second.output
    assert len(smtp_server.wait_for(1)) == 1
    weekly = runner.invoke(args=["digests", "send", "--frequency", "weekly"])
    assert weekly.exit_code == 0 and "weekly digests" in weekly.output
    bad = runner.invoke(args=["digests", "send", "--frequency", "hourly"])
    assert bad.exit_code != 0


def test_the_worker_sends_what_is_due_once(db, smtp_server, this_week):
    follower(db, ("goal", 13), frequency="weekly")
    _molde_news(db)
    # Next Monday at 07:30 in Oslo, this week's digest is due.
    monday = this_week.end
    now = datetime(monday.year, monday.month, monday.day, 7, 30, tzinfo=OSLO).astimezone(UTC)
    result = send_due_digests(now=now)
    assert "weekly digests" in result and "queued 1" in result
    assert deliver_all().sent == 1
    assert send_due_digests(now=now) == ""  # the run is complete: nothing to do
    run = db.session.scalars(db.select(DigestRun).where(DigestRun.frequency == "weekly")).one()
    assert run.completed_at is not None and run.queued == 1


def test_the_worker_runs_the_digest_task(app, db):
    from baerekraft_hub.core.worker import registered_tasks

    assert "digests" in [t.name for t in registered_tasks()]


# --- unsubscribe ----------------------------------------------------------------------------


def test_the_link_works_without_signing_in_get_asks_post_stops(client, db):
    user = follower(db, ("goal", 13), frequency="weekly")
    db.session.commit()
    path = f"/avmeld/{services.unsubscribe_token(user)}/"
    page = client.get(path)
    assert page.status_code == 200 and "Stopp oppsummeringene på e-post" in page.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert user.digest_frequency == "weekly"  # a GET (a link scanner) changes nothing
    response = client.post(path)  # no session, no CSRF token: RFC 8058 one-click
    assert response.status_code == 200
    assert "Du får ikke flere oppsummeringer" in response.get_data(as_text=True)
    db.session.expire_all()
    assert user.digest_frequency == "none"


def _bad_tokens(app, db, user, other):
    token = services.unsubscribe_token(user)
    yield "forged", token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    yield "other purpose", make_token(Purpose.CONFIRM_EMAIL, {"id": user.id, "email": user.email})
    yield "another user's id", make_token(Purpose.UNSUBSCRIBE, {"id": user.id, "e": "x"})
    other_token = services.unsubscribe_token(other)
    other.email = "changed@example.no"
    db.session.commit()
    yield "address changed since", other_token
    app.config["DIGEST_UNSUBSCRIBE_TOKEN_MAX_AGE"] = -1
    yield "expired", token


def test_a_bad_token_gets_a_neutral_page_and_changes_nothing(app, client, db):
    user = follower(db, ("goal", 13), frequency="weekly")
    other = follower(db, ("goal", 13), frequency="daily")
    db.session.commit()
    try:
        for name, token in _bad_tokens(app, db, user, other):
            for method in ("GET", "POST"):
                response = client.open(f"/avmeld/{token}/", method=method)
                assert response.status_code == 400, name
                assert "Lenken virker ikke" in response.get_data(as_text=True), name
    finally:
        app.config["DIGEST_UNSUBSCRIBE_TOKEN_MAX_AGE"] = 180 * 24 * 3600
    db.session.expire_all()
    assert (user.digest_frequency, other.digest_frequency) == ("weekly", "daily")


def test_other_forms_still_need_their_csrf_token(client, db, login_as):
    login_as(make_user())
    assert client.post("/profil/oppsummering/", data={"frequency": "daily"}).status_code == 400


def test_the_choice_is_made_on_the_profile(client, db, login_as):
    from tests.conftest import csrf_from

    user = login_as(make_user())
    assert user.digest_frequency == "weekly"  # the default
    page = client.get("/profil/").get_data(as_text=True)
    assert "Du får en ukentlig oppsummering" in page
    form = client.get("/profil/oppsummering/").get_data(as_text=True)
    assert (
        'checked class="ds-input" id="frequency-0" name="frequency" type="radio" value="weekly"'
        in form
    )
    token = csrf_from(form)
    response = client.post(
        "/profil/oppsummering/", data={"csrf_token": token, "frequency": "daily"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert user.digest_frequency == "daily"
    bad = client.post("/profil/oppsummering/", data={"csrf_token": token, "frequency": "hourly"})
    assert bad.status_code == 422
    db.session.expire_all()
    assert user.digest_frequency == "daily"


def test_numbers_in_the_digest_are_written_as_the_language_writes_them(db, smtp_server, today):
    from tests.activity.test_activity import _indicator_news

    follower(db, ("organisation", organisation("1506").id), language="nn")
    follower(db, ("organisation", organisation("1506").id), language="en")
    _indicator_news(db)
    db.session.commit()
    send_digests(Frequency.DAILY, today)
    for message in smtp_server.wait_for(2):
        text = text_of(message)
        html = message.get_body(preferencelist=("html",)).get_content()
        if message["Subject"].startswith("Your"):
            assert "480.5 enheter" in text and "168,500 enheter" in html
        else:
            assert "480,5 enheter" in text and "168\xa0500 enheter" in html
            assert "168500" not in text + html
