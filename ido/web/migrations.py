"""Schema migrations (Flask-Migrate on Alembic), set up when first needed: by `init-db`, by
`flask db ...` and by the tests. A worker that only serves requests never loads Alembic, which
held 11 MiB of each idle worker's memory."""

from pathlib import Path

import click
from flask import Flask, current_app, g
from flask.cli import ScriptInfo, with_appcontext

from ido.core.db import db

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent.parent / "migrations")


def migrations(app: Flask) -> None:
    """Attach Flask-Migrate to the app (once)."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate  # noqa: PLC0415

        Migrate(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)


def upgrade(revision: str = "head") -> None:
    """Migrate the app's database up to `revision` (Flask-Migrate's `upgrade`)."""
    migrations(current_app._get_current_object())  # type: ignore[attr-defined]
    from flask_migrate import upgrade as run  # noqa: PLC0415

    run(revision=revision)


def downgrade(revision: str) -> None:
    """Migrate the app's database down to `revision` (Flask-Migrate's `downgrade`)."""
    migrations(current_app._get_current_object())  # type: ignore[attr-defined]
    from flask_migrate import downgrade as run  # noqa: PLC0415

    run(revision=revision)


class MigrationCommands(click.Group):
    """`flask db ...`: Flask-Migrate's commands, loaded when the command line asks for them."""

    def _commands(self, ctx: click.Context) -> click.Group:
        migrations(ctx.ensure_object(ScriptInfo).load_app())
        from flask_migrate.cli import db as commands  # noqa: PLC0415

        return commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._commands(ctx).list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._commands(ctx).get_command(ctx, cmd_name)


@click.group("db", cls=MigrationCommands)
@click.option("-d", "--directory", default=None, help="Migration script directory.")
@click.option("-x", "--x-arg", multiple=True, help="Arguments for the migrations' env.py.")
@with_appcontext
def db_commands(directory: str | None, x_arg: tuple[str, ...]) -> None:
    """Perform database migrations (Flask-Migrate)."""
    g.directory = directory  # where Flask-Migrate's commands look, as its own group does
    g.x_arg = x_arg
