"""Text that must stay on one line: titles, names, tags, email subjects."""

from __future__ import annotations

import unicodedata

# Characters that break a line without being control characters (Cc).
_LINE_SEPARATORS = {"\u2028", "\u2029"}


def _breaks_line(char: str) -> bool:
    return char in _LINE_SEPARATORS or unicodedata.category(char) == "Cc"


def is_single_line(text: str) -> bool:
    """True when `text` has no line break, tab or other control character."""
    return not any(_breaks_line(c) for c in text)


def one_line(text: str) -> str:
    """`text` on one line: control characters and runs of whitespace become one space.

    For text already stored (or written by another program) that ends up where a line
    break would do harm, such as an email's Subject header.
    """
    spaced = "".join(" " if _breaks_line(c) else c for c in text)
    return " ".join(spaced.split())
