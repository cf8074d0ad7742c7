"""Result snippets: a short window of the document's text with the matched words in <mark>.

We build snippets ourselves instead of using Whoosh's highlighter so that a word counts as a
match by the same analysis that found it (skulen marks for `skole`, solcelleanlegget for
`solceller`), and so that escaping is in one obvious place: every character of document text
goes through `html.escape`; only our own <mark> tags are not escaped.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left

from baerekraft_hub.search.engine.analysis import WORD, english_terms, fold, norwegian_terms

SNIPPET_WORDS = 30
EXCERPT_CHARS = 4000  # how much plain text each document keeps for snippets

_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>]{0,200}>")
_URL = re.compile(r"https?://\S+")
_MARKUP = re.compile(r"[#*_`>|~]+")
_SPACE = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """Readable text from Markdown source: link text kept, URLs and markup dropped."""
    text = _MARKDOWN_LINK.sub(r"\1", markdown)
    text = _URL.sub(" ", _HTML_TAG.sub(" ", text))
    return _SPACE.sub(" ", _MARKUP.sub(" ", text)).strip()


_WORDS = re.compile(f"({WORD.pattern})")  # split keeps the words, between the gaps
# WORD without its exception for "_": the same words in a text with no "_" (most excerpts),
# found in half the time, and finding the words is most of a snippet's cost.
_PLAIN_WORDS = re.compile(r"(\w+)")

_TERMS_KEPT = 50_000  # analysed words remembered per language family


def _terms(word: str, english: bool) -> frozenset[str]:
    folded = fold(word)
    if english:
        return frozenset("en:" + t for t in english_terms(folded))
    return frozenset(norwegian_terms(folded))


class _Analysed:
    """Words' analysed terms, remembered, and the other way round: the words of each term.

    The words of an excerpt that meet a query's terms are then found by set operations on
    the few terms, not by checking each of an excerpt's hundred-odd distinct words in turn.
    """

    def __init__(self, english: bool) -> None:
        self.english = english
        self.known: set[str] = set()
        self.words: dict[str, set[str]] = {}

    def matching(self, tokens: list[str], terms: set[str]) -> set[str]:
        """The distinct words among `tokens` whose analysis meets `terms`."""
        if len(self.known) > _TERMS_KEPT:
            self.known.clear()
            self.words.clear()
        distinct = set(tokens)
        for word in distinct - self.known:
            self.known.add(word)
            for term in _terms(word, self.english):
                self.words.setdefault(term, set()).add(word)
        matching: set[str] = set()
        for term in terms:
            found = self.words.get(term)
            if found:
                matching |= distinct & found
        return matching


_analysed = {False: _Analysed(english=False), True: _Analysed(english=True)}


def snippet(text: str, terms: set[str], english: bool = False, size: int = SNIPPET_WORDS) -> str:
    """An HTML-safe excerpt of `text` around the densest run of matching words."""
    # The text as [gap, word, gap, word, …, gap], in one pass: the window is then a slice of
    # it, and each distinct word is analysed once (an excerpt's words are mostly repeats).
    parts = (_WORDS if "_" in text else _PLAIN_WORDS).split(text)
    tokens = parts[1::2]
    if not tokens:
        return html.escape(text[:200])
    matching = _analysed[english].matching(tokens, terms)
    hits = [i for i, w in enumerate(tokens) if w in matching]
    start = _best_window(hits, len(tokens), size)
    end = min(start + size, len(tokens))
    out = ["… " if start > 0 else ""]
    plain: list[str] = []  # gaps and unmarked words since the last mark
    for i, piece in enumerate(parts[2 * start + 1 : 2 * end], 2 * start + 1):
        if i % 2 and piece in matching:
            out.append(html.escape("".join(plain)))
            out.append(f"<mark>{html.escape(piece)}</mark>")
            plain = []
        else:
            plain.append(piece)
    out.append(html.escape("".join(plain)))
    if end < len(tokens):
        out.append(" …")
    return "".join(out)


def _best_window(hits: list[int], count: int, size: int) -> int:
    """The first word of the window of `size` words (of `count`) holding the most hits."""
    if not hits:
        return 0
    best, best_count = 0, -1
    for first in hits:
        inside = bisect_left(hits, first + size) - bisect_left(hits, first)
        if inside > best_count:
            best, best_count = first, inside
    # Start a few words before the first match so it reads as a sentence, not a fragment.
    return max(0, min(best - 3, count - size))
