"""Newsletters: the coordinator writes, picks an audience and sends; the public archive."""

from flask import Blueprint

bp = Blueprint("newsletters", __name__)
