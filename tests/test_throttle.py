"""Throttling that protects without locking out: one count for every process (a shared
Redis), unknown accounts answered as slowly as known ones, enrolment codes throttled."""

import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ido import create_app
from ido.core.db import db
from ido.core.organisation import create_user

from .conftest import PASSWORD, Auth, dispose, make_config


def _failed_logins(config: dict, count: int, answers) -> None:
    """In a child process: `count` wrong passwords for vol@a.example; sends the statuses."""
    auth = Auth(create_app(config).test_client())
    answers.send([auth.login("vol@a.example", "wrong!").status_code for _ in range(count)])


@pytest.mark.slow  # two processes
@pytest.mark.once
def test_two_processes_count_failures_together(database_url, org, redis_url):
    """Two worker processes, one Redis: the sixth failure is refused, whichever process."""
    config = make_config(
        database_url, RATELIMIT_STORAGE_URI=redis_url, IDO_LOGIN_LIMIT_ACCOUNT="5 per minute"
    )

    def worker(count: int) -> list[int]:
        """The statuses of `count` wrong passwords sent by a process of its own (forked: the app
        is imported already, so it starts in milliseconds, not a second)."""
        answers, sent = multiprocessing.Pipe(duplex=False)
        child = multiprocessing.get_context("fork").Process(
            target=_failed_logins, args=(config, count, sent)
        )
        child.start()
        codes = answers.recv() if answers.poll(60) else None
        child.join(60)
        assert child.exitcode == 0, child.exitcode
        return codes

    assert worker(3) == [200, 200, 200]
    assert worker(3) == [200, 200, 429]  # alone, this process would have allowed all three


@pytest.mark.slow  # the real argon2 cost
@pytest.mark.once
def test_an_unknown_address_is_answered_as_slowly_as_a_known_one(database_url):
    """With the real argon2 cost, the time of a refusal does not tell which addresses exist."""
    app = create_app(
        make_config(
            database_url,
            ARGON2_PARAMS={},
            IDO_LOGIN_LIMIT_ACCOUNT="99 per minute",
            IDO_LOGIN_LIMIT_ADDRESS="99 per minute",
        )
    )
    with app.app_context():
        create_user("echt@a.example", "Echt", "admin", PASSWORD)
        db.session.commit()
    auth = Auth(app.test_client())

    def seconds(email: str) -> float:
        started = time.perf_counter()
        assert auth.login(email, "wrong!").status_code == 200
        return time.perf_counter() - started

    seconds("niemand@a.example")  # the first makes the stand-in hash once
    known = min(seconds("echt@a.example") for _ in range(3))
    unknown = min(seconds("niemand@a.example") for _ in range(3))
    assert known > 0.02  # the real cost, not the tests' cheap one
    assert 0.5 < unknown / known < 2, (known, unknown)
    dispose(app)


def test_wrong_enrolment_codes_are_throttled(client, org):
    for _ in range(10):
        assert client.post("/desk/enrol", data={"code": "AAAA-AAAA"}).status_code == 422
    assert client.post("/desk/enrol", data={"code": "AAAA-AAAA"}).status_code == 429


@pytest.mark.slow  # waits out one-second windows
@pytest.mark.once
def test_the_account_limit_backs_off_in_steps(database_url, org):
    """Each step of the limit waits longer (here in seconds, as the real ones in minutes,
    hours and a day): past the first step a pause helps, past the second it does not."""
    app = create_app(
        make_config(database_url, IDO_LOGIN_LIMIT_ACCOUNT="2 per second; 3 per 10 seconds")
    )
    auth = Auth(app.test_client())

    def attempt() -> int:
        return auth.login("vol@a.example", "wrong!").status_code

    assert [attempt(), attempt(), attempt()] == [200, 200, 429]
    time.sleep(1.1)  # time is the subject: the limit's one-second step must pass
    assert [attempt(), attempt()] == [200, 429]  # the first step lifted, the second holds
    time.sleep(1.1)  # time is the subject again: the second one-second step must pass
    assert attempt() == 429
    dispose(app)


def _login(client, password: str, address: str = "10.0.0.1") -> int:
    """The status of a log-in as vol@a.example from that address."""
    from_address = {"environ_base": {"REMOTE_ADDR": address}}
    return Auth(client).login("vol@a.example", password, **from_address).status_code


def test_a_stranger_cannot_lock_the_owner_out(client, org):
    """Failures from another address count against that address's tries at the account,
    never against the owner's: after 12 wrong passwords from elsewhere, the owner logs in."""
    stranger = [_login(client, "wrong!", "203.0.113.9") for _ in range(12)]
    assert stranger[:5] == [200] * 5 and stranger[5:] == [429] * 7
    assert _login(client, PASSWORD) == 302
    assert _login(client, PASSWORD, "203.0.113.9") == 429  # the stranger's lock holds


def test_the_current_password_on_the_change_page_is_throttled_like_the_log_in(client, org):
    assert _login(client, PASSWORD) == 302
    page = "/auth/profile/password"
    new = "een nieuw en lang wachtwoord voor de balie"

    def change(current: str, password: str = new) -> int:
        data = {"current": current, "password": password}
        return client.post(page, data=data, environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code

    assert change(PASSWORD, "kort") == 422  # a weak new password is no guess: not counted
    assert [change("wrong!") for _ in range(5)] == [422] * 5
    assert change(PASSWORD) == 429  # locked, the right one included
    assert _login(app_client := client, "wrong!") == 429  # the same count as the log-in page
    assert app_client.get(page).status_code == 200  # the page itself still shows


def test_log_in_works_when_the_throttle_store_goes_away(database_url, org, redis_url, caplog):
    """Fail open: with Redis gone, log-ins and enrolment still answer (unthrottled), the log
    says so once, and /healthz reports the store."""
    import redis

    from ido.core.organisation.devices import enrol_device

    from .helpers import branch, committed, user

    app = create_app(make_config(database_url, RATELIMIT_STORAGE_URI=redis_url))
    client = app.test_client()
    assert client.get("/healthz").get_json() == {
        "status": "ok",
        "database": "ok",
        "throttle": "ok",
    }
    assert _login(client, "wrong!") == 200
    redis.Redis.from_url(redis_url).shutdown(nosave=True)
    with caplog.at_level("INFO"):
        assert [_login(client, "wrong!") for _ in range(7)] == [200] * 7  # unthrottled
        assert _login(client, PASSWORD) == 302
        with app.app_context():
            code = committed(enrol_device(branch("a1"), "tablet", user("coord@a.example"))[1])
        tablet = app.test_client()
        assert tablet.post("/desk/enrol", data={"code": "AAAA-AAAA"}).status_code == 422
        assert tablet.post("/desk/enrol", data={"code": code}).status_code == 302
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["status"] == "degraded"
    assert health.get_json()["throttle"] == "unreachable"
    lines = [r for r in caplog.records if r.name.startswith(("ido.throttle", "flask-limiter"))]
    assert len(lines) == 1 and "throttle store cannot be reached" in lines[0].getMessage()
    assert not any(r.exc_info for r in caplog.records)
    dispose(app)


@pytest.mark.slow  # starts gunicorn
@pytest.mark.once
@pytest.mark.parametrize("accept", [False, True])
def test_make_serve_refuses_workers_that_throttle_each_on_their_own(database_url, accept):
    """memory:// counts per process: gunicorn with 2 workers refuses to start (limits would be
    doubled), or starts with a warning when the operator accepts it."""
    env = {
        **os.environ,
        "FLASK_SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_SECRET_KEY": "test-secret-of-at-least-thirty-two-characters",
        "IDO_BIND": "127.0.0.1:0",
        "IDO_WORKERS": "2",
    }
    if accept:
        env["IDO_THROTTLE_PER_PROCESS"] = "accept"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [gunicorn, "--config", "python:ido.gunicorn_config", "ido:create_app()"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = ""
    for line in server.stderr:
        log += line
        if "Refusing to start" in line or "Booting worker" in line:
            break
    if accept:
        assert "Warning: the log-in throttle counts per process" in log
        assert "every limit is 2 times what is documented" in log
        server.terminate()
    else:
        assert "Refusing to start" in log and "redis://" in log
    server.communicate(timeout=30)
    assert (server.returncode != 0) is not accept
