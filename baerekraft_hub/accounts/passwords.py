"""Password rules and hashing: long, not guessable offline (zxcvbn), stored with scrypt."""

from __future__ import annotations

from functools import cache

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

MAX_LENGTH = 200
# zxcvbn's dictionaries are English: add the Norwegian words and site names people reach for
# first, so "Passord2024!" or "bærekraft-molde" count as guessable too.
LOCAL_WORDS = [
    "passord",
    "hemmelig",
    "hemmeleg",
    "sommer",
    "sumar",
    "vinter",
    "høst",
    "haust",
    "vår",
    "norge",
    "noreg",
    "oslo",
    "bergen",
    "trondheim",
    "stavanger",
    "molde",
    "kommune",
    "fylkeskommune",
    "bærekraft",
    "baerekraft",
    "berekraft",
    "bærekraftshub",
    "baerekraftshub",
    "nettverk",
    "velkommen",
    "heisann",
    "kort",
    "lang",
    "mitt",
    "mittpassord",
]
# zxcvbn's cost grows with the length; past this a password is long enough anyway.
_CHECKED_PREFIX = 100


def password_problem(password: str, user_inputs: list[str]) -> str | None:
    """Why `password` is not good enough, in the user's language, or None when it is."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("Use at least %(num)d characters.", num=minimum)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(num)d characters.", num=MAX_LENGTH)
    # Imported when a password is checked: its dictionaries are 11 MB in every process that
    # imports the app (`flask worker`, each gunicorn worker), most of which never check one.
    from zxcvbn import zxcvbn

    inputs = [part for value in user_inputs if value for part in _parts(value)] + LOCAL_WORDS
    result = zxcvbn(password[:_CHECKED_PREFIX], user_inputs=inputs)
    if result["score"] < current_app.config["PASSWORD_MIN_SCORE"]:
        return _(
            "This password is too easy to guess. Use a longer phrase of several unrelated "
            "words, and avoid your name, your email address and common words."
        )
    return None


def _parts(value: str) -> list[str]:
    """'Kari Nordmann <kari.nordmann@molde.kommune.no>' → its words, which make weak passwords."""
    words = value.replace("@", " ").replace(".", " ").split()
    return [value, "".join(words), *words]


def hash_password(password: str) -> str:
    """A scrypt hash (werkzeug's default)."""
    return generate_password_hash(password)


@cache
def _dummy_hash() -> str:
    return generate_password_hash("a password nobody has")


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; as slow for a missing account as for a real one."""
    if not password_hash:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)
