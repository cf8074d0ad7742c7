"""Settings: defaults, development, testing and production, each overridable from the environment.

`load_config(app, name)` applies a class below, then every environment variable that names a
known setting (or one of the aliases such as ``DATABASE_URL``). Values from the environment are
parsed as JSON when they look like JSON (``true``, ``25``, ``["a"]``), otherwise taken as text.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

INSECURE_SECRET = "dev-only-not-secret"  # noqa: S105 - refused by ProductionConfig


class Config:
    """Defaults shared by every environment."""

    SECRET_KEY = INSECURE_SECRET
    SQLALCHEMY_DATABASE_URI: str | None = None  # None: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    BABEL_DEFAULT_LOCALE = "nb"
    BABEL_DEFAULT_TIMEZONE = "Europe/Oslo"
    LANGUAGES = ("nb", "nn", "en")
    LANGUAGE_COOKIE = "lang"

    WTF_CSRF_TIME_LIMIT = None  # tokens live with the session: long forms must not expire
    WTF_CSRF_HEADERS = ["X-CSRFToken"]

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PREFERRED_URL_SCHEME = "http"
    SERVER_NAME: str | None = None
    HSTS = False

    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 8025
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Bærekraftshub <noreply@baerekraftshub.no>"
    MAIL_TIMEOUT = 10
    MAIL_MESSAGE_ID_DOMAIN = "baerekraftshub.no"
    # DKIM: sign every outgoing email when a domain and a private key (PEM file) are set.
    DKIM_DOMAIN: str | None = None
    DKIM_SELECTOR = "hub"
    DKIM_PRIVATE_KEY_FILE: str | None = None
    # Bounces: with a domain set, each email's envelope sender (Return-Path) is an address of
    # its own there (VERP), which `flask mail bounces` receives, and so knows what bounced.
    BOUNCE_DOMAIN: str | None = None
    BOUNCE_SOFT_LIMIT = 3  # temporary failures within the window that suppress an address
    BOUNCE_SOFT_WINDOW_DAYS = 30
    # Links in emails are built from this, never from the request's Host header (which an
    # attacker can set, e.g. to steal password-reset tokens).
    PUBLIC_URL = "http://127.0.0.1:5000"

    # Rows one delivery pass claims and sends over one connection (each pass costs a claim,
    # a read and a connection); a claim still ends well within OUTBOX_CLAIM_TIMEOUT_SECONDS.
    OUTBOX_BATCH_SIZE = 200
    OUTBOX_MAX_ATTEMPTS = 20
    OUTBOX_RETRY_BASE_SECONDS = 30  # then 60, 120, ... up to the maximum
    OUTBOX_RETRY_MAX_SECONDS = 3600
    OUTBOX_CLAIM_TIMEOUT_SECONDS = 600  # a claim older than this was a crashed deliverer
    # Requests never deliver: the worker looks for due messages this often (a cheap query).
    WORKER_OUTBOX_EVERY_SECONDS = 1

    PASSWORD_MIN_LENGTH = 12
    PASSWORD_MIN_SCORE = 3  # zxcvbn, 0-4
    CONFIRM_TOKEN_MAX_AGE = 7 * 24 * 3600
    RESET_TOKEN_MAX_AGE = 2 * 3600
    SET_PASSWORD_TOKEN_MAX_AGE = 7 * 24 * 3600  # `flask users create` links
    # One-click unsubscribe links in digests: long enough for an old email still to work.
    DIGEST_UNSUBSCRIBE_TOKEN_MAX_AGE = 180 * 24 * 3600

    # Digests: Europe/Oslo sending times (the weekly one on DIGEST_WEEKLY_WEEKDAY, 0 = Monday),
    # items shown per reason before "and N more", suggestions in the footer.
    DIGEST_DAILY_AT = "07:00"
    DIGEST_WEEKLY_AT = "07:00"
    DIGEST_WEEKLY_WEEKDAY = 0
    DIGEST_ITEMS_PER_GROUP = 5
    DIGEST_SUGGESTIONS = 3
    DIGEST_BATCH_SIZE = 100  # recipients composed and committed together (their emails in memory)
    WORKER_DIGESTS_EVERY_SECONDS = 60
    # Newsletters: the worker releases this many messages into the outbox per minute (a slice
    # a minute), so a big list does not hold back other email or trip a provider's limits.
    NEWSLETTER_MESSAGES_PER_MINUTE = 600
    WORKER_NEWSLETTERS_EVERY_SECONDS = 5
    NEWSLETTER_UNSUBSCRIBE_TOKEN_MAX_AGE = 365 * 24 * 3600

    # "whoosh": an index folder on one machine (the default, and for SQLite). "postgresql": the
    # documents live in the PostgreSQL database itself, written with each change and searched
    # by every web server alike (needs a PostgreSQL DATABASE_URL; the choice for production).
    SEARCH_BACKEND = "whoosh"
    SEARCH_INDEX_DIR: str | None = None  # None: <instance>/search-index (Whoosh only)
    # Synonym groups an operator adds to the shipped ones (format: README "Search words").
    SEARCH_SYNONYMS_FILE: str | None = None  # None: <instance>/search-synonyms.txt
    REDIS_URL: str | None = None
    RATELIMIT_STORAGE_URI = "memory://"  # REDIS_URL, when set, replaces it
    # How many proxies in front of the app set X-Forwarded-For/-Proto (0: none, trust no such
    # header). Behind one HTTPS proxy, 1: otherwise every visitor shares the proxy's address.
    TRUSTED_PROXIES = 0
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # Per client address on POST; login and password reset also per typed address and client.
    RATELIMIT_LOGIN = "10 per minute;50 per hour"
    RATELIMIT_REGISTER = "5 per minute;20 per hour"
    RATELIMIT_PASSWORD_RESET = "5 per minute;20 per hour"  # noqa: S105 - not a password

    DEV_MAILBOX = False  # the development-only page of received emails

    # Anonymous GET pages served from a cache (Redis with REDIS_URL, else each process's
    # memory), dropped as a whole on every committed change (core/pagecache.py).
    PAGE_CACHE = False
    PAGE_CACHE_TIMEOUT = 300  # seconds: a bound on staleness no database write explains
    PAGE_CACHE_MAX_ENTRIES = 500  # per process, in memory (about 15 MB of pages)
    # Seconds each process trusts the generation it last read: another process's commit shows
    # up to this late in this one's cached pages and remembered figures (core/generation.py).
    PAGE_CACHE_GENERATION_SECONDS = 0.1

    # /readyz: every check together answers within this; an email still unsent after
    # READYZ_OUTBOX_MAX_AGE_SECONDS means the worker is down or stuck (0: never fails on it).
    READYZ_TIMEOUT_SECONDS = 1.5
    READYZ_OUTBOX_MAX_AGE_SECONDS = 3600
    DATABASE_CONNECT_TIMEOUT = 5  # seconds; PostgreSQL only (SQLite opens a file)

    # /metrics answers only requests with "Authorization: Bearer <METRICS_TOKEN>" (unset: 404).
    METRICS_TOKEN: str | None = None

    # Errors go to Sentry only when a DSN is set; performance traces for this share of requests.
    SENTRY_DSN: str | None = None
    SENTRY_TRACES_SAMPLE_RATE = 0.0

    # Retention (ops/retention.py; the privacy page states them): days kept, 0 = forever.
    RETENTION_UNCONFIRMED_ACCOUNTS_DAYS = 14
    RETENTION_EMAIL_BODIES_DAYS = 30  # after sending; the message's row stays
    RETENTION_ACTIVITY_EVENTS_DAYS = 730
    RETENTION_EVERY_SECONDS = 3600

    # "json" (one object a line), "text", or None: leave logging as it is (tests).
    LOG_FORMAT: str | None = "text"
    LOG_LEVEL = "INFO"


class DevelopmentConfig(Config):
    """`make run`: debug tools and the local mailbox."""

    DEBUG = True
    DEV_MAILBOX = True
    TEMPLATES_AUTO_RELOAD = True


class TestingConfig(Config):
    """pytest: the same app, with forms posted without tokens only where a test says so."""

    TESTING = True
    LOG_FORMAT = None  # pytest captures the logs
    SECRET_KEY = "testing-secret"  # noqa: S105
    # The limiter runs (so a test can prove the 429), with limits no other test reaches.
    RATELIMIT_LOGIN = RATELIMIT_REGISTER = RATELIMIT_PASSWORD_RESET = "10000 per second"  # noqa: S105
    MAIL_PORT = 0  # no server: the `smtp_server` fixture starts one and sets the port
    MAIL_SUPPRESS_SEND = False  # we talk to a real (test) SMTP server
    PUBLIC_URL = "http://localhost"


class ProductionConfig(Config):
    """gunicorn + PostgreSQL behind HTTPS."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS = True
    PAGE_CACHE = True
    LOG_FORMAT = "json"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
    "default": Config,
}

# Environment names that set a differently named setting.
ALIASES = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI"}

# `make run` records here, in the instance folder, the address it serves and its SMTP port:
# `flask …` commands in another shell then link to it and send mail to it.
DEV_SERVER_FILE = "devserver.json"


def remember_dev_server(instance_path: str, settings: dict) -> None:
    """Record the development server's PUBLIC_URL and MAIL_PORT for the commands."""
    path = Path(instance_path) / DEV_SERVER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")


def _dev_server_settings(instance_path: str) -> dict:
    try:
        settings = json.loads((Path(instance_path) / DEV_SERVER_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in settings.items() if k in ("PUBLIC_URL", "MAIL_PORT")}


def _parse(raw: str):
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def load_config(app, name: str | None = None, overrides: dict | None = None) -> None:
    """Apply the named settings class, then (in development) what the running development
    server recorded, then the environment, then explicit overrides."""
    name = name or os.environ.get("BAEREKRAFT_ENV") or "production"
    app.config.from_object(CONFIGS[name])
    app.config["BAEREKRAFT_ENV"] = name  # which of the classes above (flask doctor reads it)
    if name == "development":
        app.config.update(_dev_server_settings(app.instance_path))
    for key in list(app.config):
        if key.isupper() and key in os.environ:
            app.config[key] = _parse(os.environ[key])
    for env_name, key in ALIASES.items():
        if os.environ.get(env_name):
            app.config[key] = os.environ[env_name]
    if overrides:
        app.config.update(overrides)
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if uri and uri.startswith(("postgres://", "postgresql://")):
        # psycopg 3 is the driver we ship; accept the URLs people paste from their host.
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.split("://", 1)[1]
    if (app.config.get("SQLALCHEMY_DATABASE_URI") or "").startswith("postgresql"):
        # A database host that does not answer fails a connection in seconds, not minutes.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {
            "connect_timeout": int(app.config["DATABASE_CONNECT_TIMEOUT"]),
            **options.get("connect_args", {}),
        }
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if name == "production" and app.config["SECRET_KEY"] in (None, "", INSECURE_SECRET):
        raise RuntimeError("SECRET_KEY must be set to a real secret in production.")
