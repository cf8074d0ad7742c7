"""Weekly digests at scale: compose and deliver 10,000 to a real local SMTP server, then send
the same 10,000 messages with plain smtplib over one connection, and compare.

Goal (issue 6, raised since): (compose + queue + deliver) / (plain smtplib send) <= 1.5.
The plain send builds each message from the stored subject, text and HTML (with the app's own
builder, so both sides do that work alike) and sends it over one connection; the same send of
bytes built beforehand (SMTP alone) is printed too, with its ratio. The data is
generated with a fixed seed: 10,000 users with 2-6 follows each, 400 published projects and
a week of events (publications, status changes, updates, indicator values). The database is
a fresh SQLite file (or BENCH_DATABASE_URL, an empty PostgreSQL database; with a PostgreSQL
DATABASE_URL, <its name>_digest beside it, emptied first). BENCH_DIGESTS
sets the number of users; BENCH_PROFILE=1 prints a cProfile of the digest run.
"""

from __future__ import annotations

import json
import os
import random
import resource
import smtplib
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

RESULTS = Path("bench-results/digest.json")
SEED = 6
USERS = int(os.environ.get("BENCH_DIGESTS", "10000"))
PROJECTS = 400
MUNICIPALITIES = ["1506", "4601", "3301", "5001", "1804", "4204", "0301", "1103", "3201", "1505"]
TARGETS = ["11.5", "13.1", "13.2", "7.2", "12.5", "11.2", "6.3", "15.5", "3.4", "12.3"]


class CountingHandler:
    """An aiosmtpd handler that counts what it accepts (keeping 10,000 bodies is not needed)."""

    def __init__(self) -> None:
        self.accepted = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.accepted += 1
        return "250 OK"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _generate(rng: random.Random, period_start: date) -> None:
    """Users, follows, projects and a week of events, written in bulk."""
    from decimal import Decimal

    from sqlalchemy import insert, update

    from baerekraft_hub.accounts.models import User
    from baerekraft_hub.activity.models import ActivityEvent
    from baerekraft_hub.content.services import publish
    from baerekraft_hub.core.models import utcnow
    from baerekraft_hub.extensions import db
    from baerekraft_hub.follows.models import Follow
    from baerekraft_hub.organisations.models import Organisation
    from baerekraft_hub.projects import services as projects

    orgs = {
        o.number: o
        for o in db.session.scalars(
            db.select(Organisation).where(Organisation.number.in_(MUNICIPALITIES))
        )
    }
    made = []
    for n in range(PROJECTS):
        owner = orgs[rng.choice(MUNICIPALITIES)]
        data = projects.ProjectData(
            title=f"Prosjekt {n} i {owner.name}",
            summary="Et tiltak for en mer bærekraftig kommune.",
            owner=owner,
            target_ids=rng.sample(TARGETS, 2),
        )
        project = projects.create_project(data, None)
        publish(project, None)
        kind = rng.random()
        if kind < 0.3:
            projects.post_update(project, f"Oppdatering {n}", "Tekst", None)
        elif kind < 0.5:
            changed = projects.project_data_of(project)
            changed.status = "completed"
            projects.update_project(project, changed, None)
        elif kind < 0.6:
            indicator = projects.add_indicator(
                project,
                name="Andel",
                unit="%",
                baseline_value=Decimal(10),
                baseline_year=2024,
                target_value=Decimal(50),
                target_year=2030,
            )
            value = Decimal(rng.randint(10, 50))
            projects.record_indicator_value(indicator, value, date.today(), None)
        made.append(project)
    db.session.flush()
    # Spread the events over the period (they were recorded now).
    start = datetime.combine(period_start, datetime.min.time(), tzinfo=UTC)
    for event_id in db.session.scalars(db.select(ActivityEvent.id)):
        moment = start + timedelta(seconds=rng.randint(3600, 6 * 24 * 3600))
        db.session.execute(
            update(ActivityEvent).where(ActivityEvent.id == event_id).values(created_at=moment)
        )
    now = utcnow()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"person{n}@bench.example.no",
                "name": f"Person {n}",
                "language": rng.choice(["nb", "nb", "nn", "en"]),
                "digest_frequency": "weekly",
                "confirmed_at": now,
                "is_coordinator": False,
                "session_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for n in range(USERS)
        ],
    )
    user_ids = list(db.session.scalars(db.select(User.id).order_by(User.id)))
    follows = []
    for user_id in user_ids:
        choices = {
            ("organisation", str(orgs[rng.choice(MUNICIPALITIES)].id)),
            ("goal", str(rng.randint(1, 17))),
            ("target", rng.choice(TARGETS)),
        }
        for _ in range(rng.randint(0, 3)):
            choices.add(("project", str(rng.choice(made).id)))
        follows += [
            {"user_id": user_id, "kind": k, "key": key, "created_at": now} for k, key in choices
        ]
    db.session.execute(insert(Follow), follows)
    db.session.commit()


def _stored_messages(app) -> list:
    """The digests the app sent, as stored (detached rows: subject, text, HTML, headers)."""
    from sqlalchemy.orm import selectinload

    from baerekraft_hub.core.outbox import OutboxMessage
    from baerekraft_hub.extensions import db

    with app.app_context():
        query = db.select(OutboxMessage).options(selectinload(OutboxMessage.body))
        rows = list(db.session.scalars(query.order_by(OutboxMessage.id)))
        db.session.expunge_all()
    return rows


def _send_plain(app, port: int, rows: list, prebuilt: bool) -> float:
    """Seconds to send the rows with smtplib over one connection: building each message from
    its stored parts (with the same builder the app uses) and sending it, or (prebuilt)
    sending bytes built beforehand: SMTP alone."""
    from email.utils import parseaddr

    from baerekraft_hub.core.outbox.message import as_email_bytes

    sender = app.config["MAIL_DEFAULT_SENDER"]
    envelope_from = parseaddr(sender)[1]
    with app.app_context():
        payloads = [as_email_bytes(row, sender) for row in rows] if prebuilt else None
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for index, row in enumerate(rows):
                data = payloads[index] if prebuilt else as_email_bytes(row, sender)
                smtp.sendmail(envelope_from, [row.recipient], data)
        return time.perf_counter() - started


def _fresh_postgres() -> str | None:
    """An empty <name>_digest database beside a PostgreSQL DATABASE_URL, or None."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        return None
    from benchmarks.dataset import _reset_postgres

    url = f"{base.split('?')[0]}_digest"
    _reset_postgres(url)
    return url


def bench_app(tmp: str, port: int, **overrides):
    """The app on a fresh SQLite file in `tmp` (or BENCH_DATABASE_URL, or a fresh <name>_digest
    database beside a PostgreSQL DATABASE_URL), migrated and with the reference data loaded,
    sending to `port`; and its database URI."""
    from flask_migrate import upgrade

    from baerekraft_hub import create_app
    from baerekraft_hub.core.reference import Upserter
    from baerekraft_hub.extensions import db
    from baerekraft_hub.organisations.services import load_reference as load_orgs
    from baerekraft_hub.sdg.services import load_reference as load_sdg

    os.environ["INSTANCE_PATH"] = tmp
    uri = (
        os.environ.get("BENCH_DATABASE_URL") or _fresh_postgres() or f"sqlite:///{tmp}/bench.sqlite"
    )
    settings = {
        "SQLALCHEMY_DATABASE_URI": uri,
        "MAIL_PORT": port,
        "PUBLIC_URL": "https://baerekraftshub.no",
        "SECRET_KEY": "bench",
    }
    app = create_app("default", dict(settings, **overrides))
    with app.app_context():
        upgrade()
        upsert = Upserter()
        load_sdg(upsert)
        load_orgs(upsert)
        db.session.commit()
    return app, uri


def run() -> dict[str, object]:
    from aiosmtpd.controller import Controller

    from baerekraft_hub.digests.models import Frequency
    from baerekraft_hub.digests.periods import last_complete_period

    rng = random.Random(SEED)
    handler = CountingHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    with tempfile.TemporaryDirectory() as tmp:
        app, uri = bench_app(tmp, port)
        period = last_complete_period(Frequency.WEEKLY)
        with app.app_context():
            started = time.perf_counter()
            _generate(rng, period.start)
            generated = time.perf_counter() - started

        with app.app_context():
            from baerekraft_hub.core.outbox import deliver_all
            from baerekraft_hub.digests.runner import send_digests

            def compose_and_deliver():
                started = time.perf_counter()
                report = send_digests(Frequency.WEEKLY, period, deliver=False)
                composed = time.perf_counter()
                report.delivery = deliver_all()
                return report, composed - started, time.perf_counter() - composed

            if os.environ.get("BENCH_PROFILE"):
                import cProfile
                import pstats

                profile = cProfile.Profile()
                report, compose_seconds, deliver_seconds = profile.runcall(compose_and_deliver)
                pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
            else:
                report, compose_seconds, deliver_seconds = compose_and_deliver()
            app_seconds = compose_seconds + deliver_seconds
            # What `flask worker` would hold for this run; an upper bound, as this process
            # also generated the data (and ran any bench before it).
            peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        accepted_by_app = handler.accepted

        rows = _stored_messages(app)
        sample = rows[:200]
        average_size = sum(len(r.body_text) + len(r.body_html) for r in sample) / len(sample)
        plain_seconds = _send_plain(app, port, rows, prebuilt=False)
        smtp_only_seconds = _send_plain(app, port, rows, prebuilt=True)
    controller.stop()

    figures = {
        "users": USERS,
        "digests_queued": report.queued,
        "digests_accepted_by_server": accepted_by_app,
        "average_digest_kb": round(average_size / 1000, 1),
        "nothing_new": report.nothing_new,
        "generate_seconds": round(generated, 2),
        "app_compose_queue_deliver_seconds": round(app_seconds, 2),
        "of_which_compose_queue_seconds": round(compose_seconds, 2),
        "of_which_deliver_seconds": round(deliver_seconds, 2),
        "plain_smtplib_seconds": round(plain_seconds, 2),
        "ratio": round(app_seconds / plain_seconds, 2),
        "smtp_only_prebuilt_seconds": round(smtp_only_seconds, 2),
        "ratio_to_smtp_only": round(app_seconds / smtp_only_seconds, 2),
        "goal_ratio": 1.5,
        "peak_rss_mb": peak_rss_mb,
        "database": "postgresql" if uri.startswith("postgres") else "sqlite",
    }
    for name, value in figures.items():
        print(f"{name:<36}{value:>12}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2), "utf-8")
    return figures


if __name__ == "__main__":
    run()
