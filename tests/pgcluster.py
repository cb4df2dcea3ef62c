"""A throwaway PostgreSQL cluster in a temporary folder, for the test suite."""

import glob
import os
import shutil
import socket
import subprocess

import psycopg

from .scratch import scratch_folder


def _bindir() -> str:
    found = shutil.which("initdb") and os.path.dirname(shutil.which("pg_ctl") or "")
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if os.path.exists(os.path.join(folder, "initdb")):
            return folder
    if found:
        return found
    raise RuntimeError("PostgreSQL is not installed (no initdb); run: apt-get install postgresql")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresCluster:
    """initdb, pg_ctl start and stop, run as the postgres user when we are root."""

    def __init__(
        self, in_memory: bool = True, folder: str | None = None, fsync: bool = False
    ) -> None:
        """A cluster in a new temporary folder, or kept in `folder` (made once, started again
        on later runs, left in place when stopped: the benchmarks' million questions)."""
        self.bindir = _bindir()
        self.keep, self.fsync = folder is not None, fsync
        # Tests keep it in memory where the machine has a tmpfs: a copy of the template database
        # then takes some 30 ms instead of 350 ms on this machine's disk. Benchmarks measure
        # on disk, as production runs.
        if folder is not None:
            os.makedirs(folder, exist_ok=True)
            self.dir = folder
        else:
            self.dir = scratch_folder("ido-pg-", in_memory)
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess:
        command = [os.path.join(self.bindir, program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{program} failed: {result.stderr.strip() or result.stdout}")
        return result

    def start(self) -> None:
        data = os.path.join(self.dir, "data")
        if self.keep and os.path.exists(os.path.join(data, "PG_VERSION")):
            self._serve()
            return
        self._run(
            "initdb", "-D", data, "-U", "ido", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
        )
        self._serve()

    def _serve(self) -> None:
        """Start the server on the cluster, its output to a log file (not to our pipes)."""
        fsync = "on" if self.fsync else "off"  # tests need no durability; a desk benchmark does
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync={fsync}"
        data, log = os.path.join(self.dir, "data"), os.path.join(self.dir, "pg.log")
        self._run("pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "start")

    def has_database(self, name: str) -> bool:
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="ido", dbname="postgres", autocommit=True
        ) as connection:
            found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            return found.fetchone() is not None

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://ido@127.0.0.1:{self.port}/{name}"

    def _sql(self, statement: str) -> None:
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="ido", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(statement)

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create a database (a copy of the template, if given); returns its SQLAlchemy URL.

        PostgreSQL 15 copies through the WAL by default, which needs no checkpoint: a copy of
        the test template takes some 40 ms, where FILE_COPY took 300 ms once the cluster held
        dirty pages of earlier tests.
        """
        copy = f" TEMPLATE {template}" if template else ""
        self._sql(f"CREATE DATABASE {name}{copy}")
        return f"postgresql+psycopg://ido@127.0.0.1:{self.port}/{name}"

    def drop_database(self, name: str) -> None:
        self._sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def restart(self) -> None:
        """Stop and start the server, as an upgrade or a crash would: connections are cut."""
        self._run("pg_ctl", "-D", os.path.join(self.dir, "data"), "-m", "fast", "-w", "stop")
        self._serve()

    def __enter__(self) -> "PostgresCluster":
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", os.path.join(self.dir, "data"), "-m", "fast", "-w", "stop")
        finally:
            if not self.keep:
                shutil.rmtree(self.dir, ignore_errors=True)
