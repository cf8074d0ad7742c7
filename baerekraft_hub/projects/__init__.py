"""Projects and initiatives (prosjekter og tiltak) linked to SDG targets."""

from flask import Blueprint

bp = Blueprint("projects", __name__)

from baerekraft_hub.projects import views  # noqa: E402, F401
