"""What an idle gunicorn worker holds, and what the first request that needs a lazily imported
library (the municipality's PDF: WeasyPrint) costs.

Usage: python benchmarks/bench_worker_memory.py [--workers 2]
Starts gunicorn as `make serve` does (ido/gunicorn_config.py) on a scratch SQLite database with
one library, branch and administrator, requests /healthz and the log-in page once, then reads
each worker's RSS, PSS and private memory (USS) from /proc/<pid>/smaps_rollup and prints them.
Then it logs in and times the first and the second request of a municipality PDF.
"""

import argparse
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "a-benchmark-password-long-enough"
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def memory(pid: int) -> dict[str, float]:
    """RSS, PSS and USS (private clean + dirty) of a process, in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    uss = fields["Private_Clean"] + fields["Private_Dirty"]
    return {"rss": fields["Rss"], "pss": fields["Pss"], "uss": uss}


def line(name: str, pid: int) -> str:
    figures = memory(pid)
    return f"{name:>14} {figures['rss']:7.1f} {figures['pss']:7.1f} {figures['uss']:7.1f}"


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "FLASK_SQLALCHEMY_DATABASE_URI": f"sqlite:///{scratch}/ido.db",
            "FLASK_SECRET_KEY": "benchmark-secret-of-at-least-thirty-two-characters",
            "FLASK_ARGON2_PARAMS": json.dumps(CHEAP_ARGON2),
            "FLASK_IDO_LOG_LEVEL": '"WARNING"',
            "FLASK_IDO_REQUIRE_2FA": '"none"',
            "IDO_BIND": "127.0.0.1:18431",
            "IDO_WORKERS": str(args.workers),
            "IDO_THROTTLE_PER_PROCESS": "accept",
        }
        flask = [str(BIN / "flask"), "--app", "ido"]
        for command in (
            ["init-db"],
            ["create-library", "bench", "Bench library"],
            [
                "create-branch",
                "b1",
                "Bench branch",
                "--library",
                "bench",
                "--municipality",
                "Astad",
            ],
            ["create-user", "admin@example.org", "--role", "admin", "--password", PASSWORD],
        ):
            subprocess.run(flask + command, env=env, cwd=ROOT, check=True, capture_output=True)
        url = "http://127.0.0.1:18431"
        command = [str(BIN / "gunicorn"), "--config", "python:ido.gunicorn_config"]
        log = open(Path(scratch) / "gunicorn.log", "w+")  # noqa: SIM115
        server = subprocess.Popen([*command, "ido:create_app()"], env=env, cwd=ROOT, stderr=log)
        try:
            started = time.monotonic()
            while True:
                try:
                    urllib.request.urlopen(f"{url}/healthz", timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() - started > 60 or server.poll() is not None:
                        log.seek(0)
                        sys.exit(f"gunicorn did not start: {log.read()[-2000:]}")
                    time.sleep(0.05)
            while len(children(server.pid)) < args.workers:
                time.sleep(0.05)
            print(f"gunicorn answers after {time.monotonic() - started:.2f} s")
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            login_page = opener.open(f"{url}/auth/login").read().decode()
            time.sleep(2)  # idle
            print("idle, after /healthz and the log-in page once (MiB):")
            print(f"{'process':>14} {'RSS':>7} {'PSS':>7} {'USS':>7}")
            figures = memory(server.pid)
            print(
                f"{'master':>14} {figures['rss']:7.1f} {figures['pss']:7.1f} {figures['uss']:7.1f}"
            )
            for pid in children(server.pid):
                figures = memory(pid)
                name = f"worker {pid}"
                print(
                    f"{name:>14} {figures['rss']:7.1f} {figures['pss']:7.1f} {figures['uss']:7.1f}"
                )
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page)
            form = {"email": "admin@example.org", "password": PASSWORD}
            if token:
                form["csrf_token"] = token.group(1)
            body = urllib.parse.urlencode(form).encode()
            opener.open(urllib.request.Request(f"{url}/auth/login", data=body)).close()
            pdf = f"{url}/reports/municipality.pdf?municipality=Astad&period=2026-Q1"
            for which in ("first", "second", "third", "fourth"):
                before = time.perf_counter()
                with opener.open(pdf) as response:
                    size = len(response.read())
                    kind = response.headers["Content-Type"]
                took = time.perf_counter() - before
                print(f"{which} municipality PDF: {took * 1000:.0f} ms ({size} bytes, {kind})")
            print("after the PDF (MiB; the worker that made it grew):")
            for pid in children(server.pid):
                figures = memory(pid)
                name = f"worker {pid}"
                print(
                    f"{name:>14} {figures['rss']:7.1f} {figures['pss']:7.1f} {figures['uss']:7.1f}"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()


if __name__ == "__main__":
    main()
