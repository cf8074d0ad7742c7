"""`flask seed …`: reference data (and, later, demo content)."""

import click
from flask.cli import AppGroup

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
