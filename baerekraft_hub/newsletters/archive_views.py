"""The public side: the archive of sent newsletters, its Atom feed, and one-click unsubscribe."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, render_template, request
from flask_babel import gettext as _

from baerekraft_hub.accounts.services import set_newsletter_consent
from baerekraft_hub.accounts.tokens import TokenExpired, TokenInvalid
from baerekraft_hub.core.models import utcnow
from baerekraft_hub.extensions import csrf, db
from baerekraft_hub.newsletters import bp
from baerekraft_hub.newsletters.emails import Rendered, user_for_unsubscribe_token
from baerekraft_hub.newsletters.models import Newsletter, NewsletterStatus

ARCHIVE_SIZE = 50


def _archived():
    return (
        db.select(Newsletter)
        .where(Newsletter.status == NewsletterStatus.SENT.value)
        .order_by(Newsletter.started_at.desc(), Newsletter.id.desc())
    )


@bp.get("/nyhetsbrev/")
def archive():
    newsletters = db.session.scalars(_archived().limit(ARCHIVE_SIZE)).all()
    return render_template("newsletters/archive.html", newsletters=newsletters)


@bp.get("/nyhetsbrev/<int:newsletter_id>/")
def archived(newsletter_id: int):
    newsletter = db.session.scalar(_archived().where(Newsletter.id == newsletter_id))
    if newsletter is None:
        return render_template("errors/error.html", code=404), 404
    return render_template(
        "newsletters/archived.html", newsletter=newsletter, parts=Rendered.of(newsletter).context
    )


@bp.get("/nyhetsbrev/atom.xml")
def feed():
    newsletters = db.session.scalars(_archived().limit(ARCHIVE_SIZE)).all()
    entries = [(n, Rendered.of(n).context, _atom_time(n.started_at)) for n in newsletters]
    updated = entries[0][2] if entries else _atom_time(utcnow())
    xml = render_template(
        "newsletters/feed.xml", entries=entries, updated=updated, title=_("Newsletters")
    )
    return Response(xml, mimetype="application/atom+xml")


def _atom_time(value: datetime) -> str:
    """RFC 3339, in UTC (SQLite gives back naive datetimes, stored as UTC)."""
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


# The token in the path is the credential, and mail providers POST to it without a session
# (RFC 8058 one-click): exempt from CSRF, like the digest's.
@bp.route("/nyhetsbrev/avmeld/<token>/", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    try:
        user = user_for_unsubscribe_token(token[:500])
    except (TokenExpired, TokenInvalid):
        return render_template("newsletters/unsubscribe_problem.html"), 400
    if request.method == "POST":
        set_newsletter_consent(user, False)
        return render_template("newsletters/unsubscribed.html")
    return render_template("newsletters/unsubscribe.html", token=token)
