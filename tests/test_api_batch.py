"""POST /api/v1/batch/questions: several questions in one request, each stored once by its id
and on its own; the body's shape refused as a whole; CSRF for a session."""

import re
import uuid

import pytest

from ido.core.db import db
from ido.core.models import AuditEvent, Question

from .api_client import Api
from .conftest import Auth
from .helpers import committed, questions, user

BATCH = "/api/v1/batch/questions"


def _body(branch="a1", **more) -> dict:
    return {"id": str(uuid.uuid4()), "branch": branch, "topics": ["digid"], **more}


@pytest.fixture
def api(client, org):
    from ido.core.organisation.tokens import create_token

    with org.app_context():
        return Api(client, committed(create_token(user("vol@a.example"), "t")[1]))


def _state(app) -> tuple[list, int]:
    with app.app_context():
        stored = sorted((str(q.id), q.topic_codes) for q in questions(include_deleted=True))
        return stored, db.session.scalar(db.select(db.func.count(AuditEvent.id)))


@pytest.mark.dialect  # savepoints per question
def test_each_question_is_stored_once_and_a_refused_one_changes_nothing(api, app):
    first, second = _body(), _body(topics=["toeslagen"], duration_minutes=20)
    refused = _body(topics=["no_such_topic"])
    other_library = _body(branch="b1")
    batch = {"questions": [first, refused, second, other_library]}
    answer = api.post(BATCH, json=batch)
    assert answer.status_code == 200
    results = answer.get_json()["results"]
    assert [(r["id"], r["status"]) for r in results] == [
        (first["id"], 201),
        (refused["id"], 422),
        (second["id"], 201),
        (other_library["id"], 422),  # another library's branch is an unknown one
    ]
    assert results[0]["question"]["topics"] == ["digid"]
    assert results[2]["question"]["duration_minutes"] == 20
    assert "topics" in results[1]["errors"] and "branch" in results[3]["errors"]
    stored = _state(app)
    assert sorted(topics for _id, topics in stored[0]) == ["digid", "toeslagen"]

    # sent again (the answer was lost): nothing counted twice, the same refusals
    again = api.post(BATCH, json=batch).get_json()["results"]
    assert [r["status"] for r in again] == [200, 422, 200, 422]
    assert _state(app) == stored


def test_an_id_used_twice_in_one_batch(api, app):
    same = _body()
    changed = {**same, "topics": ["toeslagen"]}
    results = api.post(BATCH, json={"questions": [same, same, changed]}).get_json()["results"]
    assert [r["status"] for r in results] == [201, 200, 422]
    assert results[2]["errors"]["id"][0]["code"] == "id_conflict"
    with app.app_context():
        assert [q.topic_codes for q in questions()] == ["digid"]


def test_personal_data_in_one_note_refuses_that_question_only(api, app):
    kept = _body(note="Uitleg gegeven over de app")
    named = _body(note="Mevrouw Jansen uit de Dorpsstraat 12 belde")
    results = api.post(BATCH, json={"questions": [kept, named]}).get_json()["results"]
    assert [r["status"] for r in results] == [201, 422]
    assert results[1]["errors"]["note"][0]["code"] == "personal_data"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Question.id))) == 1


@pytest.mark.parametrize(
    "body",
    [
        [],  # not an object
        {},
        {"questions": []},
        {"questions": "digid"},
        {"questions": [_body() for _ in range(101)]},
        {"questions": ["digid", _body()]},  # one that is no object
    ],
)
def test_a_body_of_the_wrong_shape_is_400_and_stores_nothing(api, app, body):
    before = _state(app)
    answer = api.post(BATCH, json=body)
    assert answer.status_code == 400
    assert answer.get_json()["errors"]["questions"][0]["code"] == "bad_request"
    assert _state(app) == before


def test_a_session_needs_the_csrf_header(client, org, monkeypatch):
    monkeypatch.setitem(org.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    Auth(client).login("vol@a.example", csrf_token=token)
    body = {"questions": [_body()]}
    assert client.post(BATCH, json=body).status_code == 400  # no CSRF token: nothing stored
    with org.app_context():
        assert questions() == []
    fresh = client.get("/desk/csrf").get_json()["csrf_token"]  # the logged-in session's token
    answer = client.post(BATCH, json=body, headers={"X-CSRFToken": fresh})
    assert answer.status_code == 200 and answer.get_json()["results"][0]["status"] == 201
