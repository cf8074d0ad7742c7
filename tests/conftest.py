"""Fixtures: one migrated, seeded database per run (SQLite, or PostgreSQL via DATABASE_URL)."""

from __future__ import annotations

import contextvars
import os
import re

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from baerekraft_hub import create_app
from baerekraft_hub.core.reference import Upserter
from baerekraft_hub.extensions import db as _db

# Loaded once per run by `flask seed reference`; every other table is emptied after each test.
REFERENCE_TABLES = {"sdg_goal", "sdg_target", "sdg_indicator", "u4ssc_kpi", "organisation"}


def _reset_postgres(uri: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(uri)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    uri = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'test.sqlite'}"
    os.environ["INSTANCE_PATH"] = str(instance)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": uri})
    if uri.startswith("postgres"):
        _reset_postgres(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        upgrade()  # the real migrations build the schema, on both databases
        from baerekraft_hub.organisations.services import load_reference as load_orgs
        from baerekraft_hub.sdg.services import load_reference as load_sdg

        upsert = Upserter()
        load_sdg(upsert)
        load_orgs(upsert)
        _db.session.commit()
    yield app


@pytest.fixture()
def db(app):
    """The database inside an app context; tables other than reference data emptied after."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        for table in reversed(_db.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                _db.session.execute(table.delete())
        _db.session.commit()
        _db.session.remove()


class IsolatedClient(FlaskClient):
    """Each request runs in a context of its own, as in production.

    A test that holds an app context (the `db` fixture) would otherwise lend it, and its `g`,
    to every request it makes: the language chosen in one request would leak into the next.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture()
def client(app, db):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture()
def runner(app, db):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture()
def csrf_token(client):
    """A valid CSRF token for this client's session."""
    return csrf_from(client.get("/").get_data(as_text=True))


@pytest.fixture()
def login_as(client, db):
    """Sign the test client in as `user` (committing pending test data first)."""

    def login(user):
        db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return login


@pytest.fixture()
def count_queries(app):
    """Count the SQL statements run inside a `with count_queries() as counter:` block."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting():
        statements = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        with app.app_context():
            engine = _db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting
