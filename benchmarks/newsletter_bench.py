"""A newsletter to 10,000 recipients: freeze the list, release it into the outbox and deliver it
to a real local SMTP server; then send the same 10,000 messages with plain smtplib over one
connection, and compare.

Goal from issue 13: (freeze + release + deliver) / (plain smtplib send) <= 1.5. The plain send
builds each message from the stored subject, text and HTML with the app's own builder, as the
digest bench does. The database is a fresh SQLite file (or BENCH_DATABASE_URL, an empty
PostgreSQL database); BENCH_NEWSLETTER sets the number of recipients; BENCH_PROFILE=1 prints a
cProfile of the app's run.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from benchmarks.digest_bench import (
    CountingHandler,
    _free_port,
    _send_plain,
    _stored_messages,
    bench_app,
)

RESULTS = Path("bench-results/newsletter.json")
RECIPIENTS = int(os.environ.get("BENCH_NEWSLETTER", "10000"))
BODY = """Kjære alle i Bærekraftsnettverket,

Her er **desemberbrevet**: tre kommuner deler erfaringer med [overvann](https://baerekraftshub.no/prosjekter/1/),
og vi minner om samlingen i januar.

- Regnbed i Molde
- Flomveier i Bergen
- Grønne tak i Bodø
"""


def _generate() -> None:
    from sqlalchemy import insert

    from baerekraft_hub.accounts.models import User
    from baerekraft_hub.core.models import utcnow
    from baerekraft_hub.extensions import db

    now = utcnow()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"person{n}@bench.example.no",
                "name": f"Person {n}",
                "language": ("nb", "nn", "en")[n % 3],
                "digest_frequency": "none",
                "confirmed_at": now,
                "newsletter_consent_at": now,
                "is_coordinator": n == 0,
                "session_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for n in range(RECIPIENTS)
        ],
    )
    db.session.commit()


def _send_newsletter() -> tuple[int, float, float]:
    """Freeze, release and deliver; the recipients, and the seconds to queue and to deliver."""
    from baerekraft_hub.accounts.models import User
    from baerekraft_hub.core.outbox import deliver_all
    from baerekraft_hub.extensions import db
    from baerekraft_hub.newsletters import sending
    from baerekraft_hub.newsletters.audience import Audience
    from baerekraft_hub.newsletters.services import NewsletterData, create_newsletter

    author = db.session.scalars(db.select(User).where(User.is_coordinator)).first()
    data = NewsletterData("Desember i nettverket", "Tre kommuner", BODY, "", "des", Audience())
    started = time.perf_counter()
    letter = create_newsletter(data, author)
    recipients = sending.send_now(letter)
    db.session.commit()
    sending.release_due()
    queued = time.perf_counter()
    deliver_all()
    return recipients, queued - started, time.perf_counter() - queued


def run() -> dict[str, object]:
    from aiosmtpd.controller import Controller

    handler = CountingHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    with tempfile.TemporaryDirectory() as tmp:
        # One slice: the bench measures the sending, not the throttle.
        app, uri = bench_app(tmp, port, NEWSLETTER_MESSAGES_PER_MINUTE=RECIPIENTS)
        with app.app_context():
            _generate()

        with app.app_context():
            if os.environ.get("BENCH_PROFILE"):
                import cProfile
                import pstats

                profile = cProfile.Profile()
                recipients, queue_seconds, deliver_seconds = profile.runcall(_send_newsletter)
                pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
            else:
                recipients, queue_seconds, deliver_seconds = _send_newsletter()
        accepted_by_app = handler.accepted
        app_seconds = queue_seconds + deliver_seconds
        rows = _stored_messages(app)
        plain_seconds = _send_plain(app, port, rows, prebuilt=False)
    controller.stop()

    figures = {
        "recipients": recipients,
        "accepted_by_server": accepted_by_app,
        "app_freeze_release_deliver_seconds": round(app_seconds, 2),
        "of_which_freeze_release_seconds": round(queue_seconds, 2),
        "of_which_deliver_seconds": round(deliver_seconds, 2),
        "plain_smtplib_seconds": round(plain_seconds, 2),
        "ratio": round(app_seconds / plain_seconds, 2),
        "goal_ratio": 1.5,
        "database": "postgresql" if uri.startswith("postgres") else "sqlite",
    }
    for name, value in figures.items():
        print(f"{name:<36}{value:>12}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2), "utf-8")
    return figures


if __name__ == "__main__":
    run()
