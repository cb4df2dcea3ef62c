"""POST /api/v1/batch/questions: several questions in one request, each stored once by its id
and on its own; the body's shape refused as a whole; CSRF for a session."""

import json
import re
import threading
import urllib.error
import urllib.request
import uuid

import pytest

from ido.core.db import db
from ido.core.models import AuditEvent, Question

from .api_client import Api
from .conftest import Auth, gunicorn_serving
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


def _post(url: str, token: str, body: dict) -> tuple[int, dict | None]:
    request = urllib.request.Request(
        f"{url}{BATCH}",
        json.dumps(body).encode(),
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


@pytest.mark.slow  # gunicorn
@pytest.mark.untraced  # the batches above reach each line
def test_batches_sent_at_once_wait_their_turn_and_store_each_question_once(app, org):
    """Desks emptying their queues at the same moment, under `make serve`'s settings: on
    SQLite a batch's first write waits for its turn (a savepoint had opened the transaction
    before it, and SQLite then refused at once: 500); on PostgreSQL the same questions in
    opposite orders do not deadlock."""
    from ido.core.organisation.tokens import create_token

    with org.app_context():
        a = committed(create_token(user("vol@a.example"), "a")[1])
        b = committed(create_token(user("vol@b.example"), "b")[1])
    shared = [_body() for _ in range(60)]
    rounds = {
        "the same questions": [(a, shared)] * 4,
        "in opposite orders": [(a, shared), (a, shared[::-1])] * 2,
        "two libraries": [(a, [_body() for _ in range(40)]), (b, [_body("b1") for _ in range(40)])]
        * 2,
    }
    acknowledged: set[str] = set()
    with gunicorn_serving(app.config["SQLALCHEMY_DATABASE_URI"]) as url:
        for token in (a, b):  # each token's first use writes its last use: not measured
            assert _post(url, token, {"questions": [_body("a1" if token == a else "b1")]})[0] == 200
        for name, jobs in rounds.items():
            answers: list = [None] * len(jobs)

            def send(index: int, token: str, questions: list, into: list) -> None:
                into[index] = _post(url, token, {"questions": questions})

            threads = [
                threading.Thread(target=send, args=(i, token, questions, answers))
                for i, (token, questions) in enumerate(jobs)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert [status for status, _ in answers] == [200] * len(jobs), name
            for _status, found in answers:
                assert {r["status"] for r in found["results"]} <= {200, 201}, name
                acknowledged |= {r["id"] for r in found["results"]}
    with app.app_context():
        db.session.remove()
        stored = [str(found) for found in db.session.scalars(db.select(Question.id))]
        assert len(stored) == len(set(stored))  # none twice
        assert acknowledged <= set(stored)  # none lost


def test_a_batch_that_fails_midway_stores_nothing(api, app, monkeypatch):
    """A failure no refusal foresees (here: the audit trail's write, made to fail) after two
    questions were stored: the request fails whole, on both databases alike."""
    from ido.core.questions import service

    failing = _body()
    audit = service.audit

    def audit_or_fail(actor, action, entity, entity_id, *rest, **more):
        if str(entity_id) == failing["id"]:
            raise RuntimeError("the audit trail could not be written")
        return audit(actor, action, entity, entity_id, *rest, **more)

    monkeypatch.setattr(service, "audit", audit_or_fail)
    assert api.get("/api/v1/taxonomy").status_code == 200  # the token's first use writes
    before = _state(app)
    first = "00000000-0000-4000-8000-000000000001"  # stored first: the ids' order
    batch = {"questions": [_body(id=first), _body(id=first.replace("1", "2")), failing]}
    with pytest.raises(RuntimeError):  # the test app lets it through; a server answers 500
        api.post(BATCH, json=batch)
    assert _state(app) == before
