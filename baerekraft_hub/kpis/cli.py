"""`flask kpis import FILE`: KPI values from a CSV table or a JSON-stat file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from baerekraft_hub.core.progress import Progress
from baerekraft_hub.extensions import db
from baerekraft_hub.kpis.jsonstat import Mapping
from baerekraft_hub.kpis.services import check_file, store_checked
from baerekraft_hub.kpis.table import TableFileError

kpis_cli = AppGroup("kpis", help="U4SSC KPI values.")


@kpis_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and say what would change; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows even if others are not.")
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON-stat: the mapping file (default: the one shipped, data/ssb_mapping.json).",
)
def import_command(file: Path, dry_run: bool, skip_invalid: bool, mapping: Path | None) -> None:
    """Create or update values from a municipality × KPI × year table (re-import: unchanged)."""
    with force_locale("en"):
        data = file.read_bytes()
        try:
            loaded = Mapping.load(mapping) if mapping else None
            valid, problems = check_file(data, loaded)
        except TableFileError as error:
            raise click.ClickException(f"{file}: {error}") from None
        with Progress("importing", length=len(valid)) as progress:
            report = store_checked(
                valid,
                problems,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                progress=progress.advance,
            )
        for problem in report.problems:
            click.echo(f"error: {problem}", err=True)
        if report.blocked:
            db.session.rollback()
            raise click.ClickException(
                f"{len(report.problems)} problems: nothing imported "
                "(fix them, or use --skip-invalid to import the valid rows)"
            )
        if dry_run:
            db.session.rollback()
            click.echo(f"dry run, nothing written: {report.summary()}")
            return
        db.session.commit()
        click.echo(report.summary())
