"""`flask doctor`: what is wrong with this deployment's settings, and how to fix it.

Each check yields `Finding`s: a problem ("error": the deployment is broken or unsafe, and the
command exits 1) or advice ("warning"). A malformed setting is always named, with the value
that was given, so the operator knows which line of the environment to fix. Every check that
talks to a server has a timeout.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from config import INSECURE_SECRET


@dataclass(frozen=True)
class Finding:
    check: str  # the setting (or area) concerned
    problem: str
    fix: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        label = "FAIL" if self.severity == "error" else "WARN"
        return f"{label} {self.check}: {self.problem}\n     fix: {self.fix}"


Findings = Iterator[Finding]

# Settings that must be whole numbers, with their smallest (and largest) allowed value.
WHOLE_NUMBERS: dict[str, tuple[int, int | None]] = {
    "MAIL_PORT": (1, 65535),
    "MAIL_TIMEOUT": (1, None),
    "OUTBOX_MAX_ATTEMPTS": (1, None),
    "OUTBOX_RETRY_BASE_SECONDS": (1, None),
    "OUTBOX_RETRY_MAX_SECONDS": (1, None),
    "TRUSTED_PROXIES": (0, 5),
    "DIGEST_WEEKLY_WEEKDAY": (0, 6),
    "DIGEST_ITEMS_PER_GROUP": (1, None),
    "DIGEST_SUGGESTIONS": (0, None),
    "DIGEST_UNSUBSCRIBE_TOKEN_MAX_AGE": (1, None),
    "READYZ_OUTBOX_MAX_AGE_SECONDS": (0, None),
    "DATABASE_CONNECT_TIMEOUT": (2, None),
    "RETENTION_UNCONFIRMED_ACCOUNTS_DAYS": (0, None),
    "RETENTION_EMAIL_BODIES_DAYS": (0, None),
    "RETENTION_ACTIVITY_EVENTS_DAYS": (0, None),
}
FLAGS = ("MAIL_USE_TLS", "MAIL_USE_SSL")
CLOCK_TIMES = ("DIGEST_DAILY_AT", "DIGEST_WEEKLY_AT")
RATE_LIMITS = ("RATELIMIT_LOGIN", "RATELIMIT_REGISTER", "RATELIMIT_PASSWORD_RESET")
ENVIRONMENT = "set it in the environment"


def check_settings(app: Flask) -> Findings:
    """Every setting has the shape it must have."""
    config = app.config
    for name, (low, high) in WHOLE_NUMBERS.items():
        if name not in config:
            continue
        value = config[name]
        in_range = isinstance(value, int) and value >= low and (high is None or value <= high)
        if isinstance(value, bool) or not in_range:
            limits = f"from {low}" + (f" to {high}" if high is not None else "")
            yield Finding(name, f"{value!r} is not a whole number {limits}", f"{ENVIRONMENT}")
    for name in FLAGS:
        if not isinstance(config[name], bool):
            yield Finding(name, f"{config[name]!r} is not true or false", f"{name}=true or false")
    for name in CLOCK_TIMES:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", str(config[name])):
            yield Finding(name, f"{config[name]!r} is not a time of day", f'{name}="07:00"')
    from limits import parse_many

    for name in RATE_LIMITS:
        try:
            parse_many(str(config[name]))
        except ValueError:
            yield Finding(name, f"{config[name]!r} is not a rate limit", f'{name}="10 per minute"')
    if config.get("LOG_FORMAT") not in (None, "json", "text"):
        yield Finding("LOG_FORMAT", f"{config['LOG_FORMAT']!r} is unknown", "json or text")
    yield from _search_backend(config)


def _search_backend(config) -> Findings:
    backend = config.get("SEARCH_BACKEND", "whoosh")
    if backend not in ("whoosh", "postgresql"):
        yield Finding("SEARCH_BACKEND", f"{backend!r} is unknown", "whoosh or postgresql")
    elif backend == "postgresql" and not config["SQLALCHEMY_DATABASE_URI"].startswith("postgres"):
        yield Finding(
            "SEARCH_BACKEND",
            "postgresql keeps the search documents in the database, and DATABASE_URL is not"
            " a PostgreSQL database",
            "SEARCH_BACKEND=whoosh, or DATABASE_URL=postgresql://…",
        )


def check_secret_key(app: Flask) -> Findings:
    secret = app.config.get("SECRET_KEY") or ""
    make_one = 'SECRET_KEY=$(python3 -c "import secrets; print(secrets.token_hex(32))")'
    if secret == INSECURE_SECRET or not secret:
        yield Finding("SECRET_KEY", "is the development key, known to everyone", make_one)
    elif len(secret) < 32:
        yield Finding("SECRET_KEY", f"is only {len(secret)} characters long", make_one)


def check_public_url(app: Flask) -> Findings:
    url = app.config.get("PUBLIC_URL") or ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        yield Finding("PUBLIC_URL", f"{url!r} is not an address", "PUBLIC_URL=https://your.host")
    elif app.config["BAEREKRAFT_ENV"] == "production" and parts.scheme != "https":
        yield Finding(
            "PUBLIC_URL",
            f"{url} is not https: links in emails would be sent in the clear",
            "serve the site over HTTPS and set PUBLIC_URL=https://…",
        )


def check_mail_server(app: Flask) -> Findings:
    from baerekraft_hub.core.outbox.delivery import probe_mail_server

    address = f"{app.config['MAIL_SERVER']}:{app.config['MAIL_PORT']}"
    try:
        with app.app_context():
            probe_mail_server()
    except Exception as error:
        yield Finding(
            "MAIL_SERVER",
            f"cannot reach {address}: {type(error).__name__}: {error}",
            "check MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS/SSL, MAIL_USERNAME/PASSWORD",
        )


def sender_domain_records(domain: str) -> tuple[bool, bool]:
    """(the domain takes mail: MX, A or AAAA; it publishes SPF), from DNS."""
    import dns.exception
    import dns.resolver

    resolver = dns.resolver.Resolver()
    resolver.lifetime = 3.0

    def records(kind: str) -> list[str]:
        try:
            return [answer.to_text() for answer in resolver.resolve(domain, kind)]
        except dns.exception.DNSException:
            return []

    exists = any(records(kind) for kind in ("MX", "A", "AAAA"))
    spf = any("v=spf1" in text for text in records("TXT"))
    return exists, spf


def check_sender(app: Flask) -> Findings:
    sender = app.config.get("MAIL_DEFAULT_SENDER") or ""
    address = parseaddr(sender)[1]
    if "@" not in address:
        yield Finding(
            "MAIL_DEFAULT_SENDER", f"{sender!r} is no address", '"Name <noreply@your.domain>"'
        )
        return
    domain = address.rsplit("@", 1)[1]
    exists, spf = sender_domain_records(domain)
    if not exists:
        yield Finding(
            "MAIL_DEFAULT_SENDER",
            f"the sender domain {domain} has no MX or A record: replies bounce, receivers refuse",
            "send from a domain you control, with DNS records",
        )
    elif not spf:
        yield Finding(
            "MAIL_DEFAULT_SENDER",
            f"the sender domain {domain} publishes no SPF record: mail may be marked as spam",
            f'add a TXT record "v=spf1 … -all" to {domain} naming MAIL_SERVER',
            "warning",
        )


def dkim_record(name: bytes, timeout: int = 3) -> bytes | None:
    """The TXT record at `name` (a DKIM key's), from DNS; None when there is none."""
    import dns.exception
    import dns.resolver

    try:
        answers = dns.resolver.resolve(name.decode(), "TXT", lifetime=timeout)
    except dns.exception.DNSException:
        return None
    return b"".join(b"".join(answer.strings) for answer in answers)


def check_dkim(app: Flask) -> Findings:
    """With DKIM_DOMAIN set: the key signs, and DNS publishes the key that verifies it."""
    domain, selector = app.config.get("DKIM_DOMAIN"), app.config.get("DKIM_SELECTOR") or ""
    if not domain:
        return
    key_file = app.config.get("DKIM_PRIVATE_KEY_FILE")
    try:
        key = Path(key_file).read_bytes() if key_file else None
    except OSError as error:
        key, problem = None, f"{key_file} cannot be read ({error.strerror})"
    else:
        problem = "not set" if key is None else None
    if key is None:
        yield Finding("DKIM_PRIVATE_KEY_FILE", problem, "the path of the PEM private key")
        return
    import dkim

    message = b"From: doctor@" + domain.encode() + b"\r\nSubject: test\r\n\r\ntest\r\n"
    try:
        signed = dkim.sign(message, selector.encode(), domain.encode(), key) + message
    except dkim.DKIMException as error:
        yield Finding(
            "DKIM_PRIVATE_KEY_FILE", f"{key_file} is no usable key ({error})", "an RSA key in PEM"
        )
        return
    name = f"{selector}._domainkey.{domain}"
    if not dkim.verify(signed, dnsfunc=dkim_record):
        yield Finding(
            "DKIM_SELECTOR",
            f"no TXT record at {name} holds this key's public half: receivers cannot verify",
            f'publish "v=DKIM1; k=rsa; p=<public key, base64>" at {name}',
        )


def check_redis(app: Flask) -> Findings:
    url = app.config.get("REDIS_URL")
    if not url:
        if app.config["BAEREKRAFT_ENV"] == "production":
            yield Finding(
                "REDIS_URL",
                "not set: each gunicorn worker keeps its own rate limits",
                "REDIS_URL=redis://host:6379/0",
                "warning",
            )
        return
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        client.close()
    except (ValueError, redis.RedisError) as error:
        yield Finding("REDIS_URL", f"cannot reach Redis: {error}", "check REDIS_URL and the server")


def check_database_and_search(app: Flask) -> Findings:
    from baerekraft_hub.ops.health import run_checks

    search_setting = (
        "SEARCH_BACKEND" if app.config.get("SEARCH_BACKEND") == "postgresql" else "SEARCH_INDEX_DIR"
    )
    fixes = {
        "database": ("DATABASE_URL", "check DATABASE_URL and that the server runs"),
        "migrations": ("DATABASE_URL", "flask db upgrade"),
        "search": (search_setting, "flask search reindex"),
    }
    for name, outcome in run_checks(app).items():
        if name in fixes and not outcome["ok"]:
            setting, fix = fixes[name]
            yield Finding(setting, f"{name}: {outcome['error']}", fix)


def _writable(folder: Path) -> str | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
    except OSError as error:
        return error.strerror or str(error)
    return None


def check_folders(app: Flask) -> Findings:
    whoosh = app.config.get("SEARCH_BACKEND", "whoosh") == "whoosh"
    folders = {
        "INSTANCE_PATH": app.instance_path,
        "SEARCH_INDEX_DIR": app.config.get("SEARCH_INDEX_DIR") if whoosh else None,
        "PROMETHEUS_MULTIPROC_DIR": os.environ.get("PROMETHEUS_MULTIPROC_DIR"),
    }
    for name, folder in folders.items():
        if folder and (problem := _writable(Path(folder))):
            fix = "chown it to the app's user"
            yield Finding(name, f"{folder} is not writable ({problem})", fix)


CHECKS: tuple[tuple[str, Callable[[Flask], Findings]], ...] = (
    ("settings", check_settings),
    ("secret key", check_secret_key),
    ("public address", check_public_url),
    ("mail server", check_mail_server),
    ("sender domain", check_sender),
    ("DKIM", check_dkim),
    ("Redis", check_redis),
    ("database and search", check_database_and_search),
    ("folders", check_folders),
)


def examine(app: Flask) -> Iterator[tuple[str, list[Finding]]]:
    """Each check's name and findings, one check at a time (a slow one shows as it runs)."""
    for name, check in CHECKS:
        try:
            yield name, list(check(app))
        except Exception as error:  # a check that breaks is itself a finding
            yield name, [Finding(name, f"the check failed: {error!r}", "see the message")]
