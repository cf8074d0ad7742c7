"""Several machines on one PostgreSQL database, as the README's production section sets them
up: web servers with instance folders of their own and SEARCH_BACKEND=postgresql, and more
than one `flask worker`. Real processes, not app objects in this one."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import SmtpServer, csrf_from, free_port
from tests.search.engine.conftest import on_postgresql

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.one_database("postgresql"),
    pytest.mark.skipif(not on_postgresql(), reason="several machines share a PostgreSQL database"),
]


def _web_server(connection, uri: str, instance: str) -> None:
    """A web server process of its own: answers ("search", words) and ("publish", ids)."""
    os.environ["INSTANCE_PATH"] = instance
    from baerekraft_hub import create_app

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": uri, "SEARCH_BACKEND": "postgresql"})
    client = app.test_client()
    while (message := connection.recv()) is not None:
        action, argument = message
        if action == "search":
            found = client.get("/api/v1/search", query_string={"q": argument}).get_json()
            assert found["index_available"], "the database fallback answered, not the backend"
            connection.send(found["total"])
        else:  # publish: as the editor (argument: user id, project id) does it in a browser
            user_id, project_id = argument
            with client.session_transaction() as session:
                session["_user_id"], session["_fresh"] = user_id, True
            page = client.get(f"/prosjekter/{project_id}/").get_data(as_text=True)
            answer = client.post(
                f"/prosjekter/{project_id}/publiser/", data={"csrf_token": csrf_from(page)}
            )
            connection.send(answer.status_code)


class WebServer:
    def __init__(self, uri: str, instance: Path) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_web_server, args=(theirs, uri, str(instance)))
        self.process.start()

    def ask(self, action: str, argument) -> object:
        self.connection.send((action, argument))
        assert self.connection.poll(60), "the web server did not answer (see its error above)"
        return self.connection.recv()

    def stop(self) -> None:
        self.connection.send(None)
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()


def test_published_on_one_web_server_is_found_on_the_other_at_once(app, db, tmp_path):
    from tests.factories import make_member, make_project

    editor = make_member("1506", "editor")
    project = make_project(published=False, title="Pollinatorvennlige veikanter")
    db.session.commit()
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    first, second = WebServer(uri, tmp_path / "one"), WebServer(uri, tmp_path / "two")
    try:
        assert second.ask("search", "veikanter") == 0
        assert first.ask("publish", (editor.get_id(), project.id)) == 302
        # No worker runs, and the second has no index of its own to update: its next search
        # finds what the first committed.
        assert second.ask("search", "veikanter") == 1
        assert second.ask("search", "pollinatorvennlig") == 1
    finally:
        first.stop()
        second.stop()
    assert not (tmp_path / "two" / "search-index").exists()  # nothing was kept on the machine


def _flask_worker(uri: str, port: int, instance: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        FLASK_APP="wsgi.py",
        BAEREKRAFT_ENV="testing",
        INSTANCE_PATH=str(instance),
        SQLALCHEMY_DATABASE_URI=uri,
        SEARCH_BACKEND="postgresql",
        MAIL_PORT=str(port),
        WORKER_NEWSLETTERS_EVERY_SECONDS="1",
        NEWSLETTER_MESSAGES_PER_MINUTE="10000",
        WORKER_DIGESTS_EVERY_SECONDS="3600",
    )
    command = [sys.executable, "-m", "flask", "worker"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # noqa: S603


def test_two_flask_workers_at_once_send_each_message_once(app, db, tmp_path):
    from baerekraft_hub.newsletters import sending
    from tests.newsletters.conftest import newsletter, reader

    readers = [reader(db) for _ in range(80)]
    sending.send_now(newsletter())
    db.session.commit()
    server = SmtpServer(free_port())
    server.start()
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    workers = [_flask_worker(uri, server.port, tmp_path / name) for name in ("one", "two")]
    try:
        deadline = time.monotonic() + 90
        while len(server.handler.envelopes) < len(readers) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)  # anything sent twice would arrive by now
        received = server.messages
        both_ran = all(worker.poll() is None for worker in workers)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(10)
        server.stop()
    assert both_ran, "a worker stopped"
    by_recipient = Counter(message["To"] for message in received)
    assert set(by_recipient) == {user.email for user in readers}
    assert max(by_recipient.values()) == 1
