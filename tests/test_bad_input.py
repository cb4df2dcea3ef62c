"""Absurd input from people and scripts gets a clear 4xx and changes nothing: no 500, on SQLite
and PostgreSQL. (Found by probing the app: each of these answered 500 before.)"""

import json

import pytest

from ido.core.db import db
from ido.core.models import AuditEvent, Question

from .conftest import PASSWORD
from .helpers import committed, desk_form, user

HUGE = "99999999999999999999"  # 20 digits: past every integer column


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(db.select(db.func.count(Question.id))),
            db.session.scalar(db.select(db.func.count(AuditEvent.id))),
        )


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", f"/admin/people/{HUGE}", 404),
        ("GET", f"/admin/branches/{HUGE}", 404),
        ("GET", f"/admin/branches/{HUGE}/desk", 404),
        ("POST", f"/admin/devices/{HUGE}/revoke", 404),
        ("GET", f"/admin/audit?page={HUGE}", 422),
        ("GET", "/admin/audit?page=²", 422),
        ("GET", "/admin/audit?from=0001-01-01", 422),
        ("GET", "/admin/audit?to=9999-12-31", 422),
        ("GET", "/admin/audit?entity=%00", 422),
        ("GET", "/reports/?to=9999-12", 422),
        ("GET", "/reports/?to=0001-01", 422),
        ("GET", "/reports/?from=1-1&to=1-2", 422),
        ("GET", "/reports/?from=２０２６-01", 422),  # full-width digits
        ("GET", "/reports/national?month=9999-12", 422),
        ("GET", "/reports/monthly.csv?from=9999-12&to=9999-12", 422),
        ("GET", "/reports/monthly.xlsx?from=9999-12&to=9999-12", 422),
        ("GET", "/reports/questions.csv?from=9999-12&to=9999-12", 422),
        ("GET", "/reports/monthly.xlsx?from=2000-01&to=2026-01", 422),  # over ten years
        ("GET", "/reports/?branch=%00", 422),
    ],
)
def test_coordinator_pages(client, org, app, method, path, status, auth):
    auth.login("coord@a.example")
    before = _counts(app)
    response = client.open(path, method=method)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert _counts(app) == before


@pytest.fixture
def bearer(org, app):
    with app.app_context():
        from ido.core.organisation.tokens import create_token

        return {
            "Authorization": "Bearer " + committed(create_token(user("vol2@a.example"), "t")[1])
        }


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/api/v1/questions?page={HUGE}", "page"),
        ("/api/v1/questions?page=²", "page"),
        ("/api/v1/questions?from=0001-01-01", "from"),
        ("/api/v1/counts?from=9999-12&to=9999-12", "to"),
        ("/api/v1/counts?branch=a1%00", "branch"),
    ],
)
def test_api_parameters(client, app, bearer, path, field):
    response = client.get(path, headers=bearer)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == [field]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"asked_at": "0001-01-01T00:00:00+14:00"}, "asked_at", "too_early"),
        ({"asked_at": "1900-01-01T00:00:00+00:00"}, "asked_at", "too_early"),
        ({"note": "\ud800"}, "note", "invalid_character"),
        ({"note": "Bel\u0000terug"}, "note", "invalid_character"),
        ({"note": "Bel\u0007terug"}, "note", "invalid_character"),
    ],
)
def test_api_question_fields(client, app, bearer, change, field, code):
    before = _counts(app)
    body = json.dumps({"branch": "a1", "topics": ["digid"], **change})
    response = client.post(
        "/api/v1/questions", data=body, headers=bearer, content_type="application/json"
    )
    assert response.status_code == 422, response.get_data(as_text=True)
    assert [e["code"] for e in response.get_json()["errors"][field]] == [code]
    assert _counts(app) == before


@pytest.mark.parametrize(
    ("body", "status"),
    [("[" * 100_000, 400), ('{"note": "' + "x" * 2_000_000 + '"}', 413)],
)
def test_api_bodies_too_deep_or_too_large(client, app, bearer, body, status):
    before = _counts(app)
    response = client.post(
        "/api/v1/questions", data=body, headers=bearer, content_type="application/json"
    )
    assert response.status_code == status
    assert _counts(app) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"asked_at": ["0001-01-01T00:00"]}, "De datum ligt te ver in het verleden."),
        ({"note": ["Bel\x07terug"]}, "Deze tekst bevat een teken dat niet kan worden opgeslagen."),
        ({"note": ["Bel\x00terug"]}, "Er is een teken verstuurd dat niet is toegestaan."),
    ],
)
def test_desk_fields(client, org, app, change, message, auth):
    auth.login("vol@a.example")
    before = _counts(app)
    response = client.post("/desk/", data={**desk_form(client), "topics": ["digid"], **change})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _counts(app) == before


def test_log_in_with_nul_is_refused(client, org, auth):
    response = auth.login("vol\x00@a.example")
    assert response.status_code == 422


def test_no_header_injection_through_next(client, org):
    response = client.post(
        "/auth/login?next=/desk/%0d%0aSet-Cookie:%20x=1",
        data={"email": "vol@a.example", "password": PASSWORD},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "x=1" not in response.headers.get("Set-Cookie", "")


def test_a_topic_cannot_follow_up_itself(client, org, app, auth):
    auth.login("admin@ido.example")
    before = _counts(app)
    response = client.post(
        "/admin/categories/topic/digid",
        data={
            "name_nl": "DigiD",
            "name_en": "DigiD",
            "group": "overheid",
            "parent": "digid",
            "position": "10",
            "active": "y",
        },
    )
    assert response.status_code == 422
    assert "Een onderwerp kan geen vervolgvraag van zichzelf zijn." in response.get_data(
        as_text=True
    )
    assert _counts(app) == before


def _rows(app) -> dict[str, int]:
    """How many rows every table holds."""
    with app.app_context():
        count = db.select(db.func.count())
        return {t.name: db.session.scalar(count.select_from(t)) for t in db.metadata.sorted_tables}


@pytest.mark.parametrize(
    ("email", "path", "data"),
    [
        ("admin@ido.example", "/admin/libraries", {"code": "lib-z", "name": "Z\x1bbieb"}),
        (
            "coord@a.example",
            "/admin/branches",
            {"code": "a9", "name": "A\nNoord", "municipality": "Adorp", "in_library": "y"},
        ),
        (
            "coord@a.example",
            "/admin/people",
            {"email": "nw@a.example", "name": "Nieuw\tLid", "role": "volunteer", "branches": "1"},
        ),
        ("coord@a.example", "/admin/devices", {"branch": "1", "name": "tablet\x7f"}),
        (
            "admin@ido.example",
            "/admin/categories/topic",
            {"code": "x1", "name_nl": "Iets\u0085", "name_en": "Something", "group": "overig"},
        ),
        ("vol@a.example", "/auth/profile/tokens", {"name": "script\x01"}),
        ("vol@a.example", "/desk/enrol", {"code": "ABCD\x02EFG"}),
        (None, "/auth/login", {"email": "vol@a.example\x03", "password": PASSWORD}),
    ],
)
def test_control_characters_are_refused_in_every_form(client, org, app, email, path, data, auth):
    """NUL and the other control characters (line breaks too, in a one-line field) get a
    clear 422 at the field and change nothing, on SQLite and PostgreSQL alike."""
    if email:
        auth.login(email)
    before = _rows(app)
    response = client.post(path, data=data)
    assert response.status_code == 422, response.status_code
    page = response.get_data(as_text=True)
    assert "Deze tekst bevat een teken dat niet kan worden opgeslagen." in page
    assert _rows(app) == before


@pytest.mark.parametrize("invisible", ["\u202e", "\u2066", "\u200b", "\ufeff"])
def test_invisible_characters_that_change_how_text_reads_are_refused(
    client, org, app, invisible, auth
):
    """A direction override can make a note or a name read as something else."""
    auth.login("vol@a.example")
    before = _counts(app)
    data = {**desk_form(client), "topics": ["digid"], "note": f"terugbellen{invisible}morgen"}
    response = client.post("/desk/", data=data)
    assert response.status_code == 422
    assert "Deze tekst bevat een teken dat niet kan worden opgeslagen." in response.get_data(
        as_text=True
    )
    assert _counts(app) == before
