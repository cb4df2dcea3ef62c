"""JSON API v1: every status code of the contract, idempotent POST, scope, tokens, OpenAPI."""

import re
import uuid
from datetime import timedelta

import pytest
from openapi_spec_validator import validate

from ido.api.openapi import document
from ido.core.db import db
from ido.core.models import ApiToken, Question
from ido.core.organisation.tokens import create_token, revoke_token
from ido.core.timeutil import now_local

from .api_client import Api
from .helpers import codes, committed, questions, user


@pytest.fixture
def token(org):
    def make(email: str) -> str:
        with org.app_context():
            return committed(create_token(user(email), "test")[1])

    return make


@pytest.fixture
def api(client, token):
    return lambda email=None: Api(client, token(email) if email else None)


@pytest.mark.once
def test_openapi_document_is_valid_and_public(client):
    validate(document())
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.get_json()["openapi"] == "3.1.0"


def test_taxonomy(api):
    body = api("vol2@a.example").get("/api/v1/taxonomy").get_json()
    assert [b["code"] for b in body["branches"]] == ["a1", "a2"]
    topics = {t["code"]: t for t in body["topics"]}
    assert topics["digid_app"]["parent"] == "digid" and topics["apparaat"]["group"] == "overig"
    kinds = {a["code"]: (a["kind"], a["level"]) for a in body["agencies"]}
    assert kinds["uwv"] == ("npd", "uitvoering") and kinds["taalhuis"] == ("partner", "overig")
    assert kinds["rdw"] == ("npd", "uitvoering") and kinds["gemeente"] == ("government", "gemeente")
    assert [c["code"] for c in body["channels"]] == [
        "balie",
        "telefoon",
        "email",
        "afspraak",
        "online",
    ]


def test_no_or_bad_token_is_401(api, client, app, token):
    assert api().get("/api/v1/taxonomy").status_code == 401
    for wrong in ("ido_not-a-real-token", "not-even-of-our-kind"):
        response = Api(client, wrong).get("/api/v1/counts")
        assert response.status_code == 401
        assert response.get_json()["errors"]["_"][0]["code"] == "unauthorized"
    plaintext = token("vol@a.example")
    with app.app_context():
        stored = db.session.scalar(db.select(ApiToken))
        assert stored.token_hash != plaintext and plaintext not in stored.token_hash
        revoke_token(stored, user("vol@a.example"))
        db.session.commit()
    assert Api(client, plaintext).get("/api/v1/taxonomy").status_code == 401


def test_token_records_last_use(api, app):
    api("vol@a.example").get("/api/v1/taxonomy")
    with app.app_context():
        assert db.session.scalar(db.select(ApiToken)).last_used_at is not None


def test_post_with_defaults_then_idempotent_repeat(api, app):
    client = api("vol@a.example")
    question_id = str(uuid.uuid4())
    body = {"id": question_id, "branch": "a1", "topics": ["digid_inloggen"]}
    first = client.post("/api/v1/questions", json=body)
    assert first.status_code == 201
    stored = first.get_json()
    assert stored["topics"] == ["digid", "digid_inloggen"] and stored["channel"] == "balie"
    assert stored["duration_minutes"] == 10 and stored["outcome"] == "geholpen"
    assert stored["asked_at"][-6:] in ("+01:00", "+02:00")
    again = client.post("/api/v1/questions", json=body)
    assert again.status_code == 200 and again.get_json() == stored
    with app.app_context():
        assert len(questions()) == 1


def test_post_every_field_and_same_id_other_content_conflicts(api, app):
    client = api("vol@a.example")
    asked = (now_local() - timedelta(days=2)).replace(second=30).isoformat()
    body = {
        "id": str(uuid.uuid4()),
        "branch": "a1",
        "asked_at": asked,
        "topics": ["toeslagen"],
        "agencies": ["toeslagen"],
        "referrals": ["juridisch_loket"],
        "help": ["samen"],
        "channel": "telefoon",
        "duration_minutes": 25,
        "outcome": "vervolg",
        "note": "Terugbellen volgende week",
    }
    created = client.post("/api/v1/questions", json=body)
    assert created.status_code == 201
    assert client.post("/api/v1/questions", json=body).status_code == 200
    conflict = client.post("/api/v1/questions", json={**body, "duration_minutes": 30})
    assert conflict.status_code == 422
    assert conflict.get_json()["errors"]["id"][0]["code"] == "id_conflict"
    with app.app_context():
        [q] = questions()
        assert q.duration_minutes == 25 and codes(q.referrals) == ["juridisch_loket"]
        assert (
            q.asked_at.isoformat()
            == now_local().fromisoformat(asked).astimezone(q.asked_at.tzinfo).isoformat()
        )


@pytest.mark.once  # refused in Python before any query
@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"topics": []}, "topics", "required"),
        ({"topics": ["astrologie"]}, "topics", "unknown_code"),
        ({"channel": "duif"}, "channel", "unknown_code"),
        ({"referrals": ["nergens"]}, "referrals", "unknown_code"),
        ({"duration_minutes": 0}, "duration_minutes", "out_of_range"),
        ({"duration_minutes": 481}, "duration_minutes", "out_of_range"),
        ({"duration_minutes": "10"}, "duration_minutes", "invalid"),
        ({"note": "x" * 501}, "note", "too_long"),
        ({"asked_at": "2999-01-01T10:00:00+01:00"}, "asked_at", "future"),
        ({"asked_at": "2026-01-01T10:00:00"}, "asked_at", "invalid"),
        ({"asked_at": "gisteren"}, "asked_at", "invalid"),
        ({"asked_at": "2026-13-01T10:00:00+01:00"}, "asked_at", "invalid"),
        ({"topics": "digid"}, "topics", "invalid"),
        ({"id": "niet-een-uuid"}, "id", "invalid"),
        ({"branch": "zz"}, "branch", "unknown_code"),
        ({"branch": None}, "branch", "required"),
        ({"branch": "left out"}, "branch", "required"),
    ],
)
def test_bad_input_is_422_with_a_code_and_stores_nothing(api, app, change, field, code):
    body = {"branch": "a1", "topics": ["digid"], **change}
    body = {key: value for key, value in body.items() if value != "left out"}
    response = api("vol@a.example").post("/api/v1/questions", json=body)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [e["code"] for e in errors[field]] == [code], errors
    assert all(e["message"] for e in errors[field])
    with app.app_context():
        assert questions() == []


@pytest.mark.once  # refused in Python before any query
@pytest.mark.parametrize("data", ["[1, 2]", "not json", '"text"', ""])
def test_body_that_is_not_an_object_is_400(api, app, data):
    client = api("vol@a.example")
    response = client.post("/api/v1/questions", data=data, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["errors"]["_"][0]["code"] == "bad_request"
    with app.app_context():
        assert questions() == []


def test_branch_outside_scope_is_403(api, app):
    response = api("vol@a.example").post(
        "/api/v1/questions", json={"branch": "a2", "topics": ["digid"]}
    )
    assert response.status_code == 403
    assert response.get_json()["errors"]["branch"][0]["code"] == "forbidden"
    # another library's branch is answered as an unknown one: its codes cannot be probed
    other = api("coord@b.example").get("/api/v1/questions?branch=a1")
    unknown = api("coord@b.example").get("/api/v1/questions?branch=zz")
    assert other.status_code == unknown.status_code == 422
    assert other.get_json()["errors"]["branch"][0]["code"] == "unknown_code"
    assert other.get_data(as_text=True).replace("a1", "zz") == unknown.get_data(as_text=True)
    with app.app_context():
        assert questions() == []


def test_list_questions_in_scope_newest_first(api):
    volunteer = api("vol2@a.example")
    for branch, topic in (("a1", "digid"), ("a2", "zorg"), ("a1", "studie")):
        assert (
            volunteer.post(
                "/api/v1/questions", json={"branch": branch, "topics": [topic]}
            ).status_code
            == 201
        )
    api("vol@b.example").post("/api/v1/questions", json={"branch": "b1", "topics": ["boetes"]})
    body = api("coord@a.example").get("/api/v1/questions").get_json()
    assert [q["topics"] for q in body["questions"]] == [["studie"], ["zorg"], ["digid"]]
    assert body["total"] == 3 and body["page"] == 1
    only_a2 = api("coord@a.example").get("/api/v1/questions?branch=a2").get_json()
    assert [q["branch"] for q in only_a2["questions"]] == ["a2"]
    today = now_local().date().isoformat()
    assert (
        api("vol@b.example").get(f"/api/v1/questions?from={today}&to={today}").get_json()["total"]
        == 1
    )
    assert api("vol@b.example").get("/api/v1/questions?from=gisteren").status_code == 422
    assert api("vol@b.example").get("/api/v1/questions?page=0").status_code == 422


def test_delete_within_the_desk_rules(api, app):
    volunteer = api("vol@a.example")
    question_id = volunteer.post(
        "/api/v1/questions", json={"branch": "a1", "topics": ["digid"]}
    ).get_json()["id"]
    assert api("coord@b.example").delete(f"/api/v1/questions/{question_id}").status_code == 404
    assert api("vol2@a.example").delete(f"/api/v1/questions/{question_id}").status_code == 403
    assert volunteer.delete(f"/api/v1/questions/{question_id}").status_code == 204
    assert volunteer.delete(f"/api/v1/questions/{question_id}").status_code == 404
    assert volunteer.delete("/api/v1/questions/bestaat-niet").status_code == 404
    with app.app_context():
        assert questions() == [] and len(questions(include_deleted=True)) == 1
    late = volunteer.post(
        "/api/v1/questions", json={"branch": "a1", "topics": ["zorg"]}
    ).get_json()["id"]
    with app.app_context():
        q = db.session.get(Question, uuid.UUID(late))
        q.created_at -= timedelta(minutes=16)
        db.session.commit()
    assert volunteer.delete(f"/api/v1/questions/{late}").status_code == 403


def test_session_user_needs_csrf_header(database_url, org):
    from ido import create_app

    from .conftest import Auth, dispose, form_fields, make_config

    app = create_app(make_config(database_url, WTF_CSRF_ENABLED=True))
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = form_fields(page, "")["csrf_token"][0]
    assert Auth(client).login("vol@a.example", csrf_token=token).status_code == 302
    body = {"branch": "a1", "topics": ["digid"]}
    assert client.get("/api/v1/taxonomy").status_code == 200  # reading needs no token
    assert client.post("/api/v1/questions", json=body).status_code == 400
    token = form_fields(client.get("/desk/").get_data(as_text=True), "/desk/")["csrf_token"][0]
    response = client.post("/api/v1/questions", json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 201
    dispose(app)


def test_create_token_command(runner, org, app):
    result = runner.invoke(args=["create-token", "coord@a.example", "--name", "script"])
    assert result.exit_code == 0
    plaintext = result.output.strip()
    assert plaintext.startswith("ido_")
    assert Api(app.test_client(), plaintext).get("/api/v1/taxonomy").status_code == 200
    bad = runner.invoke(args=["create-token", "nobody@a.example"])
    assert bad.exit_code != 0 and "No active user" in bad.output


def test_a_day_without_a_time_is_stored_with_its_time_unknown(api, app):
    """A paper tally sheet gives a day, not a time: asked_at as YYYY-MM-DD stores that day
    with the time unknown (left out of the busy hours), and comes back as the day alone."""
    client = api("vol@a.example")
    today = now_local().date()
    body = {"id": str(uuid.uuid4()), "branch": "a1", "topics": ["toeslagen"]}
    first = client.post("/api/v1/questions", json={**body, "asked_at": today.isoformat()})
    assert first.status_code == 201, first.get_json()  # today, whatever the hour (noon or not)
    assert first.get_json()["asked_at"] == today.isoformat()
    again = client.post("/api/v1/questions", json={**body, "asked_at": today.isoformat()})
    assert again.status_code == 200  # sent twice from an offline desk: stored once
    with app.app_context():
        [question] = questions()
        assert question.local_hour is None and question.local_date == today
    for day, code in (
        # two days on: tomorrow is accepted in the last 5 minutes of today (a desk's clock
        # may run that far ahead, FUTURE_TOLERANCE)
        ((today + timedelta(days=2)).isoformat(), "future"),
        (f"{today.year}-02-30", "invalid"),
        ((today - timedelta(days=400)).isoformat(), "too_early"),  # a volunteer, a year back
    ):
        body = {"id": str(uuid.uuid4()), "branch": "a1", "topics": ["digid"], "asked_at": day}
        refused = client.post("/api/v1/questions", json=body)
        assert refused.status_code == 422, day
        assert refused.get_json()["errors"]["asked_at"][0]["code"] == code
    with app.app_context():
        assert len(questions()) == 1


@pytest.mark.once  # HTTP only: no query decides it
def test_an_unlisted_method_is_405_with_allow(client):
    """RFC 9110: a 405 names the methods the resource has (the error page is built anew)."""
    for path, methods in [
        ("/api/v1/questions", {"GET", "HEAD", "OPTIONS", "POST"}),
        (f"/api/v1/questions/{uuid.uuid4()}", {"DELETE", "OPTIONS"}),
        ("/auth/logout", {"OPTIONS", "POST"}),  # a page: the same header
    ]:
        response = client.open(path, method="TRACE")
        assert response.status_code == 405, path
        assert set(response.headers["Allow"].split(", ")) == methods


def test_the_api_refuses_what_its_document_does_not_allow(api, app):
    """Spellings the desk's form or the report pages take, but the document does not: 422 on
    the field, nothing stored. An empty parameter is refused, not taken as left out."""
    client = api("vol2@a.example")
    for query in ["to=", "from=", "page=", "branch=", "branch=%20a1", "branch=a1,a2"]:
        response = client.get(f"/api/v1/questions?{query}")
        assert response.status_code == 422, query
        assert list(response.get_json()["errors"]) == [query.split("=")[0]]
    for query in ["to=", "from=", "branch=", "municipality=", "branch=a1,,a2", "branch=a1,%20a2"]:
        response = client.get(f"/api/v1/counts?{query}")
        assert response.status_code == 422, query
        assert list(response.get_json()["errors"]) == [query.split("=")[0]]
    assert client.get("/api/v1/counts?branch=a1,a2").status_code == 200
    day = (now_local() - timedelta(days=1)).date().isoformat()
    for field, value in [
        ("asked_at", f"{day}T10:00Z"),  # no seconds
        ("asked_at", f"{day}t10:00:00z"),
        ("asked_at", f" {day}"),
        ("asked_at", f"{day}T10:00:00+01:00:30"),
        ("asked_at", ""),
        ("id", str(uuid.uuid4()).replace("-", "")),
        ("id", f"{{{uuid.uuid4()}}}"),
        ("id", ""),
        ("branch", " a1"),
        ("branch", "a1,a1"),
    ]:
        body = {"branch": "a1", "topics": ["digid"], field: value}
        response = client.post("/api/v1/questions", json=body)
        assert response.status_code == 422, (field, value)
        assert list(response.get_json()["errors"]) == [field]
    with app.app_context():
        assert questions() == []
    body = {"branch": "a1", "topics": ["digid"], "asked_at": f"{day}T10:00:00Z"}
    stored = client.post("/api/v1/questions", json={**body, "duration_minutes": 10.0})
    assert stored.status_code == 201  # 10.0 is a whole number in JSON
    assert client.delete(f"/api/v1/questions/{{{stored.get_json()['id']}}}").status_code == 404


@pytest.mark.once
def test_the_documents_patterns_are_the_servers_rules():
    """The years, codes and note characters the document allows are the ones the server
    takes (the fuzzer tries a few values; these try them all)."""
    from ido.api import openapi_parts as openapi
    from ido.core.checks import CODE_PATTERN, has_bad_characters
    from ido.core.timeutil import FIRST_YEAR, LAST_YEAR

    years = [y for y in range(10_000) if re.fullmatch(openapi.YEAR, f"{y:04}")]
    assert years == list(range(FIRST_YEAR, LAST_YEAR + 1))
    assert openapi.CODE_TEXT["pattern"] == CODE_PATTERN.pattern
    note = re.compile(openapi.NOTE["pattern"])
    for char in map(chr, [*range(0xD800), *range(0xE000, 0x10000)]):
        assert (note.fullmatch(char) is None) == has_bad_characters(char), hex(ord(char))
