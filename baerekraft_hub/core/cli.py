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


mail = AppGroup("mail", help="Bounces and the addresses bulk email no longer goes to.")


@mail.command("bounces")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8026, show_default=True)
def mail_bounces(host: str, port: int) -> None:
    """Receive bounces (SMTP) for BOUNCE_DOMAIN until stopped: point the mail server's
    delivery for that domain here."""
    import threading

    from flask import current_app

    from baerekraft_hub.core.outbox.bounces import bounce_receiver

    if not current_app.config.get("BOUNCE_DOMAIN"):
        raise click.UsageError("Set BOUNCE_DOMAIN: the domain bounces are addressed to.")
    receiver = bounce_receiver(current_app._get_current_object(), host, port)
    receiver.start()
    click.echo(f"receiving bounces for {current_app.config['BOUNCE_DOMAIN']} on {host}:{port}")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        receiver.stop()


@mail.command("suppressed")
def mail_suppressed() -> None:
    """List the addresses bulk email no longer goes to, and why."""
    from baerekraft_hub.core.outbox.bounces import suppressions

    for row in suppressions():
        click.echo(f"{row.address}\t{row.reason}\t{row.created_at:%Y-%m-%d %H:%M}")


@mail.command("unsuppress")
@click.argument("address")
def mail_unsuppress(address: str) -> None:
    """Let bulk email go to ADDRESS again (its owner fixed the mailbox)."""
    from baerekraft_hub.core.outbox.bounces import lift
    from baerekraft_hub.extensions import db

    if not lift(address):
        raise click.ClickException(f"{address} is not suppressed")
    db.session.commit()
    click.echo(f"{address}: bulk email goes to it again")
