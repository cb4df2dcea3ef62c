"""The desk against its nearest peer: server CPU and wall time per logged question, side by side.

Usage: python benchmarks/bench_peer.py [--questions N] [--rounds N] [--warm N]

The peer is a minimal Django 4.2 app of LibStats' shape (benchmarks/peer_app.py: one model of
a few choice fields and a moment, a ModelForm view behind Django's log-in, POST then redirect
to the empty form), written into benchmarks/data/peer/ with a venv of its own (made once), on
SQLite, under gunicorn with 2 sync workers. The app runs beside it on a fresh SQLite file
(made through its command line, as `make run` does), under gunicorn with the same 2 sync
workers, a second time with threaded workers (`gthread`, as `make serve` has them), which
keep a connection open between requests, and a third time under granian (a WSGI server
written in Rust, PyPI's `granian`) with 2 workers of one thread each, which keeps the
connection too: the other WSGI server the issue named.

One desk (one client, one connection it reuses where the server keeps it) logs questions.
Each round runs every setting in turn, the peer first, so that all see the same load (rounds
interleave peer / ours / peer); each setting logs --warm questions unmeasured first:

- peer: POST the form, then GET the empty form it redirects to;
- ours, without JavaScript: POST the desk form, then GET the desk page it redirects to;
- ours, the desk's script: one JSON POST to /api/v1/questions (no page after it), with sync
  workers, with threaded workers and under granian;
- ours, the desk's queue after an outage: 10 questions in one POST /api/v1/batch/questions
  (the save's time is then the batch's).

Prints per setting the server's CPU per logged question (psutil: user + system of the gunicorn
master and its workers, or of granian's processes, during that setting's questions only), the
median wall time of the save a volunteer waits for and of the round trip, and the ratios
against the peer. Targets
(issue 26): the script's save at most half the peer's CPU per logged question, the loop
without JavaScript at most the peer's.
"""

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_desk_http  # noqa: E402
from bench_desk import PASSWORD, prepare  # noqa: E402
from bench_desk import config as bench_config  # noqa: E402
from bench_desk_http import server_cpu  # noqa: E402
from peer_app import FORM as PEER_FORM  # noqa: E402
from peer_app import build as build_peer  # noqa: E402

from ido import create_app  # noqa: E402

PEER = ROOT / "benchmarks" / "data" / "peer"
SECRET = "bench-secret-of-at-least-thirty-two-characters"
EMAIL, BRANCH = "vol@bench.example", "bench-1"
OUR_FORM = {
    "topics": ["toeslagen"],
    "agencies": ["belastingdienst"],
    "channel": "balie",
    "outcome": "geholpen",
    "duration_minutes": "10",
    "note": "",
}
BATCH = 10  # questions waiting after an outage, in one request
TOKEN = re.compile(r'name="(csrf_token|csrfmiddlewaretoken)"[^>]*value="([^"]+)"')
FORM_ID = re.compile(r'name="id"[^>]*value="([^"]+)"')


class Browser(bench_desk_http.Browser):
    """One desk: a connection, cookies, the page in front of it."""

    def __init__(self, port: int) -> None:
        super().__init__(port)
        self.page = ""

    def post_json(self, path: str, body: object):
        """POST JSON as the desk's script does, with the page's CSRF token in the header."""
        json_headers = {"Content-Type": "application/json", "Accept": "application/json"}
        return self.request(
            "POST", path, json.dumps(body), {**json_headers, "X-CSRFToken": self.token()}
        )

    def open(self, path: str) -> None:
        response = self.request("GET", path)
        assert response.status == 200, (path, response.status)
        self.page = response.content

    def token(self) -> str:
        return TOKEN.search(self.page).group(2)

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        """POST a form of the page in front of it, with the page's CSRF field."""
        name, value = TOKEN.search(self.page).groups()
        body = urllib.parse.urlencode({**fields, name: value}, doseq=True)
        response = self.request("POST", path, body)
        return response.status, urllib.parse.urlsplit(response.headers.get("Location", "")).path


def peer_desk(port: int) -> Browser:
    browser = Browser(port)
    browser.open("/login/")
    status, _ = browser.post_form("/login/", {"username": "desk", "password": PASSWORD})
    assert status == 302, status
    browser.open("/")
    return browser


def our_desk(port: int) -> Browser:
    browser = Browser(port)
    browser.open("/auth/login")
    status, _ = browser.post_form("/auth/login", {"email": EMAIL, "password": PASSWORD})
    assert status == 302, status
    browser.open("/desk/")
    return browser


def _form_question(browser: Browser, path: str, fields: dict) -> tuple[float, float, int]:
    """POST the form, follow the redirect: (save s, round trip s, questions logged)."""
    started = time.perf_counter()
    status, location = browser.post_form(path, fields)
    saved = time.perf_counter()
    assert status == 302, status
    browser.open(location)
    return saved - started, time.perf_counter() - started, 1


def peer_question(browser: Browser) -> tuple[float, float, int]:
    return _form_question(browser, "/", PEER_FORM)


def our_form_question(browser: Browser) -> tuple[float, float, int]:
    return _form_question(
        browser, "/desk/", {**OUR_FORM, "id": FORM_ID.search(browser.page).group(1)}
    )


def _body() -> dict:
    return {
        "id": str(uuid.uuid4()),
        "branch": BRANCH,
        "asked_at": datetime.now(UTC).isoformat(),
        "topics": ["toeslagen"],
        "agencies": ["belastingdienst"],
        "channel": "balie",
        "outcome": "geholpen",
        "duration_minutes": 10,
    }


def our_api_question(browser: Browser) -> tuple[float, float, int]:
    started = time.perf_counter()
    response = browser.post_json("/api/v1/questions", _body())
    assert response.status == 201, (response.status, response.content[:300])
    spent = time.perf_counter() - started
    return spent, spent, 1


def our_batch_questions(browser: Browser) -> tuple[float, float, int]:
    """The desk's queue after an outage: BATCH questions in one request."""
    body = {"questions": [_body() for _ in range(BATCH)]}
    started = time.perf_counter()
    response = browser.post_json("/api/v1/batch/questions", body)
    stored = response.content.count('"status":201')
    assert response.status == 200 and stored == BATCH, (response.status, response.content[:300])
    spent = time.perf_counter() - started
    return spent, spent, BATCH


def start(command: list[str], env: dict, cwd: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/login/" if "peer" in str(cwd) else "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.05)  # polling for the server to listen
    server.kill()
    raise SystemExit(f"{command[0]} did not start")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_peer(bin_folder: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [str(bin_folder / "gunicorn"), "--workers", "2", "--worker-class", "sync"]
    command += ["--bind", f"127.0.0.1:{port}", "peer.wsgi:application"]
    return start(command, dict(os.environ), PEER / "app", port), port


def serve_ours(url: str, worker_class: str) -> tuple[subprocess.Popen, int]:
    """gunicorn with the settings of `make serve` (ido/gunicorn_config.py), but 2 workers of
    the given class (the sync ones truly sync: with threads gunicorn switches to gthread)."""
    port = free_port()
    env = {
        **os.environ,
        "FLASK_SECRET_KEY": SECRET,
        "FLASK_SQLALCHEMY_DATABASE_URI": url,
        "FLASK_IDO_PURGE_IN_APP": "false",
        "IDO_BIND": f"127.0.0.1:{port}",
        "IDO_THROTTLE_PER_PROCESS": "accept",
    }
    threads = ["--threads", "1"] if worker_class == "sync" else ["--threads", "4"]
    command = [str(Path(sys.executable).with_name("gunicorn")), "--config"]
    command += ["python:ido.gunicorn_config", "--worker-class", worker_class, "--workers", "2"]
    command += [*threads, "ido:create_app()"]
    return start(command, env, ROOT, port), port


def serve_granian(url: str) -> tuple[subprocess.Popen, int]:
    """granian with 2 worker processes of one thread each (as gunicorn's sync workers), the
    app's factory, no access log (the app writes its own line per request)."""
    port = free_port()
    env = {
        **os.environ,
        "FLASK_SECRET_KEY": SECRET,
        "FLASK_SQLALCHEMY_DATABASE_URI": url,
        "FLASK_IDO_PURGE_IN_APP": "false",
    }
    command = [str(Path(sys.executable).with_name("granian")), "--interface", "wsgi"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
    command += ["--blocking-threads", "1", "--runtime-threads", "1", "--no-ws", "--factory"]
    return start([*command, "ido:create_app"], env, ROOT, port), port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=200, help="per setting and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warm", type=int, default=20, help="unmeasured, per setting")
    args = parser.parse_args()

    print("building the peer (benchmarks/data/peer/, a venv the first time)", flush=True)
    PEER.mkdir(parents=True, exist_ok=True)
    peer_bin = build_peer(PEER, "desk", PASSWORD)
    scratch = tempfile.mkdtemp(prefix="ido-bench-peer-")
    url = f"sqlite:///{scratch}/ours.sqlite"
    prepare(create_app(bench_config(url)))

    servers = {}
    try:
        servers["peer"] = serve_peer(peer_bin)
        servers["sync"] = serve_ours(url, "sync")
        servers["gthread"] = serve_ours(url, "gthread")
        servers["granian"] = serve_granian(url)
        settings = [
            ("peer (Django 4.2): POST + form page, sync", "peer", peer_desk, peer_question),
            (
                "ours without JavaScript: POST + desk page, sync",
                "sync",
                our_desk,
                our_form_question,
            ),  # noqa: E501
            ("ours, the desk's script: API POST, sync", "sync", our_desk, our_api_question),
            ("ours, the desk's script: API POST, gthread", "gthread", our_desk, our_api_question),
            ("ours, the desk's script: API POST, granian", "granian", our_desk, our_api_question),
            (
                f"ours, the queue after an outage: {BATCH} in one batch, sync",
                "sync",
                our_desk,
                our_batch_questions,
            ),
        ]
        figures = {label: {"cpu": 0.0, "n": 0, "save": [], "trip": []} for label, *_ in settings}
        for _ in range(args.rounds):
            for label, server, desk, question in settings:
                process, port = servers[server]
                master = psutil.Process(process.pid)
                browser = desk(port)
                for _ in range(args.warm):
                    question(browser)
                before = server_cpu(master)
                logged = 0
                while logged < args.questions:
                    save, trip, count = question(browser)
                    figures[label]["save"].append(save)
                    figures[label]["trip"].append(trip)
                    logged += count
                figures[label]["cpu"] += server_cpu(master) - before
                figures[label]["n"] += logged
                browser.connection.close()
    finally:
        for process, _ in servers.values():
            process.send_signal(signal.SIGTERM)
            process.wait(30)

    ms = 1000
    rows = {}
    python = ".".join(str(part) for part in sys.version_info[:3])
    print(f"\n{args.rounds} rounds x {args.questions} questions per setting, one desk")
    print(f"both on Python {python} (the peer's venv is made with the app's interpreter)")
    print("| per logged question | server CPU | save (median) | round trip (median) |")
    print("| --- | --- | --- | --- |")
    for label, found in figures.items():
        cpu = found["cpu"] / found["n"] * ms
        save, trip = statistics.median(found["save"]) * ms, statistics.median(found["trip"]) * ms
        rows[label] = (cpu, save, trip)
        print(f"| {label} | {cpu:.2f} ms | {save:.2f} ms | {trip:.2f} ms |")
    peer_cpu, peer_save, _ = rows[settings[0][0]]
    print("\nratios against the peer (CPU per logged question; the save a volunteer waits for)")
    for label, _, _, _ in settings[1:]:
        cpu, save, _ = rows[label]
        target = "<= 1.00" if "without" in label else "<= 0.50" if "batch" not in label else "-"
        print(f"  {label}: CPU {cpu / peer_cpu:.2f} (target {target}), save {save / peer_save:.2f}")


if __name__ == "__main__":
    main()
