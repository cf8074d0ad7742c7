"""Good practice and lessons learned (god praksis og erfaringer)."""

from flask import Blueprint

bp = Blueprint("practices", __name__)
