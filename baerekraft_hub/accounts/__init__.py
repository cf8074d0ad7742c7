"""People: accounts, sign-in, passwords, profile and privacy."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
