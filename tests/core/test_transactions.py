"""One commit per request: committed when the answer is a success, nothing left otherwise."""

from __future__ import annotations

import pytest
from flask import Blueprint, abort, flash, redirect

from baerekraft_hub import create_app
from baerekraft_hub.accounts import services as accounts
from baerekraft_hub.accounts.models import User
from baerekraft_hub.content.models import Tag
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.core.outbox import OutboxMessage, OutboxStatus
from baerekraft_hub.core.transactions import keep_changes
from baerekraft_hub.extensions import csrf
from baerekraft_hub.extensions import db as _db
from baerekraft_hub.memberships import services as memberships
from baerekraft_hub.memberships.models import Membership, MembershipStatus, Role
from tests.conftest import IsolatedClient
from tests.factories import make_member, make_user, post_form

SAVED = "The probe is saved."
GOOD_PASSWORD = "grønn-fjord-lysende-kveld-42"  # noqa: S105

# A blueprint of the test's own: each view adds a tag, flashes success, then answers as told.
probe = Blueprint("transaction_probe", __name__, url_prefix="/test-transactions")
csrf.exempt(probe)


def _raise():
    raise RuntimeError("the view failed after changing data")


def _failing_commit():
    _db.session.add(Tag(name="probe"))  # the same name again: the commit's flush fails
    return redirect("/")


def _commit_by_hand():
    _db.session.commit()  # as projects' and practices' views still do
    return redirect("/")


def _kept(status: int):
    def answer():
        keep_changes()
        return "kept", status

    return answer


ANSWERS = {
    "redirect": lambda: redirect("/"),
    "fragment": lambda: "<p>done</p>",
    "form-error": lambda: ("the form again", 422),
    "refused": lambda: abort(403),
    "exception": _raise,
    "commit-fails": _failing_commit,
    "commit-by-hand": _commit_by_hand,
    "kept-refusal": _kept(422),
    "kept": _kept(200),
}


@probe.route("/<answer>/", methods=["GET", "POST"])
def change(answer: str):
    _db.session.add(Tag(name="probe"))
    _db.session.flush()
    flash(SAVED, "success")
    return ANSWERS[answer]()


@pytest.fixture(scope="module")
def probe_app(app):
    """An app like the suite's, on its database, with the probe views and real 500 pages."""
    probe_app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PROPAGATE_EXCEPTIONS": False,
        },
    )
    probe_app.register_blueprint(probe)
    probe_app.test_client_class = IsolatedClient
    yield probe_app
    with probe_app.app_context():
        _db.engine.dispose()


@pytest.fixture()
def probe_client(probe_app, db):
    return probe_app.test_client()


def tags(db) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Tag.name)))


@pytest.mark.parametrize("answer", ["redirect", "fragment", "commit-by-hand"])
def test_a_post_answered_with_success_commits(probe_client, db, answer):
    response = probe_client.post(f"/test-transactions/{answer}/")
    assert response.status_code < 400
    assert tags(db) == ["probe"]


@pytest.mark.parametrize(("answer", "status"), [("form-error", 422), ("refused", 403)])
def test_a_post_answered_with_4xx_leaves_nothing(probe_client, db, answer, status):
    assert probe_client.post(f"/test-transactions/{answer}/").status_code == status
    assert tags(db) == []


@pytest.mark.parametrize("answer", ["exception", "commit-fails"])
def test_a_failing_request_leaves_nothing_and_says_nothing_of_success(probe_client, db, answer):
    response = probe_client.post(f"/test-transactions/{answer}/")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Noe gikk galt hos oss" in page  # the normal 500 page
    assert SAVED not in page
    assert tags(db) == []
    assert SAVED not in probe_client.get("/").get_data(as_text=True)


def test_a_get_never_commits_unless_the_view_keeps_its_changes(probe_client, db):
    assert probe_client.get("/test-transactions/redirect/").status_code == 302
    assert tags(db) == []
    assert probe_client.get("/test-transactions/kept/").status_code == 200
    assert tags(db) == ["probe"]


def test_a_refusal_that_keeps_its_changes_commits(probe_client, db):
    assert probe_client.post("/test-transactions/kept-refusal/").status_code == 422
    assert tags(db) == ["probe"]


# --- the real views ------------------------------------------------------------------------------


def test_a_form_error_after_the_service_flushed_a_change_leaves_nothing(
    client, db, login_as, monkeypatch
):
    user = login_as(make_user(name="Kari"))

    def half_done(user, **values):
        user.name = values["name"]
        _db.session.flush()
        raise ValidationError("Not like that.", field="name")

    monkeypatch.setattr(accounts, "update_profile", half_done)
    response = post_form(client, "/profil/", {"name": "Changed", "language": "nb"})
    assert response.status_code == 422
    assert "Not like that." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Kari"


def test_a_refusal_answered_with_a_redirect_leaves_nothing(client, db, login_as, monkeypatch):
    login_as(make_member("1506", Role.ADMIN))
    asker = make_member("1506", Role.MEMBER, status=MembershipStatus.PENDING)
    db.session.commit()
    row = db.session.scalar(db.select(Membership).where(Membership.user_id == asker.id))

    def half_done(membership, decided_by):
        membership.status = MembershipStatus.DECLINED.value
        _db.session.flush()
        raise ValidationError("Someone else answered first.")

    monkeypatch.setattr(memberships, "decline", half_done)
    page = "/organisasjoner/molde/medlemmer/"
    response = post_form(client, f"{page}{row.id}/avsla/", {}, page=page)
    assert response.status_code == 302
    assert "Someone else answered first." in client.get(page).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Membership, row.id).status == MembershipStatus.PENDING.value


def test_a_successful_post_persists_and_its_email_goes_out_once(client, db, smtp_server):
    values = {"name": "Kari", "email": "kari@example.no", "password": GOOD_PASSWORD}
    response = post_form(client, "/registrer/", values)
    assert response.status_code == 302
    assert db.session.scalar(db.select(User.email)) == "kari@example.no"
    assert len(smtp_server.wait_for(1)) == 1
    smtp_server.deliver()  # a second pass finds nothing left to send
    assert len(smtp_server.messages) == 1
    (row,) = db.session.scalars(db.select(OutboxMessage))
    assert row.status == OutboxStatus.SENT
