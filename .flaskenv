# Read by the `flask` command in this checkout (not by gunicorn); the environment wins.
FLASK_APP=wsgi.py
BAEREKRAFT_ENV=development
