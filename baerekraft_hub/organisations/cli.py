"""`flask organisations network-member`: mark who is a member of Bærekraftsnettverket."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask.cli import AppGroup

from baerekraft_hub.extensions import db
from baerekraft_hub.organisations.models import OrgKind
from baerekraft_hub.organisations.services import get_by_reference, set_network_member

organisations_cli = AppGroup("organisations", help="Municipalities, counties and partners.")


@organisations_cli.command("network-member")
@click.argument("reference")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day it joined (YYYY-MM-DD). Default: today.",
)
@click.option("--remove", is_flag=True, help="It is no longer a member.")
def network_member(reference: str, since: datetime | None, remove: bool) -> None:
    """Mark a municipality or county (by number, e.g. 1506) a member of the network."""
    if remove and since:
        raise click.UsageError("--since and --remove do not go together")
    organisation = get_by_reference(reference)
    if organisation is None:
        raise click.ClickException(f"no organisation with number {reference!r}")
    if organisation.kind == OrgKind.PARTNER.value:
        raise click.ClickException(
            f"{organisation.name} is a partner, not a municipality or county"
        )
    day = None if remove else (since.date() if since else date.today())
    set_network_member(organisation, day)
    db.session.commit()
    if day is None:
        click.echo(f"{organisation.name} ({organisation.number}): not a member of the network")
    else:
        click.echo(f"{organisation.name} ({organisation.number}): member since {day.isoformat()}")
