"""Fixtures: one migrated, seeded database per run (SQLite, or PostgreSQL via DATABASE_URL)."""

from __future__ import annotations

import contextvars
import os
import re
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, text

from baerekraft_hub import create_app
from baerekraft_hub.core.reference import Upserter
from baerekraft_hub.extensions import db as _db

# Loaded once per run by `flask seed reference`; every other table is emptied after each test.
REFERENCE_TABLES = {
    "sdg_goal",
    "sdg_target",
    "sdg_indicator",
    "u4ssc_kpi",
    "u4ssc_kpi_group",
    "organisation",
}


def _reset_postgres(uri: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(uri)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def pytest_addoption(parser):
    parser.addoption(
        "--both-databases",
        action="store_true",
        help="this run is one of two, on SQLite and on PostgreSQL (make test): a test marked"
        " one_database, or that has no app (no database), runs in one of them only",
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--both-databases"):
        return
    here = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    for item in items:
        marker = item.get_closest_marker("one_database")
        if marker is not None:
            wanted = marker.args[0]
        elif "app" not in item.fixturenames:
            wanted = "sqlite"  # no database at all: the other run adds nothing
        else:
            continue
        if wanted != here:
            item.add_marker(pytest.mark.skip(reason=f"runs once, in the {wanted} run"))


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
        empty_tables()
        _db.session.commit()
        _db.session.remove()


def empty_tables() -> None:
    """Empty every table but the reference data; on PostgreSQL in one round trip.

    Not TRUNCATE: on PostgreSQL it replaces each table's files, and measured here one
    TRUNCATE of the 26 tables took about 430 ms a test against 20-40 ms for these DELETEs.
    """
    tables = [t for t in reversed(_db.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
    if _db.engine.dialect.name == "postgresql":
        # And the PostgreSQL search backend's documents (migration 0017), which no model describes.
        names = [t.name for t in tables] + ["search_document"]
        statements = "; ".join(f'DELETE FROM "{name}"' for name in names)
        _db.session.connection().exec_driver_sql(statements)
    else:  # SQLite runs one statement at a time, in process: no round trips to save
        for table in tables:
            _db.session.execute(table.delete())
    from baerekraft_hub.organisations.models import Organisation

    # The reference columns a test may change: network membership and its contact.
    _db.session.execute(
        _db.update(Organisation).values(
            network_member_since=None, network_contact_name=None, network_contact_email=None
        )
    )


class IsolatedClient(FlaskClient):
    """Each request runs in a context of its own, as in production.

    A test that holds an app context (the `db` fixture) would otherwise lend it, and its `g`,
    to every request it makes: the language chosen in one request would leak into the next.
    Responses are buffered, so they are closed as a real server closes them, and work done
    after the response has happened when `open` returns.
    """

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture()
def client(app, db):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture()
def runner(app, db):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def session_csrf(client) -> str:
    """A valid CSRF token for the client's session: anonymous pages carry none (they are
    cached for everyone), so it comes from the sign-in form, or the page it sends a signed-in
    user to."""
    return csrf_from(client.get("/logg-inn/", follow_redirects=True).get_data(as_text=True))


@pytest.fixture()
def csrf_token(client):
    """A valid CSRF token for this client's session."""
    return session_csrf(client)


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


@contextmanager
def counting_queries(app):
    """The SQL statements `app` runs inside a `with counting_queries(app) as statements:`."""
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


@pytest.fixture()
def count_queries(app):
    """Count the SQL statements run inside a `with count_queries() as counter:` block."""
    return lambda: counting_queries(app)


@pytest.fixture()
def scratch_database(app, tmp_path):
    """An empty database of the suite's kind: a SQLite file, or a schema of its own on the
    suite's PostgreSQL database."""
    from sqlalchemy import create_engine, text

    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if not uri.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    engine = create_engine(uri)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
        connection.execute(text("CREATE SCHEMA migration_check"))
    separator = "&" if "?" in uri else "?"
    try:
        yield f"{uri}{separator}options=-csearch_path%3Dmigration_check"
    finally:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA migration_check CASCADE"))
        engine.dispose()


# --- a real SMTP server -----------------------------------------------------------------------


def free_port() -> int:
    """A TCP port nothing listens on (right now)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    """aiosmtpd handler that keeps every message and can refuse chosen recipients."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.refused: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.refused:
            return self.refused[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class SmtpServer:
    """What the `smtp_server` fixture gives a test: the port and the parsed messages.

    Requests never send email; the worker does. `wait_for` plays the worker's part: it runs
    its delivery task (the app's, when it has one) while it waits.
    """

    def __init__(self, port: int, app=None) -> None:
        self.port = port
        self.app = app
        self.handler = RecordingHandler()
        self.controller = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list:
        import email
        import email.policy

        return [
            email.message_from_bytes(e.original_content, policy=email.policy.default)
            for e in self.handler.envelopes
        ]

    def refuse(self, address: str, reply: str = "550 5.1.1 No such mailbox here") -> None:
        self.handler.refused[address.lower()] = reply

    def wait_for(self, count: int, timeout: float = 5.0, *, deliver: bool = True) -> list:
        """The messages, once at least `count` have arrived; meanwhile the worker's delivery
        task runs (unless `deliver` is false: a real worker is running)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            if deliver and self.app is not None:
                self.deliver()
            if len(self.handler.envelopes) >= count or time.monotonic() >= deadline:
                return self.messages
            time.sleep(0.05)

    def deliver(self) -> None:
        """One run of the worker's outbox task, in a context (and session) of its own."""
        from baerekraft_hub.core.outbox import deliver_due

        with self.app.app_context():
            try:
                deliver_due()
            finally:
                _db.session.remove()


@pytest.fixture()
def smtp_server(app):
    """A real aiosmtpd server on a free port; the app sends its mail there during the test."""
    server = SmtpServer(free_port(), app)
    server.start()
    previous = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = server.port
    yield server
    server.stop()
    app.config["MAIL_PORT"] = previous


def text_of(message) -> str:
    """The plain-text part of a received email."""
    return message.get_body(preferencelist=("plain",)).get_content()


def links_in(message) -> list[str]:
    """Every URL in the plain-text part of a received email."""
    return re.findall(r"https?://\S+", text_of(message))


def dkim_key_pair(folder) -> tuple:
    """A fresh RSA key in `folder` (its path), and the DNS TXT record of its public half."""
    import base64
    import subprocess

    private = folder / "dkim.pem"
    subprocess.run(
        ["openssl", "genrsa", "-out", str(private), "2048"], check=True, capture_output=True
    )
    public = subprocess.run(
        ["openssl", "rsa", "-in", str(private), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    return private, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
