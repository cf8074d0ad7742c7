"""Requests never wait for mail: `flask worker` delivers, and survives a failing task."""

from __future__ import annotations

import threading

import pytest

from baerekraft_hub.core import outbox
from baerekraft_hub.core.outbox import (
    OutboxStatus,
    deliver_pending,
)
from baerekraft_hub.core.worker import register_task, registered_tasks, run_worker
from tests.conftest import free_port
from tests.core.outbox_helpers import queue_one, rows_of
from tests.factories import make_user


def register(client, email: str = "kari@example.no"):
    from tests.conftest import csrf_from

    csrf = csrf_from(client.get("/registrer/").get_data(as_text=True))
    return client.post(
        "/registrer/",
        data={
            "csrf_token": csrf,
            "name": "Kari Nordmann",
            "email": email,
            "password": "grønn-fjord-lysende-kveld-42",
        },
    )


def ask_for_reset(client, email: str):
    from tests.conftest import csrf_from

    csrf = csrf_from(client.get("/glemt-passord/").get_data(as_text=True))
    return client.post("/glemt-passord/", data={"csrf_token": csrf, "email": email})


class HungMailServer:
    """Accepts TCP connections and never says a word, as a stuck mail server does."""

    def __init__(self) -> None:
        import socket

        self.socket = socket.create_server(("127.0.0.1", 0), backlog=16)
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.connections: list = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            self.connections.append(connection)  # kept open, never answered

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        for connection in self.connections:
            connection.close()
        self.socket.close()


@pytest.fixture()
def hung_mail_server(app):
    server = HungMailServer()
    previous = app.config["MAIL_PORT"], app.config["MAIL_TIMEOUT"]
    app.config["MAIL_PORT"], app.config["MAIL_TIMEOUT"] = server.port, 10
    yield server
    server.stop()
    app.config["MAIL_PORT"], app.config["MAIL_TIMEOUT"] = previous


def test_a_hung_mail_server_does_not_slow_down_any_request(client, db, hung_mail_server):
    import time

    make_user("ola@example.no")
    db.session.commit()
    timings = {}
    for name, send in [
        ("registration", lambda: register(client)),
        ("password reset", lambda: ask_for_reset(client, "ola@example.no")),
        ("front page", lambda: client.get("/")),
    ]:
        started = time.monotonic()
        response = send()
        timings[name] = time.monotonic() - started
        assert response.status_code in (200, 302), name
    # Each took far less than the 10 s (MAIL_TIMEOUT) a request would wait for the silent
    # server (generous: the suite shares a busy machine).
    assert max(timings.values()) < 5, timings
    assert hung_mail_server.connections == []  # no request even tried the mail server
    assert {row.template for row in rows_of(db)} == {"confirm_email", "reset_password"}
    assert {row.status for row in rows_of(db)} == {OutboxStatus.PENDING}


def test_the_worker_delivers_a_confirmation_within_two_seconds(app, client, db, smtp_server):
    import time

    run_worker(app, once=True)  # a first round of every task (building a missing index...)
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(app,), kwargs={"stop": stop})
    worker.start()
    try:
        time.sleep(0.2)  # the worker's own first round, with nothing left to do, is over
        assert register(client).status_code == 302
        committed = time.monotonic()
        messages = smtp_server.wait_for(1, timeout=5, deliver=False)  # the worker's doing
        arrived = time.monotonic() - committed
    finally:
        stop.set()
        worker.join(timeout=10)
    assert [m["To"] for m in messages] == ["kari@example.no"]
    assert arrived < 2.0


def test_a_rolled_back_transaction_delivers_nothing(app, db, smtp_server):
    queue_one()
    db.session.rollback()
    assert deliver_pending().sent == 0


def test_cli_deliver_prints_counts(runner, db, smtp_server):
    queue_one()
    db.session.commit()
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert "sent 1, retrying 0, failed 0, dropped 0" in result.output


def test_worker_runs_every_registered_task_and_survives_a_failing_one(app, db):
    calls = []

    def boom():
        raise RuntimeError("broken task")

    register_task("test-boom", boom, every_seconds=60)
    register_task("test-ok", lambda: calls.append("ok"), every_seconds=60)
    try:
        names = [t.name for t in registered_tasks()]
        assert names[0] == "outbox" and {"test-boom", "test-ok"} <= set(names)
        run_worker(app, once=True)
        assert calls == ["ok"]
    finally:
        outbox_task = {t.name: t for t in registered_tasks()}
        from baerekraft_hub.core import worker

        worker._tasks.pop("test-boom", None)
        worker._tasks.pop("test-ok", None)
        assert "outbox" in outbox_task


def test_worker_stops_when_told(app, db):
    stop = threading.Event()
    thread = threading.Thread(target=run_worker, args=(app,), kwargs={"stop": stop})
    thread.start()
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()


def test_register_task_needs_a_positive_interval():
    with pytest.raises(ValueError):
        register_task("never", lambda: None, every_seconds=0)


def test_the_outbox_module_exports_its_api():
    for name in ("queue_email", "deliver_pending", "OutboxMessage", "forget_user"):
        assert hasattr(outbox, name)


def test_with_the_mail_server_down_registration_succeeds_and_is_sent_once_later(
    app, client, db, runner
):
    """The issue's promise: nothing lost while SMTP is down, nothing doubled when it is back."""
    from tests.conftest import SmtpServer, links_in

    port = free_port()  # nothing listens here yet
    app.config["MAIL_PORT"] = port
    server = SmtpServer(port)
    try:
        assert register(client).status_code == 302  # registered; the worker sends the email
        runner.invoke(args=["worker", "--once"])  # which cannot go yet
        (row,) = rows_of(db)
        assert row.status == OutboxStatus.PENDING and row.attempts == 1
        assert "could not connect" in row.last_error

        server.start()  # the mail server is back
        first = runner.invoke(args=["outbox", "deliver"])
        assert "sent 1" in first.output, first.output
        second = runner.invoke(args=["outbox", "deliver"])
        assert "sent 0" in second.output
        (message,) = server.wait_for(1)
        assert message["To"] == "kari@example.no"
        assert "/bekreft/" in links_in(message)[0]
        assert rows_of(db)[0].status == OutboxStatus.SENT
    finally:
        server.stop()
        app.config["MAIL_PORT"] = 0


def test_flask_worker_once_runs_the_outbox_task(runner, db, smtp_server):
    queue_one()
    db.session.commit()
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "outbox every" in result.output
    assert len(smtp_server.wait_for(1)) == 1


def test_a_long_task_gives_its_memory_back_and_a_short_one_does_not(app, monkeypatch):
    from baerekraft_hub.core import worker

    released = []
    monkeypatch.setattr(worker, "release_memory", lambda: released.append(True))
    task = worker.Task("test-big", lambda: "done", every_seconds=60)
    monkeypatch.setattr(worker, "RELEASE_AFTER_SECONDS", 3600.0)
    assert worker.run_task(app, task) == "done"
    assert released == []
    monkeypatch.setattr(worker, "RELEASE_AFTER_SECONDS", 0.0)
    assert worker.run_task(app, task) == "done"
    assert released == [True]


def test_the_app_leaves_the_password_checker_unloaded_until_a_password_is_checked(tmp_path):
    """zxcvbn's dictionaries are 11 MB: `flask worker` and most requests never need them."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "from baerekraft_hub import create_app\n"
        "app = create_app('testing')\n"
        "print('zxcvbn' in sys.modules)\n"
        "from baerekraft_hub.accounts.passwords import password_problem\n"
        "with app.test_request_context():\n"
        "    password_problem('grønn-fjord-lysende-kveld-42', [])\n"
        "print('zxcvbn' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=dict(os.environ, INSTANCE_PATH=str(tmp_path)),
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split()[-2:] == ["False", "True"]
