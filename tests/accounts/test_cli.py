"""`flask users`: accounts made from the command line."""

from __future__ import annotations

import re

from tests.accounts.helpers import path_of, users
from tests.factories import post_form

# --- the command line -------------------------------------------------------------------------


def test_users_create_prints_a_one_time_link_to_choose_a_password(runner, client, db):
    result = runner.invoke(
        args=["users", "create", "Koordinator@KS.no", "--name", "Kari Koordinator", "--coordinator"]
    )
    assert result.exit_code == 0, result.output
    (link,) = re.findall(r"http://localhost/velg-passord/\S+", result.output)
    (user,) = users(db)
    assert user.email == "koordinator@ks.no" and user.is_coordinator and user.password_hash is None

    response = post_form(client, path_of(link), {"password": "ny-sterk-setning-om-fjorder"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.confirmed_at is not None and user.password_hash
    assert client.get(path_of(link)).status_code == 400  # used


def test_users_create_takes_no_password_and_refuses_duplicates(runner, db):
    result = runner.invoke(
        args=["users", "create", "a@example.no", "--name", "A", "--password", "x"]
    )
    assert result.exit_code != 0 and "No such option" in result.output
    assert runner.invoke(args=["users", "create", "a@example.no", "--name", "A"]).exit_code == 0
    again = runner.invoke(args=["users", "create", "A@example.no", "--name", "A"])
    assert again.exit_code != 0 and "already an account" in again.output
