"""`flask seed …`: reference data and demo content."""

import click
from flask.cli import AppGroup, with_appcontext

from baerekraft_hub.core.reference import Upserter
from baerekraft_hub.extensions import db

seed = AppGroup("seed", help="Load reference data and demo content.")


@seed.command("reference")
def seed_reference() -> None:
    """Load SDGs, municipalities, counties, partners and U4SSC KPIs (idempotent)."""
    from baerekraft_hub.organisations.services import load_reference as load_organisations
    from baerekraft_hub.sdg.services import load_reference as load_sdg

    upsert = Upserter()
    counts = load_sdg(upsert) | load_organisations(upsert)
    db.session.commit()
    order = ["goals", "targets", "indicators", "municipalities", "counties", "partners", "KPIs"]
    click.echo(", ".join(f"{counts[name]} {name}" for name in order))
    if upsert.changes:
        click.echo(f"created {upsert.changes['created']}, updated {upsert.changes['updated']}")
    else:
        click.echo("no changes")


@seed.command("demo")
@click.option(
    "--once",
    is_flag=True,
    help="Do nothing if demo content was loaded before, so edits to it survive (make run).",
)
@click.option("--remove", is_flag=True, help="Delete all demo content instead.")
def seed_demo(once: bool, remove: bool) -> None:
    """Load about 30 labelled demo projects and practices (idempotent; needs `seed reference`)."""
    from baerekraft_hub.projects import demo
    from baerekraft_hub.sdg.models import Goal

    if remove:
        removed = demo.remove_demo()
        db.session.commit()
        click.echo(f"removed {removed} demo projects and practices")
        return
    if db.session.scalar(db.select(Goal.number).limit(1)) is None:
        raise click.ClickException("no reference data: run `flask seed reference` first")
    if once and demo.demo_loaded():
        click.echo("demo content: loaded before, left as it is (`flask seed demo` reloads it)")
        return
    try:
        counts = demo.load_demo()
    except demo.DemoContentError as error:
        db.session.rollback()
        raise click.ClickException(f"the demo file does not import: {error}") from None
    db.session.commit()
    click.echo(
        f"demo content: {counts.total()} items; created {counts['created']}, "
        f"updated {counts['updated']}, unchanged {counts['unchanged']}"
    )


outbox = AppGroup("outbox", help="The email outbox.")


@outbox.command("deliver")
@click.option("--limit", type=int, default=None, help="At most this many messages.")
@click.option(
    "--due-only", is_flag=True, help="Skip messages still waiting for their retry (for cron)."
)
def outbox_deliver(limit: int | None, due_only: bool) -> None:
    """Deliver the pending emails (also those waiting for a retry) until none is left or the
    server stops taking them; print counts."""
    from baerekraft_hub.core.outbox import deliver_all

    report = deliver_all(limit=limit, due_only=due_only)
    click.echo(str(report))
    for error in report.errors[:10]:
        click.echo(f"  {error}", err=True)


@click.command("worker")
@click.option("--once", is_flag=True, help="Run every task once, then stop.")
@with_appcontext
def worker(once: bool) -> None:
    """Run the periodic tasks (email delivery, and more later) until stopped."""
    import signal
    import threading

    from flask import current_app

    from baerekraft_hub.core.worker import registered_tasks, run_worker

    app = current_app._get_current_object()
    stop = threading.Event()
    # Finish the task at hand on SIGTERM/Ctrl-C, then stop; put the old handlers back after.
    previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGTERM, signal.SIGINT)}
    names = ", ".join(f"{t.name} every {t.every_seconds:g}s" for t in registered_tasks())
    click.echo(f"worker: {names}")
    try:
        run_worker(app, stop=stop, once=once)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
