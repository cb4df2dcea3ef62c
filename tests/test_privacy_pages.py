"""Retention (purge-notes), the management page, the audit trail and the privacy statement."""

from datetime import timedelta

from ido.core.db import db
from ido.core.models import AuditEvent, Question
from ido.core.retention import purge_if_due

from .helpers import questions, store_question


def _note_question(app, days_old: int, note="Terugbellen na de brief"):
    from datetime import UTC, datetime

    with app.app_context():
        question = store_question(
            "a1", datetime(2026, 3, 2, 10, 0, tzinfo=UTC), ["digid"], note=note
        )
        question.created_at -= timedelta(days=days_old)
        db.session.commit()
        return question.id


def test_purge_notes_empties_old_notes_and_keeps_counts(runner, org, app):
    old = _note_question(app, 91)
    recent = _note_question(app, 10)
    result = runner.invoke(args=["purge-notes"])
    assert result.exit_code == 0 and "1 notes older than 90 days emptied." in result.output
    with app.app_context():
        assert db.session.get(Question, old).note is None
        assert db.session.get(Question, recent).note == "Terugbellen na de brief"
        assert len(questions()) == 2  # the questions themselves still count
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity == "notes"))
        assert event.changes == {"emptied": 1, "days": 90}


def test_daily_purge_runs_once_a_day(org, app):
    _note_question(app, 100)
    with app.app_context():
        assert purge_if_due() is True
        db.session.commit()
        assert purge_if_due() is False  # done today already


def test_management_page_shows_retention_and_last_purge(auth, client, runner, app):
    auth.login("coord@a.example")
    page = client.get("/admin/").get_data(as_text=True)
    assert "90 dagen" in page and "nog niet" in page
    runner.invoke(args=["purge-notes"])
    page = client.get("/admin/").get_data(as_text=True)
    assert "0 notities leeggemaakt" in page
    client.post("/auth/logout")
    auth.login("vol@a.example")
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/audit").status_code == 403


def test_audit_trail_is_scoped_and_filterable(auth, client, app):
    auth.login("vol@a.example")
    from .helpers import desk_form

    data = desk_form(client)
    data["topics"] = ["digid"]
    client.post("/desk/", data=data)
    client.post("/auth/logout")
    auth.login("coord@a.example")
    page = client.get("/admin/audit?entity=question").get_data(as_text=True)
    assert "Vrijwilliger A1" in page and "question" in page and "create" in page
    assert "Vrijwilliger B" not in client.get("/admin/audit").get_data(as_text=True)
    assert "Niets gevonden." in client.get("/admin/audit?action=purge").get_data(as_text=True)
    assert client.get("/admin/audit?from=gisteren").status_code == 422
    client.post("/auth/logout")
    auth.login("coord@b.example")
    page = client.get("/admin/audit?entity=question").get_data(as_text=True)
    assert "Vrijwilliger A1" not in page
    assert client.post("/admin/audit").status_code == 405  # read-only


def test_privacy_page_is_public(client, org):
    page = client.get("/privacy").get_data(as_text=True)
    assert "Wat nooit wordt opgeslagen" in page and "90 dagen" in page
    assert 'href="/privacy"' in client.get("/auth/login").get_data(as_text=True)


def test_the_accessibility_statement_is_linked_from_every_page(client, org):
    page = client.get("/toegankelijkheid").get_data(as_text=True)
    assert "Toegankelijkheidsverklaring van IDO Logboek" in page and "WCAG) 2.1" in page
    assert "Hoe het is getest" in page and "axe-core" in page
    client.post("/language", data={"lang": "en"})
    assert "How it was tested" in client.get("/toegankelijkheid").get_data(as_text=True)
    for path in ("/auth/login", "/privacy", "/toegankelijkheid"):
        assert 'href="/toegankelijkheid"' in client.get(path).get_data(as_text=True)


def test_a_running_app_purges_on_its_first_request(database_url, org):
    """IDO_PURGE_IN_APP (the default): the first request of the day purges, in its own commit."""
    from ido import create_app

    from .conftest import dispose, make_config

    _note_question(org, 100)
    app = create_app(make_config(database_url, IDO_PURGE_IN_APP=True))
    assert app.test_client().get("/auth/login").status_code == 200
    assert app.test_client().get("/auth/login").status_code == 200  # checked once an hour
    with app.app_context():
        purges = db.session.scalars(db.select(AuditEvent).where(AuditEvent.entity == "notes"))
        assert [p.changes for p in purges] == [{"emptied": 1, "days": 90}]
        assert [q.note for q in questions()] == [None]
    dispose(app)


def _every_text_in_the_database() -> str:
    """Every value of every column of every table, as text (for looking for a note)."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(db.select(table)):
            found += [str(value) for value in row if value is not None]
    return "\n".join(found)


def test_a_purged_note_leaves_no_trace_anywhere(auth, client, runner, app):
    """Saved, edited, then purged: no table holds either text, the audit trail included."""
    from .helpers import desk_form

    first, second = "Terugbellen over de aanslag", "Tweede notitie over de brief"
    auth.login("coord@a.example")
    client.post("/desk/branch", data={"branch": "1"})
    assert (
        client.post(
            "/desk/", data={**desk_form(client), "topics": ["digid"], "note": first}
        ).status_code
        == 302
    )
    with app.app_context():
        [question] = questions()
        question_id = question.id
    edit = client.get(f"/desk/questions/{question_id}/edit").get_data(as_text=True)
    assert first in edit  # the note is shown for correcting
    from .conftest import form_fields

    url = f"/desk/questions/{question_id}/edit"
    data = {**form_fields(edit, url), "topics": ["digid"], "note": second}
    assert client.post(f"/desk/questions/{question_id}/edit", data=data).status_code == 302
    with app.app_context():
        everything = _every_text_in_the_database()
        assert second in everything and first not in everything  # the audit kept no copy
        events = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.entity == "question").order_by(AuditEvent.id)
        ).all()
        assert [e.changes["note"] for e in events] == ["given", "changed"]
        db.session.get(Question, question_id).created_at -= timedelta(days=91)
        db.session.commit()
    assert runner.invoke(args=["purge-notes"]).exit_code == 0
    with app.app_context():
        everything = _every_text_in_the_database()
        assert first not in everything and second not in everything
