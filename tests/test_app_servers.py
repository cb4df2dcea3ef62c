"""Several app servers behind one load balancer, proven: two gunicorn masters on two ports
against one database (PostgreSQL in the PostgreSQL pass) and one Redis. A session and a work
account's sign-in made on one are honoured by the other, the log-in throttle counts across
both, and one question sent to both at once is stored once."""

import contextlib
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests

from ido.core.db import db
from ido.core.organisation.tokens import create_token

from .conftest import GUNICORN, PASSWORD, _serving, form_fields, free_port, server_env
from .helpers import post_question, questions, user
from .oidc_provider import at_provider, give_provider

pytestmark = pytest.mark.slow


@contextlib.contextmanager
def app_server(database_url: str, redis: str):
    """One app server as `make serve` starts it (one worker of 4 threads), on the shared
    database and Redis."""
    port = free_port()
    env = server_env(database_url)
    env.update(IDO_BIND=f"127.0.0.1:{port}", IDO_WORKERS="1", IDO_THREADS="4")
    env.update(
        FLASK_RATELIMIT_STORAGE_URI=redis,
        FLASK_IDO_LOGIN_LIMIT_ACCOUNT="5 per minute",
    )
    command = [GUNICORN, "--config", "python:ido.gunicorn_config", "ido:create_app()"]
    with _serving(command, env, port) as url:
        yield url


@pytest.fixture
def servers(database_url, org, redis_url, oidc_provider):  # noqa: F811
    give_provider(org, oidc_provider.issuer)
    with (
        app_server(database_url, redis_url) as one,
        app_server(database_url, redis_url) as other,
    ):
        yield one, other


def posted(browser: requests.Session, url: str, path: str, **data) -> requests.Response:
    """Post a form of the page at `url` the way a browser does, CSRF token included."""
    page = browser.get(f"{url}/auth/login")
    fields = form_fields(page.text, "" if path == "/auth/login" else path)
    fields.update(data)
    return browser.post(f"{url}{path}", data=fields, allow_redirects=False)


@pytest.mark.untraced  # two gunicorn servers; the client alone runs here
def test_two_app_servers_share_sessions_sign_ins_the_throttle_and_questions(servers, org):
    one, other = servers
    browser = requests.Session()  # its cookies go to both (a cookie names no port)
    answer = posted(browser, one, "/auth/login", email="coord@a.example", password=PASSWORD)
    assert answer.status_code == 302
    assert browser.get(f"{other}/auth/profile", allow_redirects=False).status_code == 200

    # A work account: started on one, the provider's answer taken by the other (a load
    # balancer sends each request anywhere; both answer for the same host name).
    browser = requests.Session()
    answer = posted(browser, one, "/auth/work-account", **{"work-email": "vol@a.example"})
    assert answer.status_code == 302
    callback = at_provider(browser, answer.headers["Location"], "vol@a.example", one)
    host = urlsplit(one).netloc
    answer = browser.get(
        callback.replace(one, other), headers={"Host": host}, allow_redirects=False
    )
    assert answer.status_code == 302, answer.text[:300]
    assert browser.get(f"{one}/auth/profile", allow_redirects=False).status_code == 200

    # The throttle: three wrong passwords on each; the sixth in a minute is refused.
    guesser = requests.Session()
    statuses = [
        posted(guesser, url, "/auth/login", email="vol@b.example", password="wrong!").status_code
        for url in (one, one, one, other, other, other)
    ]
    assert statuses == [200, 200, 200, 200, 200, 429]

    # One question sent to both at once, four times each: stored once.
    with org.app_context():
        token = create_token(user("vol@a.example"), "desk")[1]
        db.session.commit()
    question = str(uuid.uuid4())
    with ThreadPoolExecutor(8) as pool:
        answers = sorted(
            pool.map(lambda url: post_question(url, token, question), [one, other] * 4)
        )
    assert answers == [200] * 7 + [201]
    with org.app_context():
        assert [str(q.id) for q in questions()] == [question]
