"""Moving content in and out: the JSON import, the CSV export and the demo content.

It stands above projects and practices, whose services it calls, so neither imports the other.
"""

from flask import Blueprint

bp = Blueprint("transfer", __name__)
