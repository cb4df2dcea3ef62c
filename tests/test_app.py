"""The application shell: layout, configuration, headers, errors, CSRF, translations."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from ido import create_app
from ido.core.db import db
from ido.core.models import Question

from .conftest import PASSWORD, Auth, dispose, form_fields, make_config

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.once
def test_template_and_static_folders_resolve(app, client):
    templates = Path(app.root_path, app.template_folder).resolve()
    assert templates == (ROOT / "templates").resolve()
    assert Path(app.static_folder).resolve() == (ROOT / "static").resolve()
    assert Path(app.instance_path) == ROOT / "instance"
    response = client.get("/static/css/ido.css")
    assert response.status_code == 200 and b"--ido-color-primary" in response.data
    response.close()


@pytest.mark.once
def test_secret_key_is_required():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.mark.slow  # a Python process of its own
@pytest.mark.once
def test_environment_configures_the_app(tmp_path):
    env = {**os.environ, "FLASK_SECRET_KEY": "from-env-" + "x" * 32, "FLASK_IDO_EDIT_MINUTES": "20"}
    code = (
        "from ido import create_app; a = create_app(); "
        "print(a.config['SECRET_KEY'], a.config['IDO_EDIT_MINUTES'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert out.stdout.split() == ["from-env-" + "x" * 32, "20"]


@pytest.mark.once  # response headers
def test_security_headers_on_every_page(client, org):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.get_data(as_text=True)  # scripts are static files only


@pytest.mark.once  # error pages
def test_error_pages(client, org, auth):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet (meer)." in response.get_data(as_text=True)
    # no route matches a malformed id: 404 before any log-in check, for anyone
    assert client.get("/desk/questions/not-a-uuid/edit").status_code == 404
    auth.login("vol@a.example")
    assert client.get("/desk/questions/not-a-uuid/edit").status_code == 404


@pytest.mark.once  # CSRF
def test_csrf_is_required_on_forms(database_url, org):
    app = create_app(make_config(database_url, WTF_CSRF_ENABLED=True))
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    response = Auth(client).login("vol@a.example")
    assert response.status_code == 400
    assert "Dit formulier is verlopen" in response.get_data(as_text=True)
    data = form_fields(page, "")  # the log-in form posts to itself
    data.update(email=["vol@a.example"], password=[PASSWORD])
    assert client.post("/auth/login", data=data).status_code == 302
    desk = client.get("/desk/").get_data(as_text=True)
    fields = form_fields(desk, "/desk/")
    fields["topics"] = ["digid"]
    without_token = {k: v for k, v in fields.items() if k != "csrf_token"}
    assert client.post("/desk/", data=without_token).status_code == 400
    assert client.post("/auth/logout").status_code == 400  # log-out needs the token too
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Question.id))) == 0
    assert client.post("/desk/", data=fields).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Question.id))) == 1
    dispose(app)


@pytest.mark.once
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_translation_catalogues_are_complete(lang):
    method_map = [("ido/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
    wanted = {
        message[2]
        for message in extract_from_dir(str(ROOT), method_map=method_map, keywords=keywords)
    }
    path = ROOT / "ido" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = {m for m in wanted if isinstance(m, str)} - translated
    assert not missing, f"untranslated in {lang}: {sorted(missing)}"
    assert not catalog.fuzzy


@pytest.mark.once  # HTTP only: no query decides it
@pytest.mark.parametrize(("path", "json"), [("/api/v1/questions", True), ("/desk/", False)])
def test_a_refusal_no_form_caught_is_a_clear_422(app, path, json):
    """The safety net for a service rule that no form checks first: 422, never 500."""
    from ido.core.exceptions import InvalidQuestion

    refusal = InvalidQuestion({"note": [("personal_data", "Geen persoonsgegevens.")]})
    with app.test_request_context(path, method="POST"):
        response = app.make_response(app.handle_user_exception(refusal))
    assert response.status_code == 422
    if json:
        assert response.get_json() == {
            "errors": {"note": [{"code": "personal_data", "message": "Geen persoonsgegevens."}]}
        }
    else:
        assert "Geen persoonsgegevens." in response.get_data(as_text=True)


@pytest.mark.once  # templates
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            "Vraag opslaan|Vandaag in &lt;b&gt;|3 questions|1 question|50%",
        ),  # no catalogue entry
        ("en", "Save question|Today at &lt;b&gt;|3 questions|1 question|50%"),
    ],
)
def test_templates_translate_once_per_page_as_jinja_would(app, language, expected):
    """The page's translation functions (looked up once per page) escape, format and count as
    Jinja's own newstyle ones: an argument is escaped, ngettext sets num, %% is a percent, and
    a variable may be named like the functions' own parameters."""
    from flask import render_template_string, session

    template = (
        '{{ _("Save question") }}|{{ _("Today at %(branch)s", branch="<b>") }}|'
        '{{ ngettext("%(num)d question", "%(num)d questions", 3) }}|'
        '{{ ngettext("%(num)d question", "%(num)d questions", 1) }}|{{ _("50%%") }}'
        '{{ _("%(message)s", message="") }}{{ ngettext("%(plural)s", "", 1, plural="") }}'
    )
    with app.test_request_context("/"):
        session["lang"] = language
        assert render_template_string(template) == expected


@pytest.mark.once  # formatting, no database
@pytest.mark.parametrize("language", ["nl", "en"])
def test_counts_are_grouped_as_babel_groups_them(app, language):
    """The quick path of the `decimalformat` filter (whole counts) writes what Babel writes."""
    from flask_babel import format_decimal

    from ido.web.i18n import decimalformat

    with app.test_request_context(headers={"Accept-Language": language}):
        for number in (0, 7, 999, 1000, 1234567, 12.5, -3, 10**12):
            assert decimalformat(number) == format_decimal(number)
        assert app.jinja_env.filters["decimalformat"] is decimalformat
