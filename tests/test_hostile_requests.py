"""Requests no browser sends: a host name that is none, control characters in a path, a body
too large; and what a shared computer's browser may keep of the pages."""

import http.client
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from .conftest import PASSWORD
from .helpers import store_question

LONG_LABEL = "a" * 64 + ".example"


@pytest.mark.parametrize(
    "host",
    [LONG_LABEL, "x." * 130 + "nl", "ex ample.nl", "a..b", "", "bib.nl:port", "bib.nl\x00"],
)
@pytest.mark.parametrize("path", ["/", "/auth/login", "/api/v1/taxonomy", "/nope", "/static/x"])
def test_a_host_header_that_is_no_host_name_is_400(client, org, host, path, caplog):
    answer = client.get(path, headers={"Host": host})
    assert answer.status_code == 400
    assert b"Host header" in answer.data
    assert answer.headers["Connection"] == "close"
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


@pytest.mark.parametrize("host", ["a" * 63 + ".example", "bib.example.nl:8443", "[::1]:5000"])
def test_real_host_names_are_served(client, org, host):
    assert client.get("/auth/login", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/admin/categories/agency/%00",
        "/admin/categories/agency/a%00b",
        "/admin/branches/%00",
        "/admin/people/1%00",
        "/desk/questions/%00/edit",
        "/api/v1/questions/%00",
        "/admin/categories/agency/%1b",
        "/%00",
    ],
)
def test_a_control_character_in_a_path_segment_is_404(client, org, path):
    """On PostgreSQL a NUL reaching a query answered 500 (text cannot hold one)."""
    client.post("/auth/login", data={"email": "admin@ido.example", "password": PASSWORD})
    assert client.get(path).status_code == 404
    assert client.post(path).status_code in (404, 405)


def test_pages_with_notes_and_every_logged_in_page_are_not_stored(client, org, app):
    """A shared computer's browser cache and back button do not bring back what the last
    user saw."""
    with app.app_context():
        moment = datetime.now(UTC).replace(microsecond=0)
        question = store_question("a1", moment, ["digid"], note="Vraag over de app")
        question_id = question.id
    client.post("/auth/login", data={"email": "coord@a.example", "password": PASSWORD})
    for path in (
        "/desk/mine",
        "/reports/questions",
        f"/desk/questions/{question_id}/edit",
        "/desk/branch",
        "/reports/",
        "/admin/people",
        "/auth/profile",
    ):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["Cache-Control"] == "no-store", path
    edit = client.get(f"/desk/questions/{question_id}/edit").get_data(as_text=True)
    assert "Vraag over de app" in edit
    static = client.get("/static/css/ido.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
    client.post("/auth/logout")
    assert "no-store" not in client.get("/auth/login").headers.get("Cache-Control", "")


def _post(connection, size: int) -> http.client.HTTPResponse:
    connection.request(
        "POST",
        "/auth/login",
        body=b"x" * size,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    answer = connection.getresponse()
    answer.read()
    return answer


def test_a_body_too_large_is_413_and_the_connection_closes_cleanly(gunicorn_url):
    """gunicorn reads at most 64 KiB of a body the app did not read: past that it must say
    `Connection: close` (it said keep-alive, then closed, and the client's next request on
    the connection failed)."""
    parts = urlsplit(gunicorn_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    answer = _post(connection, 2 * 1024 * 1024)
    assert answer.status == 413
    assert answer.getheader("Connection") == "close"
    connection.close()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    small = _post(connection, 100)  # a small body read whole: the connection stays open
    assert small.getheader("Connection") == "keep-alive"
    connection.request("GET", "/healthz")
    assert connection.getresponse().status == 200
    connection.close()
