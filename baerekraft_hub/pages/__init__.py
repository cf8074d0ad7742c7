"""The network's own pages: home, about, accessibility, privacy, language choice."""

from flask import Blueprint

bp = Blueprint("pages", __name__)

from baerekraft_hub.pages import views  # noqa: E402, F401
