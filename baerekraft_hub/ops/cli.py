"""`flask doctor`, `flask backup` and `flask restore`: the operator's commands."""

from __future__ import annotations

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
