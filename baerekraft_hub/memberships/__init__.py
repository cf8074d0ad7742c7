"""Memberships: asking to join an organisation, approving, roles, removing members."""

from flask import Blueprint

bp = Blueprint("memberships", __name__)

from baerekraft_hub.memberships import views  # noqa: E402, F401
