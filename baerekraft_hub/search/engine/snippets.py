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
from itertools import islice

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


# WORD without its exception for "_": the same words in a text with no "_" (most excerpts),
# found in half the time, and finding the words is most of a snippet's cost.
_PLAIN_WORD = re.compile(r"\w+")

_TERMS_KEPT = 50_000  # analysed words remembered per language family
_analysed: dict[bool, dict[str, frozenset[str]]] = {False: {}, True: {}}


def _terms(word: str, english: bool) -> frozenset[str]:
    folded = fold(word)
    if english:
        return frozenset("en:" + t for t in english_terms(folded))
    return frozenset(norwegian_terms(folded))


def _matching(tokens: list[str], terms: set[str], english: bool) -> set[str]:
    """The distinct words among `tokens` whose analysis meets `terms`."""
    known = _analysed[english]
    if len(known) > _TERMS_KEPT:
        known.clear()
    matching = set()
    for word in set(tokens):
        analysed = known.get(word)
        if analysed is None:
            analysed = known[word] = _terms(word, english)
        if not terms.isdisjoint(analysed):
            matching.add(word)
    return matching


def snippet(text: str, terms: set[str], english: bool = False, size: int = SNIPPET_WORDS) -> str:
    """An HTML-safe excerpt of `text` around the densest run of matching words."""
    # Each distinct word is analysed once, and offsets are read for the window's words only:
    # an excerpt has hundreds of words, most of them repeated.
    words = WORD if "_" in text else _PLAIN_WORD
    tokens = words.findall(text)
    if not tokens:
        return html.escape(text[:200])
    matching = _matching(tokens, terms, english)
    hits = [i for i, w in enumerate(tokens) if w in matching]
    start = _best_window(hits, len(tokens), size)
    window = [
        (m.start(), m.end(), m.group() in matching)
        for m in islice(words.finditer(text), start, start + size)
    ]
    begin, end = window[0][0], window[-1][1]
    out = ["… " if start > 0 else ""]
    cursor = begin
    for s, e, hit in window:
        if hit:
            out.append(html.escape(text[cursor:s]))
            out.append(f"<mark>{html.escape(text[s:e])}</mark>")
            cursor = e
    out.append(html.escape(text[cursor:end]))
    if start + size < len(tokens):
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
