"""Projects and initiatives (prosjekter og tiltak) linked to SDG targets."""

from flask import Blueprint

bp = Blueprint("projects", __name__)
