"""`flask doctor`, `flask backup` and `flask restore`: the operator's commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("doctor")
@with_appcontext
def doctor() -> None:
    """Check this deployment's settings and services; print what is wrong and how to fix it.
    Exits 1 when anything is wrong (warnings alone exit 0)."""
    from baerekraft_hub.ops.doctor import examine

    app = current_app._get_current_object()
    errors = 0
    for name, findings in examine(app):
        if not findings:
            click.echo(f"ok   {name}")
        for finding in findings:
            click.echo(str(finding))
            errors += finding.severity == "error"
    if errors:
        click.echo(f"{errors} problem(s) found.", err=True)
        raise SystemExit(1)
    click.echo("No problems found.")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(file: Path) -> None:
    """Copy the SQLite database to FILE while the app runs (on PostgreSQL: print the pg_dump
    command to use)."""
    from baerekraft_hub.ops.backup import BackupError, backup_sqlite, postgres_commands, sqlite_path

    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        database = sqlite_path(uri)
        if database is None:
            dump, restore = postgres_commands(uri, str(file))
            click.echo("The database is PostgreSQL: back it up with pg_dump, while the app runs:")
            click.echo(f"  {dump}")
            click.echo("and restore it into an empty database with:")
            click.echo(f"  {restore}")
            raise SystemExit(1)  # nothing was backed up: a cron job must not think otherwise
        size = backup_sqlite(database, file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up {database} to {file} ({size / 1e6:.1f} MB).")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@with_appcontext
def restore(file: Path) -> None:
    """Restore a `flask backup` FILE into this instance, which must be empty (SQLite)."""
    from baerekraft_hub.extensions import db
    from baerekraft_hub.ops.backup import BackupError, restore_sqlite, sqlite_path

    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        database = sqlite_path(uri)
        if database is None:
            raise BackupError("the database is PostgreSQL: restore with pg_restore (flask backup)")
        db.engine.dispose()  # no connection of ours may hold the old file
        restore_sqlite(file, database)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {file} to {database}.")
    click.echo("Next: `flask db upgrade` (if the backup is older), then `flask search reindex`.")
