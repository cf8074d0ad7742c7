"""Signed, expiring tokens for links sent by email (itsdangerous)."""

from __future__ import annotations

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
