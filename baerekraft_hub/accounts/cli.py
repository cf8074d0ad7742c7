"""`flask users …`: bootstrap accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from baerekraft_hub.accounts import services
from baerekraft_hub.core.errors import ValidationError
from baerekraft_hub.extensions import db

users = AppGroup("users", help="Manage accounts.")


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--coordinator", is_flag=True, help="Make them network coordinator.")
def create(email: str, name: str, coordinator: bool) -> None:
    """Create an account and print a one-time link for its owner to choose a password.

    There is deliberately no password option: it would end up in the shell history.
    """
    try:
        user = services.create_user(email, name=name, coordinator=coordinator)
    except ValidationError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    role = "network coordinator" if coordinator else "user"
    click.echo(f"Created {role} {user.email}.")
    click.echo("Send them this one-time link to choose a password (valid for 7 days):")
    click.echo(services.set_password_url(user))
