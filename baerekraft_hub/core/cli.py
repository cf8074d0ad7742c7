"""`flask outbox …` and `flask worker`: the commands of core's own machinery."""

import click
from flask.cli import AppGroup, with_appcontext

outbox = AppGroup("outbox", help="The email outbox.")


@outbox.command("deliver")
@click.option("--limit", type=int, default=None, help="At most this many messages.")
@click.option(
    "--due-only", is_flag=True, help="Skip messages still waiting for their retry (for cron)."
)
def outbox_deliver(limit: int | None, due_only: bool) -> None:
    """Deliver the pending emails (also those waiting for a retry) until none is left or the
    server stops taking them; print counts."""
    from baerekraft_hub.core.outbox import deliver_all, unsent_count
    from baerekraft_hub.core.progress import Progress

    total = unsent_count() if limit is None else min(limit, unsent_count())
    with Progress("delivering", length=total) as progress:
        report = deliver_all(limit=limit, due_only=due_only, progress=progress.advance)
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
