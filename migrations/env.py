import logging
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from alembic.util import CommandError
from flask import current_app
from sqlalchemy import event

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")
LEFTOVER_PREFIX = "_alembic_tmp_"  # what alembic's batch mode names a table's copy


def get_engine():
    return current_app.extensions["migrate"].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")
    except AttributeError:
        return str(get_engine().url).replace("%", "%%")


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option("sqlalchemy.url", get_engine_url())
target_db = current_app.extensions["migrate"].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True)

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()

    with connectable.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            transactional_sqlite(connection)
        try:
            drop_leftover_copies(connection)
            context.configure(
                connection=connection,
                target_metadata=get_metadata(),
                # one transaction per migration, its version stamp included: a crash leaves
                # the database at the last migration that finished
                transaction_per_migration=True,
                transactional_ddl=True,
                **conf_args,
            )
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:  # its settings stay out of the app's pool: it is closed, not returned
                connection.invalidate()


def transactional_sqlite(connection):
    """Make an SQLite connection run DDL in real transactions (SQLAlchemy's pysqlite recipe).

    pysqlite begins a transaction before INSERT, UPDATE and DELETE only: a process killed
    while a migration copied a table (CREATE TABLE _alembic_tmp_agency, INSERT INTO it ...)
    kept the empty copy, and every later upgrade failed on it. Here the driver begins nothing
    and every transaction starts with BEGIN IMMEDIATE, which waits for other writers (busy
    timeout) instead of failing when a read turns into a write.
    """
    driver = connection.connection.dbapi_connection
    # SQLite alters a table by copying it and dropping the old one, and dropping a table
    # with foreign keys on would cascade: it would delete the question's link rows. The
    # pragma does nothing inside a transaction, so it is set before the first BEGIN.
    driver.execute("PRAGMA foreign_keys=OFF")
    driver.isolation_level = None
    event.listen(connection, "begin", lambda c: c.exec_driver_sql("BEGIN IMMEDIATE"))


def drop_leftover_copies(connection):
    """Drop the table copies (`_alembic_tmp_<table>`) that a killed upgrade of an older
    version left behind; refuse when the table itself is gone, as the copy may hold its rows."""
    with connection.begin():
        tables = set(sa.inspect(connection).get_table_names())
        for copy in sorted(t for t in tables if t.startswith(LEFTOVER_PREFIX)):
            original = copy.removeprefix(LEFTOVER_PREFIX)
            if original not in tables:
                raise CommandError(
                    f"The database holds {copy}, a copy left behind by an interrupted upgrade, "
                    f"but no table {original}: restore the last backup "
                    "(flask --app ido restore FILE --replace), then run init-db again."
                )
            sa.Table(copy, sa.MetaData()).drop(connection)
            logger.warning(
                "Removed the table %s, left behind by an interrupted upgrade; "
                "the upgrade runs again.",
                copy,
            )


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
