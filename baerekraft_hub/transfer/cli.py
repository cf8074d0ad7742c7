"""`flask projects …`: import projects and practices from JSON, export the list as CSV.

The group keeps the name `projects` that the README and scripts use, though it lives here.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from baerekraft_hub.core.progress import Progress
from baerekraft_hub.extensions import db
from baerekraft_hub.projects.models import ProjectStatus
from baerekraft_hub.projects.queries import ProjectFilters
from baerekraft_hub.transfer.export import iter_csv
from baerekraft_hub.transfer.import_format import ImportFileError, read_import_file
from baerekraft_hub.transfer.importer import import_rows

projects_cli = AppGroup("projects", help="Import and export projects and practices.")


@projects_cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate, say what would happen, write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows even if others are not.")
def import_command(file: Path, dry_run: bool, skip_invalid: bool) -> None:
    """Create or update projects and practices from a JSON array (re-import updates)."""
    try:
        rows = read_import_file(file)
    except ImportFileError as error:
        raise click.ClickException(str(error)) from None
    with Progress("importing", length=len(rows)) as progress:
        report = import_rows(
            rows, dry_run=dry_run, skip_invalid=skip_invalid, progress=progress.advance
        )
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for problem in report.problems:
        click.echo(f"error: {problem}", err=True)
    if report.blocked:
        db.session.rollback()
        invalid = len({p.row for p in report.problems})
        raise click.ClickException(
            f"{invalid} of {len(rows)} rows invalid: nothing imported "
            "(fix them, or use --skip-invalid to import the valid rows)"
        )
    if dry_run:
        db.session.rollback()
        for outcome in report.outcomes:
            click.echo(
                f"row {outcome.row} ({outcome.kind} {outcome.external_id}): "
                f"would be {outcome.action}"
            )
        click.echo(f"dry run, nothing written: {report.summary()}")
        return
    db.session.commit()
    click.echo(report.summary())


def _base_url() -> str:
    server = current_app.config.get("SERVER_NAME")
    if server:
        return f"{current_app.config['PREFERRED_URL_SCHEME']}://{server}"
    return "http://127.0.0.1:5000"


@projects_cli.command("export")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout."
)
@click.option("--goal", type=click.IntRange(1, 17))
@click.option("--target", help='A target id, "11.5".')
@click.option("--county", help='County number, "15".')
@click.option("--municipality", help='Municipality number, "1506".')
@click.option("--status", type=click.Choice([s.value for s in ProjectStatus]))
@click.option("--tag")
@click.option("--start-year", type=int)
@click.option("--delimiter", default=";", show_default=True, help="Norwegian Excel wants ';'.")
@click.option(
    "--base-url", help="Site address for the url column. Default: SERVER_NAME, else make run's."
)
def export_command(output: Path | None, delimiter: str, base_url: str | None, **filters) -> None:
    """Published projects matching the filters, as CSV for Excel (UTF-8 with BOM)."""
    if len(delimiter) != 1:
        raise click.BadParameter("one character", param_hint="--delimiter")
    # url_for needs a request to know the site's address; the CLI has none of its own.
    with current_app.test_request_context(base_url=base_url or _base_url()):
        pieces = list(iter_csv(ProjectFilters(**filters), None, delimiter=delimiter))
    text = "".join(pieces)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise click.ClickException(f"{output}: cannot be written ({error.strerror})") from None
    click.echo(f"{len(pieces) - 1} projects written to {output}", err=True)
