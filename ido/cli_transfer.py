"""Command line: move one library to another instance (export-library, import-library)."""

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from ido.core.db import db
from ido.core.exceptions import ServiceError
from ido.core.transfer import export_library, import_library


@click.command("export-library")
@click.argument("code")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_library_command(code: str, file: Path) -> None:
    """Write one library (branches, partners and its contact details of them, desks, people
    without passwords, questions, activities and sessions, audit trail) to a new FILE
    (.jsonl, or .jsonl.gz compressed), for import-library."""
    try:
        counts = export_library(code, file)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.rollback()  # it only read
    click.echo(f"Library {code} written to {file}: {_summary(counts)}.")
    click.echo(
        "The file holds people's e-mail addresses and the questions' notes: keep it from "
        "others and delete it once the library has moved."
    )


@click.command("import-library")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--national-form",
    is_flag=True,
    help="Also add the file's national-form mapping versions (they apply to every library here).",
)
@with_appcontext
def import_library_command(file: Path, national_form: bool) -> None:
    """Add the library in FILE (from export-library) to this instance, all or nothing."""
    try:
        done = import_library(file, national_form)
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Library {done.library} imported: {_summary(done.counts)}.")
    if done.people_without_password:
        click.echo(
            f"{done.people_without_password} people have no password here yet: an administrator "
            "makes each coordinator a password link (Beheer > Mensen), the coordinators make "
            "their volunteers' (or they sign in with their work account). "
            "Desk tablets enrol again."
        )
    if done.national_form_left:
        click.echo(
            f"The file holds {done.national_form_left} national-form mapping versions that differ "
            "from the default; this instance keeps its own (--national-form adds them)."
        )


LABELS = {
    "branch": "branches",
    "partner": "local partners",
    "contact": "partners' contact details",
    "desk": "desk choices",
    "person": "people",
    "device": "desk tablets",
    "question": "questions",
    "activity": "activities",
    "session": "sessions",
    "audit": "audit events",
    "national_form": "national-form versions",
}


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{count:,} {LABELS[kind]}" for kind, count in counts.items())


def register(app: Flask) -> None:
    """Add the commands to `flask --app ido`."""
    app.cli.add_command(export_library_command)
    app.cli.add_command(import_library_command)
