"""People: accounts, sign-in, passwords, profile and privacy."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from baerekraft_hub.accounts import profile_views, views  # noqa: E402, F401
