"""People: accounts, sign-in, memberships of organisations and their roles."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
