"""`flask seed …`: reference data and demo content, for every domain that has some.

It stands beside the app factory, above the domains it loads, so `core` imports none of them.
"""

import click
from flask.cli import AppGroup

from baerekraft_hub.core.progress import Progress
from baerekraft_hub.core.reference import Upserter
from baerekraft_hub.extensions import db
from baerekraft_hub.kpis import demo as kpi_demo
from baerekraft_hub.kpis.services import remove_demo_values
from baerekraft_hub.organisations.services import load_reference as load_organisations
from baerekraft_hub.sdg.models import Goal
from baerekraft_hub.sdg.services import load_reference as load_sdg
from baerekraft_hub.transfer import demo

seed = AppGroup("seed", help="Load reference data and demo content.")


@seed.command("reference")
def seed_reference() -> None:
    """Load SDGs, municipalities, counties, partners and U4SSC KPIs (idempotent)."""
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
    if remove:
        removed = demo.remove_demo()
        values = remove_demo_values()
        db.session.commit()
        click.echo(f"removed {removed} demo projects and practices, {values} demo KPI values")
        return
    if db.session.scalar(db.select(Goal.number).limit(1)) is None:
        raise click.ClickException("no reference data: run `flask seed reference` first")
    if once and demo.demo_loaded():
        click.echo("demo content: loaded before, left as it is (`flask seed demo` reloads it)")
        if not kpi_demo.demo_values_loaded():
            _seed_demo_values()
        return
    try:
        with Progress("demo content", length=len(demo.demo_rows())) as progress:
            counts = demo.load_demo(progress=progress.advance)
    except demo.DemoContentError as error:
        db.session.rollback()
        raise click.ClickException(f"the demo file does not import: {error}") from None
    db.session.commit()
    click.echo(
        f"demo content: {counts.total()} items; created {counts['created']}, "
        f"updated {counts['updated']}, unchanged {counts['unchanged']}"
    )
    _seed_demo_values()


def _seed_demo_values() -> None:
    """Demo KPI values for the demo municipalities (several years, so trends exist)."""
    counts = kpi_demo.load_demo_values()
    db.session.commit()
    click.echo(
        f"demo KPI values: created {counts['created']}, updated {counts['updated']}, "
        f"unchanged {counts['unchanged']}"
    )
