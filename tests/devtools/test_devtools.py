"""The development-only mailbox page."""

from pathlib import Path


def test_the_mailbox_page_is_not_there_outside_development(client):
    assert client.get("/dev/epost/").status_code == 404


def test_the_mailbox_lists_received_emails_with_clickable_links(app, client, monkeypatch):
    folder = Path(app.instance_path) / "mailbox"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "000001.eml").write_bytes(
        b"To: kari@example.no\r\nSubject: Bekreft e-postadressen din\r\n"
        b"Date: Fri, 27 Nov 2026 06:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"\r\nHei Kari,\r\n\r\nhttp://127.0.0.1:5000/bekreft/abc.def/\r\n"
    )
    monkeypatch.setitem(app.config, "DEV_MAILBOX", True)
    try:
        html = client.get("/dev/epost/").get_data(as_text=True)
    finally:
        (folder / "000001.eml").unlink()
    assert "Bekreft e-postadressen din" in html and "kari@example.no" in html
    assert '<a class="ds-link" href="http://127.0.0.1:5000/bekreft/abc.def/">' in html


def test_the_development_server_also_runs_the_worker():
    import inspect

    from baerekraft_hub import devserver

    source = inspect.getsource(devserver.main)
    assert "run_worker" in source and "start_smtp_server" in source


def _wait_until_listening(port: int, process, timeout: float = 30.0) -> None:
    import socket
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the development server stopped"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


def test_flask_commands_use_the_ports_make_run_was_started_with(app, db, tmp_path, monkeypatch):
    """`PORT=… SMTP_PORT=… make run` in one shell; `flask users create` and a delivery in
    another, without those variables: the link and the email go to the running server."""
    import os
    import subprocess
    import sys

    from baerekraft_hub import create_app
    from baerekraft_hub.core.devmail import read_mailbox
    from baerekraft_hub.core.outbox import queue_email
    from baerekraft_hub.extensions import db as _db
    from tests.conftest import free_port

    port, smtp_port = free_port(), free_port()
    elsewhere = ("DATABASE_URL", "MAIL_PORT", "PUBLIC_URL", "PORT", "SMTP_PORT")
    for name in elsewhere:
        monkeypatch.delenv(name, raising=False)
    env = {k: v for k, v in os.environ.items() if k not in elsewhere}
    env["INSTANCE_PATH"] = str(tmp_path)
    command = [sys.executable, "-m", "baerekraft_hub.devserver"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--smtp-port", str(smtp_port)],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_listening(port, server)
        monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
        # The commands' app, as `flask` builds it from .flaskenv (on the suite's database).
        cli_app = create_app(
            "development", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
        )
        runner = cli_app.test_cli_runner()
        with cli_app.app_context():  # not the suite's app, which the `db` fixture holds
            created = runner.invoke(args=["users", "create", "kari@example.no", "--name", "K"])
            assert created.exit_code == 0, created.output
            assert f"http://127.0.0.1:{port}/" in created.output

            queue_email(
                to="kari@example.no",
                template="confirm_email",
                context={"name": "Kari", "url": f"http://127.0.0.1:{port}/bekreft/x/"},
                language="nb",
                dedup_key="devserver-ports",
            )
            _db.session.commit()
            delivered = runner.invoke(args=["outbox", "deliver"])
        assert "sent 1" in delivered.output, delivered.output
        assert [m["To"] for m in read_mailbox(str(tmp_path))] == ["kari@example.no"]
    finally:
        server.terminate()
        server.wait(timeout=10)
