"""Security headers on every response; requests no database could take refused early."""

from urllib.parse import urlsplit

from flask import current_app, render_template, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def set_security_headers(response):
    """No inline script, no framing, no sniffing, a careful referrer; HSTS in production."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["HSTS"]:
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
    return response


def refuse_nul_bytes():
    """400 for a NUL byte anywhere in the path, query string or form.

    No person types one, PostgreSQL cannot store or even compare text holding one, and
    checking here covers every route and parameter, including ones added later.
    """
    texts = [request.path]
    sources = [request.args] if request.method == "GET" else [request.args, request.form]
    for values in sources:
        for key, value in values.items(multi=True):
            texts += (key, value)
    texts += (upload.filename or "" for upload in request.files.values())
    if any("\x00" in text for text in texts):
        return render_template("errors/error.html", code=400, bad_character=True), 400
    return None


def from_our_own_pages() -> bool:
    """Whether a POST came from a page of this site, by the Origin (or Referer) header the
    browser sends: the check OWASP names for forms that carry no CSRF token.

    A cross-site form sends its own origin, or "null" from a sandboxed frame: refused. A
    request with neither header (an old browser, a privacy tool) is let through: browsers
    that a forged form could run in send Origin on every cross-site POST.
    """
    ours = {_origin(request.host_url), _origin(current_app.config["PUBLIC_URL"])}
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin in ours
    referrer = request.headers.get("Referer")
    if referrer is not None:
        parts = urlsplit(referrer)
        return f"{parts.scheme}://{parts.netloc}" in ours
    return True


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
