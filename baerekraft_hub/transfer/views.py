"""The project list as a spreadsheet (the list page links to it with its filters)."""

from __future__ import annotations

from flask import Response, request
from flask_login import current_user

from baerekraft_hub.projects.editing import read_filters
from baerekraft_hub.transfer import bp
from baerekraft_hub.transfer.export import export_csv


@bp.get("/prosjekter/eksport.csv")
def export_projects():
    """The filtered list (all pages) as CSV that Norwegian Excel opens correctly."""
    filters = read_filters(request.args)
    # Built whole rather than streamed: a few thousand rows at most, and the database session
    # stays inside the request.
    response = Response(export_csv(filters, current_user), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="prosjekter.csv"'
    return response
