"""IDO Logboek: log the questions asked at a library's Informatiepunt Digitale Overheid."""

import os

import click
from flask import Flask

from ido import cli, cli_transfer
from ido.core.db import database_url, db
from ido.core.organisation.second_factor import check_setting
from ido.web import assets, errors, i18n, lifecycle, security
from ido.web.extensions import compress, configure_limiter, csrf, login_manager
from ido.web.migrations import MIGRATIONS_DIR as MIGRATIONS_DIR  # where tests and tools look
from ido.web.migrations import db_commands

MIN_SECRET_KEY = 32


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, commands."""
    app = lifecycle.IdoFlask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    lifecycle.configure_logging(app)
    errors.register(app)
    security.register(app)
    lifecycle.register(app)
    cli.register(app)
    cli_transfer.register(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    """Defaults, then instance/config.py, then FLASK_* environment variables (or test config)."""
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        SECRET_KEY=None,
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "ido.sqlite"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        # A desk page stays open all day: the CSRF token lives as long as the log-in session
        # (it is bound to it) instead of Flask-WTF's default hour, so no entry is refused.
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="nl",
        BABEL_DEFAULT_TIMEZONE="Europe/Amsterdam",
        IDO_TIMEZONE="Europe/Amsterdam",
        IDO_EDIT_MINUTES=15,
        # how far back the desk may date a question: from the first day of the month this many
        # months ago (1: the previous month); a coordinator may go back further after confirming
        IDO_BACKDATE_MONTHS=1,
        IDO_NOTE_RETENTION_DAYS=90,
        IDO_PROXY_COUNT=0,  # reverse proxies in front (for HTTPS detection and client address)
        IDO_PURGE_IN_APP=True,
        # Log-in throttling; memory:// counts per process: several workers need a shared store
        # such as redis:// (see the Flask-Limiter documentation).
        RATELIMIT_STORAGE_URI="memory://",
        # A moving window: a limit lifts as old failures age, never a fixed hour's lock.
        RATELIMIT_STRATEGY="moving-window",
        RATELIMIT_HEADERS_ENABLED=False,
        # Failed log-ins per account, each limit longer than the last: a back-off that slows
        # a guesser to a few tries an hour while a person who mistyped waits a minute.
        IDO_LOGIN_LIMIT_ACCOUNT="5 per minute; 10 per 10 minutes; 20 per hour; 50 per day",
        # Failed log-ins per address: high, since every desk of a library may share one.
        IDO_LOGIN_LIMIT_ADDRESS="300 per hour",
        # Wrong tablet enrolment codes per address (a code has 8 characters of 32 kinds).
        IDO_ENROL_LIMIT_ADDRESS="10 per minute; 30 per hour",
        ARGON2_PARAMS={},
        # The roles that log in with a second factor (an authenticator app) after the
        # password: "admin", "admin,coordinator" or "none". Volunteers are never asked.
        IDO_REQUIRE_2FA="admin",
        IDO_LOG_LEVEL="INFO",  # the ido loggers, to stderr: one line per request
        # Pages, styles, scripts, JSON and CSV go out compressed (brotli, else gzip); the
        # desk's HTML shrinks to a seventh.
        COMPRESS_MIMETYPES=[
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
            "text/csv",
        ],
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_ALGORITHM_STREAMING=["br", "deflate"],  # static files and CSV exports
        # No page or API call needs more (a question is under 2 KB): larger bodies get 413.
        MAX_CONTENT_LENGTH=1024 * 1024,
        SQLALCHEMY_ENGINE_OPTIONS={
            # After a database restart, pooled connections are dead: test each before use.
            "pool_pre_ping": True,
            # A database error's message leaves out the values sent: a note is never logged.
            "hide_parameters": True,
        },
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()
    else:
        app.config.from_mapping(test_config)
    key = str(app.config["SECRET_KEY"] or "")
    if len(key) < MIN_SECRET_KEY or "replace me" in key:
        # Flask signs sessions with it: a known or guessable key lets anyone forge an
        # administrator's session.
        raise RuntimeError(
            "SECRET_KEY is missing, shorter than 32 characters or the example's placeholder: "
            "set a random one in instance/config.py or FLASK_SECRET_KEY (make run writes one "
            "for you; or: python3 -c 'import secrets; print(secrets.token_hex(32))')."
        )
    try:
        check_setting(app.config["IDO_REQUIRE_2FA"])
    except ValueError as error:
        raise RuntimeError(str(error)) from None
    try:
        url = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    except ValueError as error:
        # Flask's command line shows a ClickException as one line, anything else as a traceback
        # of some 40 lines with the reason last.
        raise click.ClickException(str(error)) from None
    app.config["SQLALCHEMY_DATABASE_URI"] = url


def register_extensions(app: Flask) -> None:
    """Attach the unbound extensions to this app."""
    db.init_app(app)
    app.cli.add_command(db_commands)  # Flask-Migrate, loaded when asked for
    csrf.init_app(app)
    login_manager.init_app(app)
    configure_limiter(app)
    compress.init_app(app)
    i18n.init_app(app)
    assets.register(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per concern."""
    from ido import admin, api, auth, desk, main, reports

    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(admin.bp)
