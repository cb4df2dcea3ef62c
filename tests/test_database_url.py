"""A database URL the app cannot use is named in one line, never in a traceback; the
`postgres://` and `postgresql://` URLs that hosts hand out work as they are."""

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from ido import create_app
from ido.core import db as database
from ido.core.db import db

from .conftest import DB_KIND, dispose, make_config

FLASK = Path(sys.executable).with_name("flask")
REFUSED = "postgres://ido:secret@127.0.0.1:1/ido"  # nothing listens on port 1


@pytest.mark.once
@pytest.mark.parametrize(
    ("given", "used"),
    [
        (
            "postgres://ido:p%40ss@db.example:5433/ido?sslmode=require",
            "postgresql+psycopg://ido:p%40ss@db.example:5433/ido?sslmode=require",
        ),
        ("postgresql://ido@db.example/ido", "postgresql+psycopg://ido@db.example/ido"),
        ("postgresql+psycopg://ido@db.example/ido", "postgresql+psycopg://ido@db.example/ido"),
        ("sqlite:////srv/ido/ido.sqlite", "sqlite:////srv/ido/ido.sqlite"),
    ],
)
def test_postgres_urls_are_given_the_psycopg_driver(given, used):
    assert database.database_url(given) == used
    assert database.database_url(make_url(given)) == make_url(used)


@pytest.mark.once
@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("nonsense", "cannot be read"),
        ("", "cannot be read"),
        (5432, "cannot be read"),  # FLASK_SQLALCHEMY_DATABASE_URI=5432 is read as JSON
        ("mysql://ido:secret@db.example/ido", "begins with mysql://"),
        ("postgresql+psycopg2://ido:secret@db.example/ido", "begins with postgresql+psycopg2://"),
    ],
)
def test_a_url_the_app_cannot_use_stops_it_with_one_line(given, reason):
    with pytest.raises(click.ClickException) as stopped:
        create_app(make_config(given))
    message = stopped.value.message
    assert reason in message and "sqlite:///" in message and "postgresql://" in message
    assert "\n" not in message and "secret" not in message


def cannot_open(url: str) -> list[str]:
    """What `init-db` prints on a database it cannot open."""
    app = create_app(make_config(url))
    result = app.test_cli_runner().invoke(args=["init-db"])
    dispose(app)
    assert result.exit_code == 1
    return result.output.splitlines()


def test_init_db_names_a_server_it_cannot_reach_in_one_line():
    [line] = cannot_open(REFUSED)
    assert line.startswith(
        "Error: Cannot open the database postgresql+psycopg://ido:***@127.0.0.1:1/ido: "
        'connection failed: connection to server at "127.0.0.1", port 1 failed: '
        "Connection refused"
    )


@pytest.mark.skipif(DB_KIND != "sqlite", reason="SQLite files")
def test_init_db_names_an_sqlite_file_it_cannot_open_in_one_line(tmp_path):
    [line] = cannot_open(f"sqlite:///{tmp_path}/no-such-folder/ido.sqlite")
    assert line.startswith(f"Error: Cannot open the database sqlite:///{tmp_path}/no-such-")
    assert "unable to open database file (does its folder exist" in line
    (tmp_path / "notes.txt").write_text("not a database " * 100)
    [line] = cannot_open(f"sqlite:///{tmp_path}/notes.txt")
    assert line.endswith(
        "notes.txt: file is not a database (does its folder exist, may this "
        "user write there, is it an SQLite file?)"
    )


@pytest.mark.skipif(DB_KIND != "postgresql", reason="a PostgreSQL server")
@pytest.mark.parametrize(
    ("user", "name", "reason"),
    [
        ("ido", "no_such_database", 'FATAL: database "no_such_database" does not exist'),
        ("nobody", "postgres", 'FATAL: role "nobody" does not exist'),
    ],
)
def test_init_db_names_what_the_server_refused_in_one_line(databases, user, name, reason):
    url = databases.cluster.url(name).replace("//ido@", f"//{user}@")
    [line] = cannot_open(url)
    assert line.startswith(f"Error: Cannot open the database {url}: connection failed: ")
    assert line.endswith(reason)


@pytest.mark.skipif(DB_KIND != "postgresql", reason="a PostgreSQL server")
@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_the_url_a_host_hands_out_works(database_url, scheme):
    given = database_url.replace("postgresql+psycopg://", f"{scheme}://")
    app = create_app(make_config(given))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == database_url
    with app.app_context():
        assert db.session.scalar(text("SELECT count(*) FROM topic")) == 19
    dispose(app)


@pytest.mark.slow  # flask commands in processes of their own
@pytest.mark.once
def test_the_operator_sees_one_line():
    """`flask --app ido init-db` as make serve and the systemd unit run it, on a URL that
    cannot be read and on a server that cannot be reached."""
    env = {**os.environ, "FLASK_SECRET_KEY": "test-secret-of-at-least-thirty-two-characters"}
    runs = [
        subprocess.Popen(
            [FLASK, "--app", "ido", "init-db"],
            env={**env, "FLASK_SQLALCHEMY_DATABASE_URI": url},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for url in ("nonsense", REFUSED)
    ]
    for run in runs:
        out, err = run.communicate(timeout=60)
        assert run.returncode == 1 and out == ""
        assert len(err.splitlines()) == 1 and err.startswith("Error: "), err
