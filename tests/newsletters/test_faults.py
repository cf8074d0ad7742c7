"""Faults while a newsletter goes out: the mail server drops the connection after 30% of it,
or the worker is killed mid-send (SIGKILL) and started again. Either way every recipient gets
exactly one copy, and nobody else any."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from baerekraft_hub.core.outbox import deliver_all
from baerekraft_hub.newsletters import sending
from baerekraft_hub.newsletters.models import NewsletterStatus
from tests.conftest import RecordingHandler, SmtpServer, free_port
from tests.newsletters.conftest import newsletter, reader

ROOT = Path(__file__).resolve().parents[2]


class DroppingHandler(RecordingHandler):
    """Accepts `limit` messages, then drops every connection (421) until `recover()`."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.dropping = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.dropping or len(self.envelopes) >= self.limit:
            self.dropping = True
            server.transport.close()  # the connection drops mid-batch
            return "421 4.4.2 Connection dropped"
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _one_copy_each(received, readers) -> None:
    by_recipient = Counter(m["To"] for m in received)
    assert set(by_recipient) == {u.email for u in readers}
    assert max(by_recipient.values()) == 1


def test_a_connection_dropped_after_30_percent_resumes_with_one_copy_each(app, db):
    readers = [reader(db) for _ in range(100)]
    reader(db, confirmed=False)  # never gets it
    letter = newsletter()
    sending.send_now(letter)
    db.session.commit()
    sending.release_due()
    server = SmtpServer(free_port())
    server.handler = DroppingHandler(30)
    server.start()
    app.config["MAIL_PORT"] = server.port
    try:
        first = deliver_all(due_only=True)
        assert first.sent == 30 and first.retrying == 70
        assert sending.progress(letter).waiting == 70
        server.handler.dropping = False
        server.handler.limit = 10_000  # the server is back
        rest = deliver_all(due_only=False)  # the retries, at once (no waiting for back-off)
        assert rest.sent == 70
        assert deliver_all(due_only=False).sent == 0
        received = server.messages
    finally:
        server.stop()
        app.config["MAIL_PORT"] = 0
    assert len(received) == 100
    _one_copy_each(received, readers)
    sending.release_due()
    db.session.refresh(letter)
    assert letter.status == NewsletterStatus.SENT
    assert sending.progress(letter).sent == 100


class SlowHandler(RecordingHandler):
    """Takes a while over each message, and keeps only those whose sender is still there to
    hear the 250 (a sender killed before it did will send the message again: RFC 5321 4.1.1.4
    leaves such a message to the sender)."""

    def __init__(self, kill_at: int) -> None:
        super().__init__()
        self.kill_at = kill_at
        self.started = 0
        self.mid_send = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.started += 1
        if self.started == self.kill_at:
            self.mid_send.set()
        await asyncio.sleep(0.1)
        if server.transport is None or server.transport.is_closing():
            return "421 4.4.2 Sender gone"
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _worker(app, port: int) -> subprocess.Popen:
    env = dict(
        os.environ,
        FLASK_APP="wsgi.py",
        BAEREKRAFT_ENV="testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        MAIL_PORT=str(port),
        OUTBOX_CLAIM_TIMEOUT_SECONDS="1",
        WORKER_NEWSLETTERS_EVERY_SECONDS="1",
        NEWSLETTER_MESSAGES_PER_MINUTE="10000",
        WORKER_DIGESTS_EVERY_SECONDS="3600",
    )
    flask = [sys.executable, "-m", "flask", "worker"]
    return subprocess.Popen(flask, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # noqa: S603


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_worker_killed_mid_send_and_started_again_sends_one_copy_each(app, db):
    readers = [reader(db) for _ in range(60)]
    letter = newsletter()
    sending.send_now(letter)
    db.session.commit()
    server = SmtpServer(free_port())
    server.handler = SlowHandler(kill_at=25)
    server.start()
    first = second = None
    try:
        first = _worker(app, server.port)
        assert server.handler.mid_send.wait(60), "the worker sent nothing"
        first.send_signal(signal.SIGKILL)  # in the middle of message 25
        first.wait(10)
        killed_after = len(server.handler.envelopes)
        assert 20 <= killed_after < 60
        second = _worker(app, server.port)
        assert _wait(lambda: len(server.handler.envelopes) >= 60, 60)
        time.sleep(1.5)  # anything sent twice would arrive by now
        received = server.messages
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(10)
        server.stop()
    assert len(received) == 60
    _one_copy_each(received, readers)
