"""The network's own pages: home, about, accessibility, privacy, language choice."""

from flask import Blueprint

bp = Blueprint("pages", __name__)
