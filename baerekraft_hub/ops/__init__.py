"""Running the platform: health and readiness checks, logs, metrics, error reporting,
backups and retention. It watches every domain, so it sits above them all."""

from flask import Blueprint

bp = Blueprint("ops", __name__)
