"""Command line: flask --app ido <command>; safe to repeat where that makes sense.

Each command is one transaction: the services flush, the command commits once at the end.
"""

import functools
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from ido.core.backup import backup, restore
from ido.core.db import connection_problem, db, one_line
from ido.core.exceptions import ParamError, ServiceError
from ido.core.models import ROLES, User
from ido.core.organisation import (
    create_branch,
    create_library,
    create_user,
    deactivate_user,
    user_by_email,
)
from ido.core.organisation.scope import branches_in_scope
from ido.core.organisation.tokens import create_token
from ido.core.reporting.counts import DIMENSIONS, counts_and_totals
from ido.core.reporting.exports import DIALECTS, counts_csv
from ido.core.reporting.municipality import municipality_report
from ido.core.reporting.national import national_summaries
from ido.core.reporting.national_form import ensure_first_version
from ido.core.reporting.params import count_params, parse_month, scoped_branches
from ido.core.reporting.periods import parse_period
from ido.core.retention import purge_old_notes
from ido.core.taxonomy import seed_categories
from ido.web import documents
from ido.web.migrations import upgrade


def command(name: str):
    """A click command in the app context that commits once, or changes nothing on an error."""

    def decorator(function):
        @functools.wraps(function)
        def wrapped(*args, **kwargs):
            try:
                result = function(*args, **kwargs)
            except ServiceError as error:
                db.session.rollback()
                raise click.ClickException(str(error)) from None
            db.session.commit()
            return result

        return click.command(name)(with_appcontext(wrapped))

    return decorator


@command("init-db")
def init_db() -> None:
    """Migrate the database to the newest schema and add missing default categories."""
    # An operator (make serve, the systemd unit) sees one line with the reason, not a traceback.
    problem = connection_problem()
    if problem:
        raise click.ClickException(problem)
    try:
        upgrade()
    except SQLAlchemyError as error:
        raise click.ClickException(
            f"The database upgrade failed; its failing step was rolled back: {one_line(error)}"
        ) from None
    added = seed_categories()
    ensure_first_version()
    click.echo(f"Database is up to date; {added} default categories added.")


@command("create-library")
@click.argument("code")
@click.argument("name")
def create_library_command(code: str, name: str) -> None:
    """Add a library organisation."""
    library = create_library(code, name)
    click.echo(f"Library {library.code} created.")


@command("create-branch")
@click.argument("code")
@click.argument("name")
@click.option("--library", "library_code", required=True, help="Code of the library.")
@click.option("--municipality", required=True, help="The municipality the IDO serves.")
@click.option("--elsewhere", is_flag=True, help="The IDO is outside the library building.")
def create_branch_command(
    code: str, name: str, library_code: str, municipality: str, elsewhere: bool
) -> None:
    """Add a branch (an IDO location) to a library."""
    branch = create_branch(code, name, library_code, municipality, not elsewhere)
    click.echo(f"Branch {branch.code} created.")


@command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", default="", help="Display name (default: the e-mail address).")
@click.option("--library", "library_code", help="Code of the library (not for admins).")
@click.option("--branch", "branch_codes", multiple=True, help="Branch code; repeat for more.")
@click.password_option(prompt=True, help="Prompted for (twice) when not given.")
def create_user_command(
    email: str,
    role: str,
    name: str,
    library_code: str | None,
    branch_codes: tuple[str, ...],
    password: str,
) -> None:
    """Add a volunteer, coordinator or administrator."""
    user = create_user(email, name, role, password, library_code, branch_codes)
    click.echo(f"User {user.email} ({user.role}) created.")


@command("seed-demo")
def seed_demo_command() -> None:
    """Add the demo library, its users and a year of questions (once)."""
    from ido.core.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo

    seed_categories()
    if seed_demo():
        click.echo(f"Demo library created. Log in with (password: {DEMO_PASSWORD}):")
    else:
        click.echo(f"The demo library already exists. Log-ins (password: {DEMO_PASSWORD}):")
    for email, _name, role, _branches in DEMO_USERS:
        click.echo(f"  {email:28} {role}")


@command("create-token")
@click.argument("email")
@click.option("--name", default="command line", help="What the token is for.")
def create_token_command(email: str, name: str) -> None:
    """Make an API token for a user and print it (it is shown only this once)."""
    user = user_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"No active user with e-mail {email}.")
    _token, plaintext = create_token(user, name)
    click.echo(plaintext)


@command("export-counts")
@click.option("--from", "first", required=True, help="First month, YYYY-MM.")
@click.option("--to", "last", required=True, help="Last month, YYYY-MM.")
@click.option("--by", default="total", type=click.Choice(list(DIMENSIONS)))
@click.option("--branch", "branches", default="", help="Comma-separated branch codes.")
@click.option("--dialect", default="excel-nl", type=click.Choice(DIALECTS))
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True))
def export_counts_command(first, last, by, branches, dialect, out) -> None:
    """Write monthly counts (all libraries, or the branches named) to a CSV file."""
    try:
        params = count_params(
            {"from": first, "to": last, "by": by, "branch": branches}, _operator()
        )
    except ParamError as error:
        raise click.ClickException(str(error)) from None
    rows, totals = counts_and_totals(params.first, params.last, by, params.branches)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        handle.writelines(counts_csv(rows, by, dialect, totals))
    click.echo(f"{len(rows)} rows written to {out}.")


def _operator() -> User:
    """Who a report command reads as: every library's branches (an unsaved administrator)."""
    return User(role="admin", email="cli", name="cli", password_hash="")


def _write_document(html: str, out: str) -> str:
    """Write a report as HTML, or as an A4 PDF when the file name ends in .pdf."""
    if Path(out).suffix.lower() == ".pdf":
        try:
            Path(out).write_bytes(documents.pdf(html))
        except OSError as error:  # WeasyPrint needs Pango
            raise click.ClickException(f"Cannot make a PDF here ({error}); write .html") from None
        return "PDF"
    Path(out).write_text(html, encoding="utf-8")
    return "HTML"


LANGUAGE = click.option(
    "--language", default="nl", type=click.Choice(["nl", "en"]), help="Of the document."
)
OUT = click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="A .html file, or .pdf for an A4 PDF.",
)


@command("export-national")
@click.option("--month", required=True, help="The month, YYYY-MM.")
@click.option("--branch", "branches", default="", help="Comma-separated branch codes (all).")
@LANGUAGE
@OUT
def export_national_command(month: str, branches: str, language: str, out: str) -> None:
    """Write each branch's month in the order of the national IDO form (as the page shows it)
    to an HTML or PDF file."""
    headers = {"Accept-Language": language}
    with current_app.test_request_context(headers=headers):
        try:
            chosen = parse_month(month, "month")
            found = scoped_branches(branches, _operator())
        except ParamError as error:
            raise click.ClickException(str(error)) from None
        assert chosen is not None
        form, summaries = national_summaries(chosen, found)
        kind = _write_document(documents.national_html(chosen, form, summaries), out)
    click.echo(f"{kind} of {len(summaries)} branches for {month} written to {out}.")


@command("export-municipality")
@click.option("--municipality", required=True, help="The municipality, as its branches name it.")
@click.option("--period", required=True, help="A year (2026) or a quarter (2026-Q3).")
@LANGUAGE
@OUT
def export_municipality_command(municipality: str, period: str, language: str, out: str) -> None:
    """Write the annual or quarterly report of a municipality (every library's branches
    there) to an HTML or PDF file."""
    headers = {"Accept-Language": language}
    with current_app.test_request_context(headers=headers):
        try:
            chosen = parse_period(period)
        except ParamError as error:
            raise click.ClickException(str(error)) from None
        everywhere = branches_in_scope(_operator(), include_inactive=True)
        found = [b for b in everywhere if b.municipality == municipality]
        if not found:
            raise click.ClickException(f"No branch is in the municipality {municipality!r}.")
        report = municipality_report(municipality, chosen, found)
        kind = _write_document(documents.municipality_html(report), out)
    click.echo(f"{kind} report of {municipality} for {chosen.code} written to {out}.")


@command("deactivate-user")
@click.argument("email")
def deactivate_user_command(email: str) -> None:
    """Stop an account from logging in (its history stays); the session ends at once."""
    deactivate_user(email)
    click.echo(f"User {email.strip().lower()} can no longer log in.")


@command("purge-notes")
def purge_notes_command() -> None:
    """Empty notes older than IDO_NOTE_RETENTION_DAYS (default 90), also in the database
    files; the counts stay."""
    emptied = purge_old_notes()
    days = current_app.config["IDO_NOTE_RETENTION_DAYS"]
    click.echo(f"{emptied} notes older than {days} days emptied.")


@command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a consistent copy of the whole database to FILE, also while the app runs
    (SQLite's online backup, or pg_dump for PostgreSQL). The copy keeps the notes that the
    purge empties later: delete each backup within IDO_NOTE_RETENTION_DAYS days."""
    backup(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    days = current_app.config["IDO_NOTE_RETENTION_DAYS"]
    click.echo(f"Backup written to {file}.")
    click.echo(
        f"It holds notes that the purge cannot reach: delete it within {days} days "
        "(IDO_NOTE_RETENTION_DAYS; see README, Backups)."
    )


@command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a database that holds tables already.")
def restore_command(file: Path, replace: bool) -> None:
    """Fill the database from a backup FILE. Stop the app first."""
    restore(current_app.config["SQLALCHEMY_DATABASE_URI"], file, replace)
    click.echo(f"Database restored from {file}.")


def register(app: Flask) -> None:
    """Add the commands to `flask --app ido`."""
    for item in (
        init_db,
        create_library_command,
        create_branch_command,
        create_user_command,
        seed_demo_command,
        create_token_command,
        export_counts_command,
        export_national_command,
        export_municipality_command,
        purge_notes_command,
        deactivate_user_command,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(item)
