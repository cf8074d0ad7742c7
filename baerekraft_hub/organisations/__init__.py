"""Municipalities, county municipalities and partner organisations."""

from flask import Blueprint

bp = Blueprint("organisations", __name__)
