"""Consent: a checkbox at registration and on the profile, apart from the digest; its time is
in the data the user downloads."""

from __future__ import annotations

import json
import re

from baerekraft_hub.accounts.services import find_user_by_email
from tests.factories import PASSWORD, make_user, post_form


def _register(client, email: str, **extra):
    data = {"name": "Kari", "email": email, "password": PASSWORD + "x", **extra}
    return post_form(client, "/registrer/", data)


def test_registering_with_the_box_ticked_records_the_consent(client, db):
    assert _register(client, "ja@example.no", newsletter="y").status_code == 302
    assert _register(client, "nei@example.no").status_code == 302
    assert find_user_by_email("ja@example.no").newsletter_consent_at is not None
    assert find_user_by_email("nei@example.no").newsletter_consent_at is None


def test_the_profile_turns_the_newsletter_on_and_off_without_touching_the_digest(
    client, db, login_as
):
    user = login_as(make_user())
    user.digest_frequency = "daily"
    db.session.commit()
    page = client.get("/profil/").get_data(as_text=True)
    assert "Send meg nyhetsbrevet fra nettverket" in page
    profile = {"name": user.name, "title": "", "language": "nb"}
    assert post_form(client, "/profil/", dict(profile, newsletter="y")).status_code == 302
    db.session.refresh(user)
    first = user.newsletter_consent_at
    assert first is not None
    assert user.digest_frequency == "daily"
    # Saving again keeps the time of the first consent.
    post_form(client, "/profil/", dict(profile, newsletter="y"))
    db.session.refresh(user)
    assert user.newsletter_consent_at == first
    assert re.search(r'<input [^>]*checked[^>]*name="newsletter"', client.get("/profil/").text)
    post_form(client, "/profil/", profile)
    db.session.refresh(user)
    assert user.newsletter_consent_at is None
    assert user.digest_frequency == "daily"


def test_the_time_of_consent_is_in_the_downloaded_data(client, db, login_as):
    user = login_as(make_user())
    post_form(client, "/profil/", {"name": "K", "title": "", "language": "nb", "newsletter": "y"})
    data = json.loads(client.get("/profil/mine-data.json").get_data(as_text=True))
    db.session.refresh(user)
    assert data["newsletter"]["subscribed"] is True
    assert data["newsletter"]["consented_at"] == user.newsletter_consent_at.isoformat()
