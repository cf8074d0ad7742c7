"""Domain errors that views turn into form errors, flashes or status codes."""

from __future__ import annotations


class ValidationError(Exception):
    """The input breaks a domain rule; `message` is shown to the user, next to `field` if set.

    `message` may be a lazy string, so that services run outside a request (commands, the
    worker) can raise it; it is translated when shown.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
