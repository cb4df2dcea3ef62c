"""Requests no browser sends: a host name that is none, control characters in a path, a body
too large; and what a shared computer's browser may keep of the pages."""

import http.client
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from .conftest import Auth, gunicorn_serving
from .helpers import store_question

LONG_LABEL = "a" * 64 + ".example"


@pytest.mark.once  # refused before routing
@pytest.mark.parametrize(
    "host",
    [
        LONG_LABEL,
        "x." * 130 + "nl",
        "ex ample.nl",
        "a..b",
        "",
        "bib.nl:port",
        "bib.nl\x00",
        "xn--a",  # punycode that does not decode
        "xn--zz.example",
        "[::::]",  # brackets around no IPv6 address
        "[1::2::3]",
        "bib.nl:99999",
    ],
)
@pytest.mark.parametrize(
    "path", ["/", "/auth/login", "/reports/", "/api/v1/taxonomy", "/nope", "/static/x"]
)
def test_a_host_header_that_is_no_host_name_is_400(org, host, path, caplog):
    """Sent as a client sends it (the test client itself cannot build some of these)."""
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(path=path).get_environ()
    environ["HTTP_HOST"] = host
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    body = b"".join(org(environ, start_response))
    assert answer["status"] == "400 Bad Request"
    assert b"Host header" in body
    assert answer["headers"]["Connection"] == "close"
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


@pytest.mark.once  # HTTP only: no query decides it
@pytest.mark.parametrize(
    "host", ["a" * 63 + ".example", "bib.example.nl:8443", "[::1]:5000", "xn--bcher-kva.example"]
)
def test_real_host_names_are_served(client, org, host):
    assert client.get("/auth/login", headers={"Host": host}).status_code == 200
    assert client.get("/reports/", headers={"Host": host}).status_code == 302  # to log in


@pytest.mark.once  # CSRF's Referer check
def test_a_referer_that_is_no_address_is_as_if_none_was_sent(database_url, org):
    """Over HTTPS, CSRF protection compares the Referer with the host: an unreadable one is
    refused as a missing one (400), not a 500."""
    from ido import create_app

    from .conftest import dispose, make_config

    app = create_app(make_config(database_url, WTF_CSRF_ENABLED=True))
    client = app.test_client()
    https = {"base_url": "https://bib.example.nl"}
    page = client.get("/auth/login", **https).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    auth = Auth(client)
    for referer in ("https://[::::]/auth/login", "https://bib.example.nl:99999/"):
        answer = auth.login(
            "vol@a.example", csrf_token=token, headers={"Referer": referer}, **https
        )
        assert answer.status_code == 400
    good = {"Referer": "https://bib.example.nl/auth/login"}
    assert auth.login("vol@a.example", csrf_token=token, headers=good, **https).status_code == 302
    dispose(app)


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
def test_a_control_character_in_a_path_segment_is_404(client, org, path, auth):
    """On PostgreSQL a NUL reaching a query answered 500 (text cannot hold one)."""
    auth.login("admin@ido.example")
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


@pytest.mark.once  # response headers
def test_pages_with_notes_and_every_logged_in_page_are_not_stored(client, org, app, auth):
    """A shared computer's browser cache and back button do not bring back what the last
    user saw."""
    with app.app_context():
        moment = datetime.now(UTC).replace(microsecond=0)
        question = store_question("a1", moment, ["digid"], note="Vraag over de app")
        question_id = question.id
    auth.login("coord@a.example")
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


@pytest.fixture(scope="module")
def framing_url(databases):
    """One gunicorn for the tests of its HTTP framing, which read and write no data."""
    url = databases.copy("org")
    with gunicorn_serving(url) as served:
        yield served
    databases.drop(url)


def _raw(parts, request: bytes) -> bytes:
    """Send bytes as they are; the whole answer until the server closes or goes quiet."""
    import socket

    answer = b""
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        # A server that answers without reading the whole body may close (and reset) the
        # connection before the last bytes or the shutdown: what it answered is still queued
        # here, so read it instead of failing on the write side.
        try:
            sock.sendall(request)
            sock.shutdown(socket.SHUT_WR)
        except OSError:  # EPIPE, ECONNRESET, ENOTCONN
            pass
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    return answer


@pytest.mark.once  # gunicorn's HTTP framing
@pytest.mark.slow
def test_a_body_gunicorn_cannot_drain_says_connection_close(framing_url):
    """At 64 KiB or more left unread, or a chunked body, gunicorn closes the connection after
    the answer: the answer must say so."""
    parts = urlsplit(framing_url)
    head = "POST /nope HTTP/1.1\r\nHost: localhost\r\n"
    exactly = (head + "Content-Length: 65536\r\n\r\n").encode() + b"x" * 65536
    assert b"Connection: close" in _raw(parts, exactly).split(b"\r\n\r\n")[0]
    body = b"x" * 100_000
    chunked = (head + "Transfer-Encoding: chunked\r\n\r\n").encode()
    chunked += f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    assert b"Connection: close" in _raw(parts, chunked).split(b"\r\n\r\n")[0]
    small = (head + "Content-Length: 5\r\n\r\n").encode() + b"x" * 5
    assert b"Connection: keep-alive" in _raw(parts, small).split(b"\r\n\r\n")[0]


@pytest.mark.once  # gunicorn's HTTP framing
@pytest.mark.slow
def test_a_body_too_large_is_413_and_the_connection_closes_cleanly(framing_url):
    """gunicorn reads at most 64 KiB of a body the app did not read: past that it must say
    `Connection: close` (it said keep-alive, then closed, and the client's next request on
    the connection failed)."""
    parts = urlsplit(framing_url)
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
