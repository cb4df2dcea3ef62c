"""The test databases' scratch folders (tests/scratch.py): what a killed run left in /dev/shm
(which is memory) is removed by the next run, and nothing of a run still going."""

import os
import signal
import subprocess
import sys
import time

import pytest

from .scratch import OWNER, sweep

pytestmark = pytest.mark.once
STAND_IN = """import signal
signal.signal(signal.SIGQUIT, signal.SIG_DFL)
print("ready", flush=True)
signal.pause()  # until a signal ends it, as a server runs until it is stopped"""


def _gone_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _folder(parent, name: str, owner: int | None):
    folder = parent / name
    (folder / "data").mkdir(parents=True)
    if owner is not None:
        (folder / OWNER).write_text(f"{owner}\n", encoding="ascii")
    return folder


def test_a_killed_runs_folders_go_with_their_server_and_a_running_ones_stay(tmp_path):
    killed = _folder(tmp_path, "ido-pg-killed", _gone_pid())
    # the PostgreSQL server the killed run left running; a stand-in that, as the postmaster
    # does, acts on SIGQUIT (a job started in the background, as make's are, inherits it
    # ignored)
    server = subprocess.Popen([sys.executable, "-c", STAND_IN], stdout=subprocess.PIPE)
    try:
        assert server.stdout.readline() == b"ready\n"
        pid_file = killed / "data" / "postmaster.pid"
        pid_file.write_text(f"{server.pid}\n/data\n", encoding="ascii")
        running = _folder(tmp_path, "ido-pg-running", os.getpid())
        unowned = _folder(tmp_path, "ido-pg-unowned", None)  # an older version's: kept hours
        other = _folder(tmp_path, "ido-test-other", _gone_pid())  # another prefix

        assert sweep(str(tmp_path), "ido-pg-") == [str(killed)]
        assert server.wait(timeout=10) == -signal.SIGQUIT  # stopped
    finally:
        server.kill()
        server.wait()
        server.stdout.close()
    assert not killed.exists()
    assert running.exists() and unowned.exists() and other.exists()

    hours_ago = time.time() - 7 * 3600
    os.utime(unowned, (hours_ago, hours_ago))
    assert sweep(str(tmp_path), "ido-pg-") == [str(unowned)]
    assert running.exists()
