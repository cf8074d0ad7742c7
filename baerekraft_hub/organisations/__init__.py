"""Municipalities, county municipalities and partner organisations."""

from flask import Blueprint

bp = Blueprint("organisations", __name__)

from baerekraft_hub.organisations import views  # noqa: E402, F401
