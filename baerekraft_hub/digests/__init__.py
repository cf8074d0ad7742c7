"""Digest emails: what is new through one's follows, daily or weekly, once per period."""

from flask import Blueprint

bp = Blueprint("digests", __name__)
