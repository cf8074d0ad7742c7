"""Development-only pages (the local mailbox); 404 unless DEV_MAILBOX is on."""

from flask import Blueprint

bp = Blueprint("devtools", __name__)
