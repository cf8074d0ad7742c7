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
            if name.startswith(("on", "hx-", "data-hx")):
                self.problems.append(f"{tag}[{name}]")
            if name in {"href", "src"} and value.startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"{tag}[{name}={value[:20]}]")


def dangerous_markup(html: str) -> list[str]:
    """Elements or attributes in `html` that could run script or fire requests."""
    collector = _Collector()
    collector.feed(html)
    return collector.problems
