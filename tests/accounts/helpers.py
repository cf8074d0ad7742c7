"""Helpers of the account tests: register through the form, read errors, list users."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from baerekraft_hub.accounts.models import User
from tests.factories import post_form

GOOD_PASSWORD = "grønn-fjord-lysende-kveld-42"  # noqa: S105


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def register(client, **overrides):
    data = {"name": "Kari Nordmann", "email": "kari@example.no", "password": GOOD_PASSWORD}
    data.update(overrides)
    return post_form(client, "/registrer/", data)


def errors_on(response) -> list[str]:
    html = response.get_data(as_text=True)
    return [
        re.sub(r"\s+", " ", m).strip()
        for m in re.findall(r"ds-validation-message[^>]*>([^<]*)<", html)
    ]


def users(db) -> list[User]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(User)))
