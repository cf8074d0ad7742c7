"""Bærekraftshub: the web platform of Bærekraftsnettverket."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from flask import Flask, render_template
from sqlalchemy import event
from sqlalchemy.engine import Engine

from baerekraft_hub.extensions import babel, csrf, db, limiter, login_manager, mail, migrate

ROOT = Path(__file__).resolve().parent.parent
# Each domain's blueprint and the modules that hold its views.
BLUEPRINTS = {
    "pages": ("views", "profiles"),
    "console": (
        "views",
        "people_views",
        "content_views",
        "network_views",
        "export_views",
        "suppression_views",
    ),
    "sdg": ("views",),
    "organisations": ("views",),
    "projects": ("views",),
    "practices": ("views",),
    "transfer": ("views",),
    "accounts": ("views", "profile_views"),
    "memberships": ("views",),
    "follows": ("views",),
    "activity": ("views",),
    "digests": ("views",),
    "kpis": ("views", "api", "status_views", "kpi_views"),
    "newsletters": ("views", "archive_views"),
    "devtools": ("views",),
    "search": ("views",),
    "ops": ("views", "metrics"),
}


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, commands, error pages."""
    from config import load_config

    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, config_name, overrides)
    from baerekraft_hub.ops.logs import configure_logging

    configure_logging(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_path = Path(app.instance_path) / "baerekraft.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    if not app.config.get("SEARCH_INDEX_DIR"):
        app.config["SEARCH_INDEX_DIR"] = str(Path(app.instance_path) / "search-index")
    if app.config.get("REDIS_URL"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]

    register_extensions(app)
    if app.config["TRUSTED_PROXIES"]:  # outermost: the page cache's middleware sees its fixes
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    register_blueprints(app)
    register_commands(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys, and WAL so readers never wait for the writer.

    synchronous=NORMAL is SQLite's advice for WAL: a commit survives the process crashing, and
    the log is synced at checkpoints rather than on every commit (only a power cut can undo
    the last commits). FULL made each outbox delivery's one-row commit wait for the disk.
    """
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _described_by_models(name: str | None, type_: str, parent_names: dict) -> bool:
    """Whether Alembic compares a table with the models: not the search engine's own tables
    (migration 0017, PostgreSQL only), which no model describes."""
    from baerekraft_hub.search.engine.postgresql.schema import TABLE, WORDS

    return not (type_ == "table" and name in (TABLE, WORDS))


def register_extensions(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    import baerekraft_hub.content.notifications  # noqa: F401 - connects its signal receivers
    import baerekraft_hub.models  # noqa: F401 - every table, for metadata and Alembic
    from baerekraft_hub.accounts import services  # noqa: F401 - registers the user loader
    from baerekraft_hub.activity import recorder as activity_recorder
    from baerekraft_hub.console import hooks as console_hooks
    from baerekraft_hub.core import outbox, pagecache, request_id, transactions
    from baerekraft_hub.core.i18n import install_template_gettext, select_locale
    from baerekraft_hub.digests import schedule as digests_schedule
    from baerekraft_hub.follows import hooks as follows_hooks
    from baerekraft_hub.kpis import medians as kpi_medians
    from baerekraft_hub.memberships import hooks as memberships_hooks
    from baerekraft_hub.newsletters import hooks as newsletters_hooks
    from baerekraft_hub.newsletters import sending as newsletters_sending
    from baerekraft_hub.ops import metrics, retention, sentry
    from baerekraft_hub.search import changes as search_changes
    from baerekraft_hub.search import similar as search_similar

    db.init_app(app)
    transactions.init_app(app)  # first: its commit is the last after-request hook to run
    pagecache.init_app(app)  # then: it keeps pages as the other hooks have left them
    request_id.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        include_name=_described_by_models,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = str  # the lazy message, in the language of the request
    mail.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    install_template_gettext(app)
    limiter.init_app(app)
    outbox.init_app(app)
    search_changes.init_app(app)
    search_similar.init_app(app)  # after it: lists are computed from the applied index
    activity_recorder.init_app(app)
    memberships_hooks.init_app(app)  # before follows: the download lists memberships first
    follows_hooks.init_app(app)
    kpi_medians.init_app(app)
    digests_schedule.init_app(app)
    metrics.init_app(app)  # after search: it times the search engine's queries
    sentry.init_app(app)
    retention.init_app(app)
    newsletters_hooks.init_app(app)
    newsletters_sending.init_app(app)
    console_hooks.init_app(app)


def register_blueprints(app: Flask) -> None:
    from baerekraft_hub.core.htmx import add_vary_header
    from baerekraft_hub.core.security import refuse_nul_bytes, set_security_headers
    from baerekraft_hub.core.urls import install_id_converter

    install_id_converter(app)

    # Views are imported here, not by their packages: importing a model must not pull in
    # every view (and, through them, every other domain).
    for package, modules in BLUEPRINTS.items():
        for module in modules:
            importlib.import_module(f"baerekraft_hub.{package}.{module}")
        app.register_blueprint(importlib.import_module(f"baerekraft_hub.{package}").bp)
    app.before_request(refuse_nul_bytes)
    app.after_request(set_security_headers)
    app.after_request(add_vary_header)


def register_commands(app: Flask) -> None:
    from baerekraft_hub.accounts.cli import users
    from baerekraft_hub.commands import seed
    from baerekraft_hub.core.cli import mail, outbox, worker
    from baerekraft_hub.digests.cli import digests_cli
    from baerekraft_hub.kpis.cli import kpis_cli
    from baerekraft_hub.ops.cli import backup, doctor, restore
    from baerekraft_hub.organisations.cli import organisations_cli
    from baerekraft_hub.search.cli import search_cli
    from baerekraft_hub.transfer.cli import projects_cli

    app.cli.add_command(seed)
    app.cli.add_command(outbox)
    app.cli.add_command(mail)
    app.cli.add_command(worker)
    app.cli.add_command(users)
    app.cli.add_command(projects_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(digests_cli)
    app.cli.add_command(kpis_cli)
    app.cli.add_command(organisations_cli)
    app.cli.add_command(doctor)
    app.cli.add_command(backup)
    app.cli.add_command(restore)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        return render_template("errors/error.html", code=code), code

    for code in (400, 403, 404, 405, 429, 500):
        app.register_error_handler(code, render_error)

    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/error.html", code=400, csrf_failed=True), 400


def register_template_helpers(app: Flask) -> None:
    from flask_wtf.csrf import generate_csrf

    from baerekraft_hub.content.labels import TEMPLATE_GLOBALS
    from baerekraft_hub.core.htmx import is_partial
    from baerekraft_hub.core.i18n import current_language, localized
    from baerekraft_hub.core.markdown import render_markdown
    from baerekraft_hub.memberships import policy

    app.jinja_env.globals.update(
        csrf_token=generate_csrf,
        current_language=current_language,
        htmx_partial=is_partial,
        localized=localized,
        **TEMPLATE_GLOBALS,
        policy=policy,
    )
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    @app.template_filter("number")
    def format_number(value):
        """A number as the reader's language writes it (`168 500`, `480,5`); events store
        their values as text, and text that is no number is shown as it is."""
        from decimal import Decimal, InvalidOperation

        from flask_babel import format_decimal

        if value is None or value == "":
            return ""
        try:
            return format_decimal(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            return value
