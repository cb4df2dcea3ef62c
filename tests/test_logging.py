"""The app logs one line per request and every refused personal-data save, never a note."""

import logging

import pytest

from ido import create_app
from ido.core.db import db

from .conftest import dispose, make_config
from .helpers import desk_form, questions

pytestmark = pytest.mark.once  # log lines: no query decides them


def test_one_line_per_request_without_query_or_note(auth, client, app, caplog):
    caplog.set_level(logging.INFO, logger="ido")
    auth.login("vol@a.example")
    data = {**desk_form(client), "topics": ["digid"], "note": "Terugbellen"}
    caplog.clear()
    assert client.post("/desk/?geheim=ja", data=data).status_code == 302
    lines = [r.getMessage() for r in caplog.records if r.name == "ido.request"]
    assert len(lines) == 1
    method, path, status, duration, who = lines[0].split(" ")
    assert (method, path, status) == ("POST", "/desk/", "302")
    assert duration.endswith("ms") and float(duration[:-2]) >= 0
    with app.app_context():
        from .helpers import user

        assert who == f"user={user('vol@a.example').id}"
    assert "Terugbellen" not in caplog.text and "geheim" not in caplog.text


def test_the_log_names_the_route_not_a_secret_in_the_path(client, org, app, caplog):
    from ido.core.organisation.passwords import make_password_link

    from .helpers import user

    with app.app_context():
        token = make_password_link(user("vol@a.example"), None)
        db.session.commit()
    caplog.set_level(logging.INFO, logger="ido")
    assert client.get(f"/auth/set-password/{token}").status_code == 200
    assert client.get("/bestaat/niet").status_code == 404
    lines = [r.getMessage() for r in caplog.records if r.name == "ido.request"]
    assert [line.split(" ")[:3] for line in lines] == [
        ["GET", "/auth/set-password/<token>", "200"],
        ["GET", "(none)", "404"],
    ]
    assert token not in caplog.text


def test_refused_personal_data_is_logged_by_kind_only(auth, client, app, caplog):
    caplog.set_level(logging.INFO, logger="ido")
    auth.login("vol@a.example")
    data = {**desk_form(client), "topics": ["digid"], "note": "Bel haar op 06-12345678"}
    assert client.post("/desk/", data=data).status_code == 422
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refusals == ["note refused: personal data of kind phone"]
    assert "12345678" not in caplog.text and "Bel haar" not in caplog.text
    with app.app_context():
        assert questions() == []


def test_log_level_is_configurable(database_url):
    quiet = create_app(make_config(database_url, IDO_LOG_LEVEL="ERROR"))
    assert logging.getLogger("ido").level == logging.ERROR
    dispose(quiet)
    chatty = create_app(make_config(database_url, IDO_LOG_LEVEL="DEBUG"))
    assert logging.getLogger("ido").level == logging.DEBUG
    handlers = [h for h in logging.getLogger("ido").handlers if getattr(h, "ido", False)]
    assert len(handlers) == 1  # one handler to stderr, however many apps are made
    dispose(chatty)


def test_an_unhandled_error_is_logged_with_the_route_not_the_path(own_app, caplog):
    """A 500 logs its traceback once, naming the route: a secret in the path stays out."""
    app = own_app

    def broken(token):
        raise RuntimeError("something broke")

    app.add_url_rule("/kapot/<token>", "broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: a 500 page, not a raise
    caplog.set_level(logging.INFO, logger="ido")
    response = app.test_client().get("/kapot/geheim-token-123")
    assert response.status_code == 500
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == ["Exception on GET /kapot/<token>"]
    assert "something broke" in caplog.text  # the traceback is there
    assert "geheim-token-123" not in caplog.text
