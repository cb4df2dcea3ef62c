"""Command line: flask --app ido <command>; safe to repeat where that makes sense."""

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate import upgrade

from .categories import seed_categories
from .models import ROLES
from .organisation import OrganisationError, create_branch, create_library, create_user


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


def register(app: Flask) -> None:
    """Add the commands to `flask --app ido`."""
    for command in (init_db, create_library_command, create_branch_command,
                    create_user_command, seed_demo_command):
        app.cli.add_command(command)
