"""Memberships: asking to join an organisation, approving, roles, removing members."""

from flask import Blueprint

bp = Blueprint("memberships", __name__)
