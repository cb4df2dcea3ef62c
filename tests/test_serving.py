"""What production serving adds: compressed answers, static files cached under a content
hash, and a health check for a load balancer."""

import re

import pytest


@pytest.mark.once
def test_pages_scripts_and_styles_go_out_compressed(client, org, auth):
    auth.login("vol@a.example")
    desk = client.get("/desk/", headers={"Accept-Encoding": "br, gzip"})
    assert desk.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in desk.headers["Vary"]
    plain = client.get("/desk/")
    assert "Content-Encoding" not in plain.headers  # a client that asks for nothing gets text
    assert len(desk.data) * 4 < len(plain.data)
    html = plain.get_data(as_text=True)
    for path in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        answer = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
        if path.split("?")[0].endswith((".css", ".js")):
            assert answer.headers["Content-Encoding"] == "br", path
        answer.close()


@pytest.mark.once
def test_static_files_are_cached_for_a_year_under_their_content_hash(client, org, app):
    html = client.get("/auth/login").get_data(as_text=True)
    paths = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert {p.split("?")[0] for p in paths} == {
        "/static/favicon.svg",
        "/static/css/ido.css",
        "/static/js/ido.js",
    }
    for path in paths:
        assert re.search(r"\?v=[0-9a-f]{12}$", path), path
        answer = client.get(path)
        assert answer.status_code == 200
        cache = answer.headers["Cache-Control"]
        assert cache == "max-age=31536000, public, immutable", cache
        answer.close()
    # a stale or missing hash (an old page in a browser) gets the file, to be asked for again
    for stale in ("/static/css/ido.css?v=000000000000", "/static/css/ido.css"):
        answer = client.get(stale)
        assert answer.status_code == 200 and "no-cache" in answer.headers["Cache-Control"]
        answer.close()


def test_the_health_check_reaches_the_database(client, app):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "database": "ok", "throttle": "ok"}


@pytest.mark.once
def test_the_health_check_says_503_when_the_database_is_gone(tmp_path):
    from ido import create_app

    from .conftest import make_config

    missing = tmp_path / "no-such-folder" / "ido.sqlite"  # SQLite cannot create it
    app = create_app(make_config(f"sqlite:///{missing}"))
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "error", "database": "unreachable"}


@pytest.mark.once
def test_a_streamed_export_is_compressed_on_the_fly_and_unchanged(client, counted, auth):
    import brotli

    auth.login("coord@a.example")
    path = "/reports/questions.csv?from=2026-01&to=2026-03"
    plain = client.get(path).data
    packed = client.get(path, headers={"Accept-Encoding": "br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(packed.data) == plain and plain.count(b"\r\n") > 3
