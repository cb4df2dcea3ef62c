"""Command line: flask --app ido <command>; safe to repeat where that makes sense."""

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate import upgrade

from .categories import seed_categories
from .models import ROLES
from .organisation import OrganisationError, create_branch, create_library, create_user
from .reports.exports import DIALECTS, counts_csv
from .reports.queries import DIMENSIONS, monthly_counts


def _fail(error: Exception) -> None:
    raise click.ClickException(str(error))


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Migrate the database to the newest schema and add missing default categories."""
    upgrade()
    added = seed_categories()
    click.echo(f"Database is up to date; {added} default categories added.")


@click.command("create-library")
@with_appcontext
@click.argument("code")
@click.argument("name")
def create_library_command(code: str, name: str) -> None:
    """Add a library organisation."""
    try:
        library = create_library(code, name)
    except OrganisationError as error:
        _fail(error)
    click.echo(f"Library {library.code} created.")


@click.command("create-branch")
@with_appcontext
@click.argument("code")
@click.argument("name")
@click.option("--library", "library_code", required=True, help="Code of the library.")
@click.option("--municipality", required=True, help="The municipality the IDO serves.")
@click.option("--elsewhere", is_flag=True, help="The IDO is outside the library building.")
def create_branch_command(code: str, name: str, library_code: str, municipality: str,
                          elsewhere: bool) -> None:
    """Add a branch (an IDO location) to a library."""
    try:
        branch = create_branch(code, name, library_code, municipality, not elsewhere)
    except OrganisationError as error:
        _fail(error)
    click.echo(f"Branch {branch.code} created.")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", default="", help="Display name (default: the e-mail address).")
@click.option("--library", "library_code", help="Code of the library (not for admins).")
@click.option("--branch", "branch_codes", multiple=True, help="Branch code; repeat for more.")
@click.password_option(prompt=True, help="Prompted for (twice) when not given.")
def create_user_command(email: str, role: str, name: str, library_code: str | None,
                        branch_codes: tuple[str, ...], password: str) -> None:
    """Add a volunteer, coordinator or administrator."""
    try:
        user = create_user(email, name, role, password, library_code, branch_codes)
    except OrganisationError as error:
        _fail(error)
    click.echo(f"User {user.email} ({user.role}) created.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Add the demo library, its users and a year of questions (once)."""
    from .demo import DEMO_PASSWORD, DEMO_USERS, seed_demo

    seed_categories()
    if seed_demo():
        click.echo(f"Demo library created. Log in with (password: {DEMO_PASSWORD}):")
    else:
        click.echo(f"The demo library already exists. Log-ins (password: {DEMO_PASSWORD}):")
    for email, _name, role, _branches in DEMO_USERS:
        click.echo(f"  {email:28} {role}")


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="command line", help="What the token is for.")
@with_appcontext
def create_token_command(email: str, name: str) -> None:
    """Make an API token for a user and print it (it is shown only this once)."""
    from .organisation import user_by_email
    from .tokens import create_token

    user = user_by_email(email)
    if user is None or not user.active:
        raise click.ClickException(f"No active user with e-mail {email}.")
    _token, plaintext = create_token(user, name)
    click.echo(plaintext)


@click.command("export-counts")
@click.option("--from", "first", required=True, help="First month, YYYY-MM.")
@click.option("--to", "last", required=True, help="Last month, YYYY-MM.")
@click.option("--by", default="total", type=click.Choice(list(DIMENSIONS)))
@click.option("--branch", "branches", default="", help="Comma-separated branch codes.")
@click.option("--dialect", default="excel-nl", type=click.Choice(DIALECTS))
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_counts_command(first, last, by, branches, dialect, out) -> None:
    """Write monthly counts (all libraries, or the branches named) to a CSV file."""
    from werkzeug.datastructures import MultiDict

    from .models import User
    from .reports.params import ParamError, count_params

    everyone = User(role="admin", email="cli", name="cli", password_hash="")
    try:
        params = count_params(MultiDict({"from": first, "to": last, "by": by,
                                         "branch": branches}), everyone)
    except ParamError as error:
        _fail(error)
    rows = monthly_counts(params.first, params.last, by, params.branches)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        handle.writelines(counts_csv(rows, by, dialect))
    click.echo(f"{len(rows)} rows written to {out}.")


@click.command("deactivate-user")
@click.argument("email")
@with_appcontext
def deactivate_user_command(email: str) -> None:
    """Stop an account from logging in (its history stays); the session ends at once."""
    from .organisation import deactivate_user

    try:
        deactivate_user(email)
    except OrganisationError as error:
        _fail(error)
    click.echo(f"User {email.strip().lower()} can no longer log in.")


@click.command("purge-notes")
@with_appcontext
def purge_notes_command() -> None:
    """Empty notes older than IDO_NOTE_RETENTION_DAYS (default 90); the counts stay."""
    from flask import current_app

    from .retention import purge_old_notes

    emptied = purge_old_notes()
    days = current_app.config["IDO_NOTE_RETENTION_DAYS"]
    click.echo(f"{emptied} notes older than {days} days emptied.")


def register(app: Flask) -> None:
    """Add the commands to `flask --app ido`."""
    for command in (init_db, create_library_command, create_branch_command,
                    create_user_command, seed_demo_command, create_token_command,
                    export_counts_command, purge_notes_command, deactivate_user_command):
        app.cli.add_command(command)
