"""Signed, expiring tokens for links sent by email (itsdangerous)."""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class Purpose(StrEnum):
    CONFIRM_EMAIL = "confirm-email"
    RESET_PASSWORD = "reset-password"  # noqa: S105 - a name, not a password
    SET_PASSWORD = "set-password"  # noqa: S105
    UNSUBSCRIBE = "digest-unsubscribe"
    NEWSLETTER_UNSUBSCRIBE = "newsletter-unsubscribe"


_MAX_AGE_SETTING = {
    Purpose.CONFIRM_EMAIL: "CONFIRM_TOKEN_MAX_AGE",
    Purpose.RESET_PASSWORD: "RESET_TOKEN_MAX_AGE",
    Purpose.SET_PASSWORD: "SET_PASSWORD_TOKEN_MAX_AGE",
    Purpose.UNSUBSCRIBE: "DIGEST_UNSUBSCRIBE_TOKEN_MAX_AGE",
    Purpose.NEWSLETTER_UNSUBSCRIBE: "NEWSLETTER_UNSUBSCRIBE_TOKEN_MAX_AGE",
}


class TokenExpired(Exception):
    """The link was real but is too old."""


class TokenInvalid(Exception):
    """The link was tampered with, cut short, or made for something else."""


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    # A salt per purpose: a confirmation token can never be used to reset a password.
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"baerekraft.{purpose}")


def make_token(purpose: Purpose, payload: dict[str, Any]) -> str:
    """A URL-safe signed token carrying `payload`."""
    return _serializer(purpose).dumps(payload)


def read_token(purpose: Purpose, token: str) -> dict[str, Any]:
    """The payload of a token made for `purpose`; raises TokenExpired or TokenInvalid."""
    max_age = current_app.config[_MAX_AGE_SETTING[purpose]]
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenExpired from exc
    except BadSignature as exc:
        raise TokenInvalid from exc
    if not isinstance(payload, dict):
        raise TokenInvalid
    return payload


def _address_fingerprint(user) -> str:
    return hashlib.sha256(user.email.encode()).hexdigest()[:12]


def address_token(purpose: Purpose, user) -> str:
    """A token for `user` that names the address it was sent to: it stops working when the
    account's address changes (or its id goes to someone else). For one-click links in email."""
    return make_token(purpose, {"id": user.id, "e": _address_fingerprint(user)})


def user_for_address_token(purpose: Purpose, token: str):
    """The user an `address_token` was made for; raises TokenExpired or TokenInvalid."""
    from baerekraft_hub.accounts.models import User
    from baerekraft_hub.extensions import db

    payload = read_token(purpose, token)
    user_id = payload.get("id")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or payload.get("e") != _address_fingerprint(user):
        raise TokenInvalid
    return user
