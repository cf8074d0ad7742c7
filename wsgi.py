"""WSGI entry point: `gunicorn wsgi:app`."""

from baerekraft_hub import create_app

app = create_app()
