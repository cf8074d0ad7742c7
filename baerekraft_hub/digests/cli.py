"""`flask digests send`: a period's digests by hand (the worker sends them when due)."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from baerekraft_hub.digests.models import Frequency
from baerekraft_hub.digests.periods import last_complete_period, period_containing

digests_cli = AppGroup("digests", help="Digest emails.")


@digests_cli.command("send")
@click.option(
    "--frequency",
    type=click.Choice([Frequency.DAILY.value, Frequency.WEEKLY.value]),
    required=True,
)
@click.option(
    "--period",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="A day of the period (Oslo time): that day, or the week it is in. "
    "Default: yesterday, or last week.",
)
@click.option("--no-deliver", is_flag=True, help="Only queue; the worker delivers.")
def send(frequency: str, day, no_deliver: bool) -> None:
    """Queue the digests of a period that are not queued yet, then deliver them."""
    from baerekraft_hub.core.outbox import deliver_all, unsent_count
    from baerekraft_hub.core.progress import Progress
    from baerekraft_hub.digests.runner import recipient_count, send_digests

    frequency = Frequency(frequency)
    if day is None:
        period = last_complete_period(frequency)
    else:
        period = period_containing(frequency, date(day.year, day.month, day.day))
    with Progress("composing", length=recipient_count(frequency)) as progress:
        report = send_digests(frequency, period, deliver=False, progress=progress.advance)
    if not no_deliver:
        with Progress("delivering", length=unsent_count()) as progress:
            report.delivery = deliver_all(progress=progress.advance)
    click.echo(str(report))
