"""Many desks at once against a real multi-process server (gunicorn, as in production)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ido.core.db import db
from ido.core.tokens import create_token

from .conftest import CHEAP_ARGON2
from .helpers import questions, user

GUNICORN = Path(sys.executable).with_name("gunicorn")


@pytest.fixture
def gunicorn_url(database_url, org):
    """gunicorn with 4 worker processes of 4 threads each on the test database."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "FLASK_SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_SECRET_KEY": "test-secret-of-at-least-thirty-two-characters",
        "FLASK_ARGON2_PARAMS": json.dumps(CHEAP_ARGON2),
        "FLASK_IDO_PURGE_IN_APP": "false",
        "FLASK_IDO_LOG_LEVEL": '"WARNING"',
    }
    server = subprocess.Popen(
        [
            GUNICORN,
            "--workers",
            "4",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "ido:create_app()",
        ],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/privacy", timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        server.kill()
        pytest.fail(f"gunicorn did not start: {server.communicate()[1][-2000:]}")
    yield url
    server.terminate()
    _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors, errors[-3000:]


def test_identical_saves_from_many_desks_at_once_are_stored_once(gunicorn_url, app):
    """40 questions, each sent 8 times at once (a desk retrying over bad Wi-Fi) to 4 worker
    processes: every copy is answered 201 or 200, none 500, and each question is stored once."""
    with app.app_context():
        token = create_token(user("vol@a.example"), "desk")[1]
        db.session.commit()
    ids = [str(uuid.uuid4()) for _ in range(40)]

    def post(question_id: str) -> int:
        body = {"id": question_id, "branch": "a1", "topics": ["digid"], "note": "app kwijt"}
        request = urllib.request.Request(
            f"{gunicorn_url}/api/v1/questions",
            json.dumps(body).encode(),
            {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(32) as pool:
        answers = Counter(pool.map(post, [i for i in ids for _ in range(8)]))
    assert answers == {201: 40, 200: 280}
    with app.app_context():
        assert sorted(str(q.id) for q in questions()) == sorted(ids)
