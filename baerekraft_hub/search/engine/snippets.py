"""Result snippets: a short window of the document's text with the matched words in <mark>.

We build snippets ourselves instead of using Whoosh's highlighter so that a word counts as a
match by the same analysis that found it (skulen marks for `skole`, solcelleanlegget for
`solceller`), and so that escaping is in one obvious place: every character of document text
goes through `html.escape`; only our own <mark> tags are not escaped.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from baerekraft_hub.search.engine.analysis import english_terms, fold, norwegian_terms, words

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


@lru_cache(maxsize=50_000)
def _terms(word: str, english: bool) -> frozenset[str]:
    folded = fold(word)
    if english:
        return frozenset("en:" + t for t in english_terms(folded))
    return frozenset(norwegian_terms(folded))


def snippet(text: str, terms: set[str], english: bool = False, size: int = SNIPPET_WORDS) -> str:
    """An HTML-safe excerpt of `text` around the densest run of matching words."""
    spans = [(m.start(), m.end(), bool(terms & _terms(m.group(), english))) for m in words(text)]
    if not spans:
        return html.escape(text[:200])
    start = _best_window(spans, size)
    window = spans[start : start + size]
    begin, end = window[0][0], window[-1][1]
    out = ["… " if start > 0 else ""]
    cursor = begin
    for s, e, hit in window:
        if hit:
            out.append(html.escape(text[cursor:s]))
            out.append(f"<mark>{html.escape(text[s:e])}</mark>")
            cursor = e
    out.append(html.escape(text[cursor:end]))
    if start + size < len(spans):
        out.append(" …")
    return "".join(out)


def _best_window(spans: list[tuple[int, int, bool]], size: int) -> int:
    hits = [i for i, (_, _, hit) in enumerate(spans) if hit]
    if not hits:
        return 0
    best, best_count = 0, -1
    for first in hits:
        count = sum(1 for h in hits if first <= h < first + size)
        if count > best_count:
            best, best_count = first, count
    # Start a few words before the first match so it reads as a sentence, not a fragment.
    return max(0, min(best - 3, len(spans) - size))
