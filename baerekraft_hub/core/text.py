"""Text helpers: text that must stay on one line (titles, names, tags, email subjects), and
Norwegian sorting."""

from __future__ import annotations

import unicodedata

# Characters that break a line without being control characters (Cc).
_LINE_SEPARATORS = {"\u2028", "\u2029"}
_NORWEGIAN_LAST = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


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


def norwegian_sort_key(name: str) -> str:
    """Sort as a Norwegian reader expects: Æ, Ø, Å after Z; other accents fold to their base."""
    lowered = name.casefold().translate(_NORWEGIAN_LAST)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
