"""Hostile user input, and a check that rendered HTML carries none of it as markup."""

from html.parser import HTMLParser

PAYLOADS = [
    "<script>alert(1)</script>",
    "[klikk](javascript:alert(1))",
    "[klikk](JaVaScRiPt:alert(1))",
    "[klikk](  javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<div hx-get="/admin" hx-trigger="load">x</div>',
    '<p onclick="alert(1)">x</p>',
    "![bilde](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "iframe", "object", "embed", "svg", "style", "img"}:
            self.problems.append(tag)
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith(("on", "hx-", "data-hx")) and name != "hx-ignore":
                self.problems.append(f"{tag}[{name}]")  # hx-ignore stops htmx: it protects
            if name in {"href", "src"} and value.startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"{tag}[{name}={value[:20]}]")


def dangerous_markup(html: str) -> list[str]:
    """Elements or attributes in `html` that could run script or fire requests."""
    collector = _Collector()
    collector.feed(html)
    return collector.problems


# --- a whole world of hostile content, for the page and email sweeps -------------------------

MARK = "sweep"  # every hostile attribute value and tag carries it, so a leak is unmistakable
_CORE = (
    f'<{MARK}-mark hx-post="/{MARK}/" hx-trigger="load" onclick="{MARK}()"></{MARK}-mark>'
    f"<script>{MARK}()</script><img src=x onerror={MARK}()>"
    f'<a href="javascript:{MARK}()">x</a>'
)
_SHORT = f"<{MARK}-mark onclick={MARK}()>"
_TAIL = "\r\n\u202eÆØÅ & 'enkel' \"dobbel\" %(name)s %s {0} {{ 7*7 }}"
# The largest values the columns hold: Numeric(16, 3) and BigInteger.
MAX_NUMERIC = "9999999999999.999"
MAX_BIGINT = 2**63 - 1


def hostile_text(limit: int | None = None, *, nul: bool = False) -> str:
    """Markup, htmx attributes, script, CR/LF and an RTL override; 10 KB unless `limit`."""
    if limit is not None and limit < len(_CORE):
        return (_SHORT + _TAIL)[:limit]
    text = _CORE + _TAIL + ("\x00" if nul else "")
    if limit is None:
        text += " lang tekst" * (10_000 // 11)
    return text[:limit]


def template_attributes(root) -> set[str]:
    """The hx-* and on* attribute names our own templates write."""
    import re

    names: set[str] = set()
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"\s(hx-[a-z:-]+)[\s=>]", text))
        names |= set(re.findall(r"\s(on[a-z]+)=", text))
    return names


class _LeakFinder(HTMLParser):
    def __init__(self, allowed: set[str]):
        super().__init__()
        self.allowed = allowed
        self.leaks: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if MARK in tag:
            self.leaks.append(f"<{tag}>")
        self._in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            script_link = name in {"href", "src"} and value.startswith(f"javascript:{MARK}")
            htmx_or_handler = name.startswith(("hx-", "on", "data-hx"))
            if script_link or (htmx_or_handler and (MARK in value or name not in self.allowed)):
                self.leaks.append(f"{tag}[{name}={value[:30]}]")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and MARK in data:
            self.leaks.append(f"<script>{data[:30]}")


def leaks(html: str, allowed: set[str]) -> list[str]:
    """Hostile markup that came through as markup: our marker's tags, script, or any hx-*/on*
    attribute that carries the marker or that no template of ours writes."""
    finder = _LeakFinder(allowed)
    finder.feed(html)
    return finder.leaks
