"""The console's exports: a page of links, and the three CSV files."""

from __future__ import annotations

from flask import Response, render_template
from flask_login import current_user

from baerekraft_hub.audit import record
from baerekraft_hub.console import bp, exports
from baerekraft_hub.core.transactions import keep_changes


@bp.get("/eksport/")
def exports_page():
    return render_template("console/exports.html")


def _download(text: str, filename: str) -> Response:
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/eksport/organisasjoner.csv")
def export_organisations():
    return _download(exports.organisations_csv(), "organisasjoner.csv")


@bp.get("/eksport/prosjekter.csv")
def export_projects():
    return _download(exports.projects_csv(), "prosjekter.csv")


@bp.get("/eksport/brukere.csv")
def export_users():
    """Personal data leaves the site: who took it, and when, goes in the audit log."""
    record(current_user._get_current_object(), "export.users", "export", "users")
    keep_changes()
    return _download(exports.users_csv(), "brukere.csv")
