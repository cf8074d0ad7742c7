"""The public archive and its Atom feed show sent newsletters only, with every text escaped;
one-click unsubscribe stops the newsletter and nothing else."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from baerekraft_hub.newsletters import sending
from baerekraft_hub.newsletters.emails import unsubscribe_token
from tests.newsletters.conftest import newsletter, reader

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '<script>alert("x")</script> & ]]>'


def _sent(db, **text):
    reader(db)
    letter = newsletter(**text)
    sending.send_now(letter)
    db.session.commit()
    sending.release_due()  # no mail server: the rows stay in the outbox
    from baerekraft_hub.newsletters.models import NewsletterStatus

    letter.status = NewsletterStatus.SENT.value  # as when the outbox has sent them
    db.session.commit()
    return letter


def test_the_archive_and_feed_list_sent_newsletters_escaped(client, db):
    letter = _sent(db, subject=HOSTILE, body=f"**Fett** {HOSTILE}", preheader=HOSTILE)
    draft = newsletter(subject="Hemmelig utkast")
    db.session.commit()
    archive = client.get("/nyhetsbrev/").text
    assert "&lt;script&gt;alert" in archive and "<script>alert" not in archive
    assert "Hemmelig utkast" not in archive
    page = client.get(f"/nyhetsbrev/{letter.id}/")
    assert page.status_code == 200
    assert "<strong>Fett</strong>" in page.text and "<script>alert" not in page.text
    assert client.get(f"/nyhetsbrev/{draft.id}/").status_code == 404
    feed = client.get("/nyhetsbrev/atom.xml")
    assert feed.mimetype == "application/atom+xml"
    root = ET.fromstring(feed.data)  # well-formed whatever the subject holds
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [HOSTILE]
    content = entries[0].find(f"{ATOM}content").text
    assert "<strong>Fett</strong>" in content and "<script>" not in content


def test_one_click_unsubscribe_stops_the_newsletter_and_not_the_digest(client, db):
    user = reader(db)
    user.digest_frequency = "weekly"
    db.session.commit()
    path = f"/nyhetsbrev/avmeld/{unsubscribe_token(user)}/"
    assert "Stopp nyhetsbrevet" in client.get(path).text
    db.session.refresh(user)
    assert user.newsletter_consent_at is not None  # a GET (a link scanner) changes nothing
    response = client.post(path)  # RFC 8058: no session, no CSRF token
    assert response.status_code == 200
    db.session.refresh(user)
    assert user.newsletter_consent_at is None
    assert user.digest_frequency == "weekly"


def test_a_token_for_another_address_or_purpose_does_nothing(client, db):
    from baerekraft_hub.digests.services import unsubscribe_token as digest_token

    user = reader(db)
    db.session.commit()
    assert client.post(f"/nyhetsbrev/avmeld/{digest_token(user)}/").status_code == 400
    token = unsubscribe_token(user)
    user.email = "ny@example.no"
    db.session.commit()
    assert client.post(f"/nyhetsbrev/avmeld/{token}/").status_code == 400
    db.session.refresh(user)
    assert user.newsletter_consent_at is not None
