"""The coordinator's pages: compose with preview and live count, refuse bad input with a
clear message (keeping what was typed), test send, send once, no changes after sending."""

from __future__ import annotations

from baerekraft_hub.core.outbox import OutboxMessage
from baerekraft_hub.newsletters import sending
from baerekraft_hub.newsletters.audience import Audience
from baerekraft_hub.newsletters.models import Newsletter, NewsletterStatus
from tests.conftest import csrf_from
from tests.factories import make_project, make_user, organisation, post_form
from tests.newsletters.conftest import newsletter, reader

NEW = "/koordinator/nyhetsbrev/ny/"


def _coordinator(login_as):
    return login_as(make_user(coordinator=True, email="koordinator@ks.no"))


def test_an_empty_subject_or_text_is_refused_and_what_was_typed_stays(client, db, login_as):
    _coordinator(login_as)
    response = post_form(client, NEW, {"subject": "", "body": "Min tekst <b>her</b>"})
    assert response.status_code == 422
    page = response.text
    assert "Skriv et emne." in page
    assert "Min tekst &lt;b&gt;her&lt;/b&gt;" in page
    response = post_form(client, NEW, {"subject": "Desember", "body": "  ", "news": ""})
    assert response.status_code == 422
    assert "Skriv teksten i nyhetsbrevet." in response.text
    assert 'value="Desember"' in response.text
    assert db.session.scalar(db.select(db.func.count(Newsletter.id))) == 0


def test_the_preview_button_shows_the_text_without_saving(client, db, login_as):
    _coordinator(login_as)
    data = {"subject": "S", "body": "**Viktig** <script>alert(1)</script>", "preview": "1"}
    page = post_form(client, NEW, data).text
    assert "<strong>Viktig</strong>" in page
    assert "<script>alert(1)" not in page
    assert db.session.scalar(db.select(db.func.count(Newsletter.id))) == 0


def test_the_new_in_the_network_block_lists_what_was_published_by_goal(client, db, login_as):
    _coordinator(login_as)
    make_project(title="Regnbed i Molde", target_ids=["13.1"])
    db.session.commit()
    page = client.get(NEW).text
    assert "### 13\\. Stoppe klimaendringene" in page
    assert "Regnbed i Molde" in page
    # Once a newsletter has gone out, the block starts again from there.
    reader(db)
    sent = newsletter()
    sending.send_now(sent)
    db.session.commit()
    make_project(title="Solceller i Aukra", target_ids=["7.2"])
    db.session.commit()
    page = client.get(NEW).text
    assert "Solceller i Aukra" in page and "Regnbed i Molde" not in page


def test_the_live_count_follows_the_audience(client, db, login_as):
    _coordinator(login_as)
    vestland = organisation("46").id
    reader(db, org="4601", follows=[("goal", 13)])
    reader(db, org="1506", follows=[("goal", 13)])
    db.session.commit()
    everyone = client.get("/koordinator/nyhetsbrev/antall/", headers={"HX-Request": "true"})
    assert "2 mottakere" in everyone.text and "<html" not in everyone.text
    narrowed = client.get(f"/koordinator/nyhetsbrev/antall/?goals=13&counties={vestland}")
    assert "1 mottaker" in narrowed.text and "<html" in narrowed.text


def test_save_test_send_and_send_once(client, db, login_as, smtp_server):
    me = _coordinator(login_as)
    readers = [reader(db) for _ in range(3)]
    db.session.commit()
    response = post_form(client, NEW, {"subject": "Desember", "body": "Hei"})
    assert response.status_code == 302
    letter = db.session.scalars(db.select(Newsletter)).one()
    show = f"/koordinator/nyhetsbrev/{letter.id}/"
    post_form(client, f"{show}test/", {}, page=show)
    test = smtp_server.wait_for(1)
    assert [m["To"] for m in test] == [me.email]
    assert "[Test]" in test[0]["Subject"]
    confirm = client.get(f"{show}send/").text
    assert "3 mottakere" in confirm
    token = csrf_from(confirm)
    first = client.post(f"{show}send/", data={"csrf_token": token, "when": "now"})
    second = client.post(f"{show}send/", data={"csrf_token": token, "when": "now"})
    assert first.status_code == second.status_code == 302
    assert "allerede sendt" in client.get(show).text
    db.session.refresh(letter)
    assert letter.status == NewsletterStatus.SENDING
    assert letter.recipient_count == 3
    edit = client.get(f"{show}rediger/")
    assert edit.status_code == 302
    refused = client.post(f"{show}rediger/", data={"csrf_token": token, "subject": "Ny"})
    assert refused.status_code == 302
    db.session.refresh(letter)
    assert letter.subject == "Desember"
    copy = post_form(client, f"{show}kopier/", {}, page=show)
    assert copy.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Newsletter.id))) == 2
    del readers


def test_a_schedule_time_in_the_past_is_a_clear_form_error(client, db, login_as):
    _coordinator(login_as)
    reader(db)
    letter = newsletter()
    db.session.commit()
    path = f"/koordinator/nyhetsbrev/{letter.id}/send/"
    response = post_form(client, path, {"when": "later", "send_at": "2001-01-01T10:00"})
    assert response.status_code == 422
    assert "Velg et tidspunkt fram i tid." in response.text
    response = post_form(client, path, {"when": "later", "send_at": "ikke en dato"})
    assert response.status_code == 422


def test_email_previews_as_html_and_text(client, db, login_as):
    _coordinator(login_as)
    letter = newsletter(subject="Om <flom>", body="Tekst")
    db.session.commit()
    html = client.get(f"/koordinator/nyhetsbrev/{letter.id}/epost.html")
    assert "Om &lt;flom&gt;" in html.text
    text = client.get(f"/koordinator/nyhetsbrev/{letter.id}/epost.txt")
    assert text.mimetype == "text/plain" and "Om <flom>" in text.text
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_progress_refreshes_itself_and_pause_resume_answer_in_place(client, db, login_as):
    _coordinator(login_as)
    for _ in range(2):
        reader(db)
    letter = newsletter()
    sending.send_now(letter)
    db.session.commit()
    base = f"/koordinator/nyhetsbrev/{letter.id}/"
    fragment = client.get(f"{base}fremdrift/", headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<section id="progress"')
    assert 'hx-trigger="every 3s"' in fragment and "<dd>2</dd>" in fragment
    token = csrf_from(client.get(base).text)
    paused = client.post(
        f"{base}pause/", data={"csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert "På pause" in paused.text
    again = client.post(f"{base}pause/", data={"csrf_token": token})
    assert again.status_code == 302
    assert "Bare et nyhetsbrev som sendes, kan settes på pause." in client.get(base).text
    client.post(f"{base}fortsett/", data={"csrf_token": token})
    db.session.refresh(letter)
    assert letter.status == NewsletterStatus.SENDING


def test_an_audience_of_nobody_is_refused_on_the_send_page(client, db, login_as):
    _coordinator(login_as)
    letter = newsletter(audience=Audience(goals=[13]))
    db.session.commit()
    path = f"/koordinator/nyhetsbrev/{letter.id}/send/"
    assert "kan ikke sendes" in client.get(path).text
    response = post_form(client, path, {"when": "now"})
    assert response.status_code == 422
    assert "Ingen er med i denne mottakergruppen" in response.text
    db.session.refresh(letter)
    assert letter.status == NewsletterStatus.DRAFT


def test_each_step_of_a_newsletter_is_in_the_audit_log_under_its_coordinator(client, db, login_as):
    from baerekraft_hub.audit.models import AuditEvent

    coordinator = _coordinator(login_as)
    reader(db)
    letter = newsletter(author=coordinator)
    db.session.commit()
    base = f"/koordinator/nyhetsbrev/{letter.id}/"
    token = csrf_from(client.get(base).text)
    for step, data in (("send/", {"when": "now"}), ("pause/", {}), ("fortsett/", {})):
        assert client.post(base + step, data={"csrf_token": token, **data}).status_code == 302
    db.session.expire_all()
    events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id, e.target_id) for e in events] == [
        ("newsletter.create", coordinator.id, str(letter.id)),
        ("newsletter.send", coordinator.id, str(letter.id)),
        ("newsletter.pause", coordinator.id, str(letter.id)),
        ("newsletter.resume", coordinator.id, str(letter.id)),
    ]
    log = client.get("/koordinator/logg/").text
    assert "Sendte et nyhetsbrev" in log and "Satte et nyhetsbrev på pause" in log
