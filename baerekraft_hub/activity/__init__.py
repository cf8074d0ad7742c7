"""Activity: what happened to content people follow, and the "Nytt for deg" page."""

from flask import Blueprint

bp = Blueprint("activity", __name__)
