"""Scratch folders of the test databases, and what killed runs left of them."""

import contextlib
import glob
import os
import shutil
import signal
import tempfile
import time

OWNER = "ido-owner.pid"  # the process a scratch folder belongs to
UNOWNED_KEPT = 6 * 3600  # seconds a folder of an older version, without OWNER, is left alone


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _pid(path: str) -> int | None:
    with contextlib.suppress(OSError, ValueError), open(path, encoding="ascii") as file:
        return int(file.readline().strip())
    return None


def sweep(folder: str, prefix: str) -> list[str]:
    """Remove the scratch folders (`prefix`*) that a killed test run left in `folder`: those
    whose owning process is gone, after stopping a PostgreSQL server still running on one. A
    killed run left PostgreSQL clusters of gigabytes in /dev/shm, which is memory."""
    removed = []
    for path in sorted(glob.glob(os.path.join(folder, prefix + "*"))):
        owner = _pid(os.path.join(path, OWNER))
        if owner is None and time.time() - os.path.getmtime(path) < UNOWNED_KEPT:
            continue
        if owner is not None and _alive(owner):
            continue
        server = _pid(os.path.join(path, "data", "postmaster.pid"))
        if server is not None and _alive(server):
            os.kill(server, signal.SIGQUIT)  # PostgreSQL's immediate shutdown
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def scratch_folder(prefix: str, in_memory: bool = True) -> str:
    """A new temporary folder owned by this process: in memory (/dev/shm) where the machine
    has a tmpfs and `in_memory`; what killed runs left there is removed first."""
    memory = "/dev/shm" if in_memory and os.access("/dev/shm", os.W_OK) else None
    if memory is not None:
        sweep(memory, prefix)
    path = tempfile.mkdtemp(prefix=prefix, dir=memory)
    with open(os.path.join(path, OWNER), "w", encoding="ascii") as file:
        file.write(f"{os.getpid()}\n")
    return path
