"""Full-text search that understands Norwegian: bokmål and nynorsk forms, compounds, SDG refs.

The engine (engine/, a library that imports nothing from the app) indexes and searches plain
`SearchDocument`s behind the `SearchBackend` interface. The app side: builder.py turns projects
and practices into documents, changes.py keeps the index true after every commit, services.py
searches with a database fallback, params.py reads a search from a query string, views.py
serves /sok and /api/v1/search (and the similar projects on a project's page), cli.py the
`flask search` commands.
"""

from flask import Blueprint

bp = Blueprint("search", __name__)
