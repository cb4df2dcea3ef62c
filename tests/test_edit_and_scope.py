"""Who may change what: the 15-minute window for volunteers, and branch/library scope."""

from datetime import timedelta

from ido.core.db import db
from ido.core.models import Question
from ido.core.timeutil import now_local

from .conftest import messages
from .helpers import audit, branch, codes, desk_form, questions, typed


def _log(client, topic="digid", **extra):
    data = desk_form(client)
    data.update(topics=[topic], **extra)
    assert client.post("/desk/", data=data).status_code == 302
    return data["id"][0]


def _age(app, question_id, minutes):
    with app.app_context():
        q = db.session.get(Question, __import__("uuid").UUID(question_id))
        q.created_at = q.created_at - timedelta(minutes=minutes)
        db.session.commit()


def test_volunteer_changes_own_entry_within_15_minutes(auth, client, app):
    auth.login("vol@a.example")
    qid = _log(client)
    page = client.get(f"/desk/questions/{qid}/edit").get_data(as_text=True)
    assert 'value="digid" checked' in page
    data = desk_form(client)  # same field names; fill in the changes
    data.update(id=[qid], topics=["toeslagen"], duration_minutes=["30"])
    response = client.post(f"/desk/questions/{qid}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        [q] = questions()
        assert codes(q.topics) == ["toeslagen"] and q.duration_minutes == 30
        [change] = audit("update")
        assert change.changes["topics"] == [["digid"], ["toeslagen"]]
        assert change.changes["duration_minutes"] == [10, 30]


def test_volunteer_cannot_change_after_15_minutes_even_if_backdated_recently(auth, client, app):
    auth.login("vol@a.example")
    qid = _log(client, **typed(now_local() - timedelta(hours=3)))
    # Dated three hours ago but saved just now: the window runs from saving.
    assert client.get(f"/desk/questions/{qid}/edit").status_code == 200
    _age(app, qid, 16)
    assert client.get(f"/desk/questions/{qid}/edit").status_code == 403
    assert client.post(f"/desk/questions/{qid}/delete").status_code == 403
    rows = client.get("/desk/").get_data(as_text=True).split("data-today-rows")[1]
    assert "/edit" not in rows  # (the template of a new row, before the list, has one)
    with app.app_context():
        assert len(questions()) == 1


def test_volunteer_cannot_change_a_colleagues_entry(auth, client, app):
    auth.login("vol2@a.example")
    client.post("/desk/branch", data={"branch": "1"})
    qid = _log(client)
    auth.logout()
    auth.login("vol@a.example")
    assert client.get(f"/desk/questions/{qid}/edit").status_code == 403
    assert client.post(f"/desk/questions/{qid}/delete").status_code == 403


def test_coordinator_changes_any_entry_of_own_library_only(auth, client, app):
    auth.login("vol@a.example")
    qid = _log(client)
    _age(app, qid, 60 * 24)
    auth.logout()
    auth.login("coord@b.example")
    assert client.get(f"/desk/questions/{qid}/edit").status_code == 404
    assert client.post(f"/desk/questions/{qid}/delete").status_code == 404
    auth.logout()
    auth.login("coord@a.example")
    assert client.get(f"/desk/questions/{qid}/edit").status_code == 200
    assert client.post(f"/desk/questions/{qid}/delete").status_code == 302
    with app.app_context():
        assert questions() == []
        assert [e.action for e in audit()] == ["create", "delete"]
    assert client.post(f"/desk/questions/{qid}/delete").status_code == 302  # already gone:
    with app.app_context():  # said so, and nothing happens again
        assert [e.action for e in audit()] == ["create", "delete"]


def test_volunteer_cannot_log_for_another_branch(auth, client, app):
    auth.login("vol@a.example")
    with client.session_transaction() as session, app.app_context():
        session["branch_id"] = branch("b1").id  # a tampered session
    _log(client)
    with app.app_context():
        [q] = questions()
        assert q.branch.code == "a1"  # the only branch in scope, not b1
    response = client.post("/desk/branch", data={"branch": "3"})
    assert response.status_code == 422
    assert "Deze keuze bestaat niet (meer). Laad de pagina opnieuw." in messages(
        response.get_data(as_text=True)
    )


def test_branch_is_picked_once_by_users_with_several(auth, client):
    auth.login("vol2@a.example")
    response = client.get("/desk/")
    assert response.headers["Location"] == "/desk/branch"
    page = client.get("/desk/branch").get_data(as_text=True)
    assert "A Centrum (Astad)" in page and "A Dorp (Adorp)" in page and "B Centrum" not in page
    assert client.post("/desk/branch", data={}).status_code == 422
    client.post("/desk/branch", data={"branch": "2"})
    assert "Vandaag in A Dorp" in client.get("/desk/").get_data(as_text=True)


def test_coordinator_sees_only_own_library_branches(auth, client):
    auth.login("coord@a.example")
    page = client.get("/desk/branch").get_data(as_text=True)
    assert "A Centrum" in page and "A Dorp" in page and "B Centrum" not in page
    auth.logout()
    auth.login("admin@ido.example")
    page = client.get("/desk/branch").get_data(as_text=True)
    assert "A Centrum" in page and "B Centrum" in page


def test_user_without_branches_is_told_what_to_do(client, org, app, auth):
    with app.app_context():
        from ido.core.organisation import create_user

        from .conftest import PASSWORD

        create_user("new@a.example", "Nieuw", "volunteer", PASSWORD, "lib-a")
        db.session.commit()
    auth.login("new@a.example")
    assert client.get("/desk/").headers["Location"] == "/desk/branch"
    page = client.get("/desk/branch").get_data(as_text=True)
    assert "Vraag uw IDO-coördinator om toegang." in page


def test_desk_needs_login(client, org):
    for path in ("/desk/", "/desk/branch"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login?next=")
    assert client.post("/desk/quick").status_code == 302
