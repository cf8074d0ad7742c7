"""Good practice and lessons learned (god praksis og erfaringer)."""

from flask import Blueprint

bp = Blueprint("practices", __name__)

from baerekraft_hub.practices import views  # noqa: E402, F401
