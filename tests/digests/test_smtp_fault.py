"""The mail server stops after accepting 300 of 1,000 digests; when it is back, `flask outbox
deliver` completes the rest: 1,000 distinct digests arrive in total, none twice."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from baerekraft_hub.core.outbox import OutboxMessage, OutboxStatus
from baerekraft_hub.digests.models import Frequency
from baerekraft_hub.digests.runner import send_digests
from baerekraft_hub.follows.models import Follow
from tests.conftest import RecordingHandler, SmtpServer, free_port
from tests.factories import make_project, make_user

DIGESTS = 1_000
ACCEPTED_BEFORE_STOP = 300


class StoppingHandler(RecordingHandler):
    """Accepts `limit` messages, then answers 421 (closing) and shuts the server down."""

    def __init__(self, server: SmtpServer, limit: int) -> None:
        super().__init__()
        self.server = server
        self.limit = limit
        self.stopping = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.stopping:
            return "421 4.3.2 Service shutting down"
        self.envelopes.append(envelope)
        if len(self.envelopes) == self.limit:
            self.stopping = True
            # Stop from another thread once this 250 has gone out (stopping waits for the
            # server's own thread, which is the one running this handler).
            threading.Thread(target=self._stop_soon, daemon=True).start()
        return "250 Message accepted for delivery"

    def _stop_soon(self) -> None:
        time.sleep(0.2)
        self.server.stop()


# On PostgreSQL the claim skips locked rows and outcomes commit without waiting for the disk:
# the paths where "exactly once" could break. SQLite adds nothing the other tests lack.
@pytest.mark.one_database("postgresql")
def test_a_server_that_stops_midway_gets_every_digest_exactly_once(app, db, runner, today):
    users = [make_user() for _ in range(DIGESTS)]
    db.session.add_all(Follow(user_id=u.id, kind="goal", key="13") for u in users)
    for user in users:
        user.digest_frequency = "daily"
    make_project(title="Regnbed", target_ids=["13.1"])
    db.session.commit()

    port = free_port()
    first = SmtpServer(port)
    first.handler = StoppingHandler(first, ACCEPTED_BEFORE_STOP)
    first.start()
    app.config["MAIL_PORT"] = port
    second = SmtpServer(port)
    try:
        report = send_digests(Frequency.DAILY, today)
        assert report.queued == DIGESTS
        assert report.delivery.sent == ACCEPTED_BEFORE_STOP
        deadline = time.monotonic() + 5
        while first.controller is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert first.controller is None, "the first server did not stop"

        second.start()  # the server is back
        result = runner.invoke(args=["outbox", "deliver"])
        assert result.exit_code == 0, result.output
        assert f"sent {DIGESTS - ACCEPTED_BEFORE_STOP}," in result.output
        again = runner.invoke(args=["outbox", "deliver"])
        assert "sent 0," in again.output
        received = first.messages + second.wait_for(DIGESTS - ACCEPTED_BEFORE_STOP)
    finally:
        first.stop()
        second.stop()
        app.config["MAIL_PORT"] = 0

    assert len(received) == DIGESTS
    by_recipient = Counter(m["To"] for m in received)
    assert set(by_recipient) == {u.email for u in users}
    assert max(by_recipient.values()) == 1
    assert len({m["Message-ID"] for m in received}) == DIGESTS
    db.session.expire_all()
    statuses = Counter(db.session.scalars(db.select(OutboxMessage.status)))
    assert statuses == {OutboxStatus.SENT.value: DIGESTS}
