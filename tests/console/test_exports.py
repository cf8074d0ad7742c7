"""The console's CSV exports: Excel-friendly, complete, and users without secrets."""

from __future__ import annotations

import csv
import io

from baerekraft_hub.audit.models import AuditEvent
from baerekraft_hub.memberships.models import Role
from tests.factories import make_member, make_project, make_user


def _rows(response) -> list[dict]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Excel reads æøå right
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_users_are_exported_without_password_hashes_or_session_versions(client, db, login_as):
    editor = make_member("1506", Role.EDITOR)
    editor.name = '=HYPERLINK("https://evil.example")'
    me = login_as(make_user(coordinator=True))
    response = client.get("/koordinator/eksport/brukere.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "pbkdf2" not in text and "scrypt" not in text and "password" not in text
    rows = {r["email"]: r for r in _rows(response)}
    assert rows[editor.email]["organisations"] == "Molde (editor)"
    assert rows[editor.email]["name"].startswith("'=")  # a formula is defused
    assert rows[me.email]["coordinator"] == "yes"
    assert "session_version" not in rows[me.email]
    events = db.session.scalars(db.select(AuditEvent)).all()
    assert [(e.action, e.actor_id) for e in events] == [("export.users", me.id)]


def test_projects_include_drafts_with_their_state(client, db, login_as):
    make_project("1506", title="Publisert prosjekt")
    make_project("1506", title="Et utkast", published=False)
    login_as(make_user(coordinator=True))
    rows = {r["title"]: r for r in _rows(client.get("/koordinator/eksport/prosjekter.csv"))}
    assert rows["Publisert prosjekt"]["state"] == "published"
    assert rows["Et utkast"]["state"] == "draft"
    assert rows["Publisert prosjekt"]["owner"] == "Molde"


def test_organisations_with_counts_and_network_membership(client, db, login_as):
    make_project("1506")
    make_project("1506", published=False)
    login_as(make_user(coordinator=True))
    rows = {r["number"]: r for r in _rows(client.get("/koordinator/eksport/organisasjoner.csv"))}
    assert len([r for r in rows.values() if r["kind"] == "county"]) == 15
    assert rows["1506"]["published_projects"] == "1"
    assert rows["1506"]["county"] == "Møre og Romsdal"
    assert rows["4601"]["published_projects"] == "0"
