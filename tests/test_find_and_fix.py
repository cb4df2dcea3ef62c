"""Finding past questions again: a volunteer's own recent ones, the coordinators' list with its
filters, and an audit trail a person can read (names, local times, links, no phantom changes)."""

import re
from datetime import UTC, datetime, timedelta

from ido.core.db import db
from ido.core.models import AuditEvent, Question
from ido.core.timeutil import now_local

from .conftest import form_fields, messages
from .helpers import desk_form, questions, store_question, typed


def _log(client, **fields) -> str:
    data = desk_form(client)
    data.update(fields)
    assert client.post("/desk/", data=data).status_code == 302
    return data["id"][0]


def _age(app, question_id: str, minutes: int) -> None:
    with app.app_context():
        question = db.session.get(Question, __import__("uuid").UUID(question_id))
        question.created_at -= timedelta(minutes=minutes)
        db.session.commit()


def test_my_recent_questions_lists_my_own_with_edit_links_while_editable(auth, client, app):
    with app.app_context():
        store_question("a1", None, ["zorg"])  # a colleague's (vol2): not listed
    auth.login("vol@a.example")
    earlier = now_local() - timedelta(days=3)
    back_dated = _log(client, topics=["toeslagen"], **typed(earlier))
    today = _log(client, topics=["digid"])
    page = client.get("/desk/mine").get_data(as_text=True)
    assert "Mijn recente vragen" in page and "Zorg en Wmo" not in page
    assert f"{earlier:%d-%m-%Y %H:%M}" in page  # the back-dated one, with its day
    assert page.index(today) < page.index(back_dated)  # in the order they were saved
    edit = f"/desk/questions/{back_dated}/edit?next=/desk/mine"
    assert f'href="{edit}"' in page
    fields = form_fields(client.get(edit).get_data(as_text=True), edit)
    fields["duration_minutes"] = ["30"]
    response = client.post(edit, data=fields)
    assert response.status_code == 302 and response.headers["Location"] == "/desk/mine"
    page = client.get("/desk/mine").get_data(as_text=True)
    assert f"De vraag van {earlier:%d-%m-%Y %H:%M} is gewijzigd." in messages(page)
    _age(app, back_dated, 16)  # past the volunteer's 15 minutes: no more edit link
    page = client.get("/desk/mine").get_data(as_text=True)
    assert f"/desk/questions/{back_dated}/edit" not in page
    assert f"/desk/questions/{today}/edit" in page
    assert 'href="/desk/mine"' in client.get("/desk/").get_data(as_text=True)  # from the desk


def test_my_recent_questions_when_there_are_none(auth, client):
    auth.login("vol@a.example")
    page = client.get("/desk/mine").get_data(as_text=True)
    assert "U hebt nog geen vragen geregistreerd." in page


def _rows(page: str) -> int:
    return len(re.findall(r'<tr role="row">\s*<td role="cell"', page))


def test_coordinators_find_questions_by_branch_period_topic_agency_and_who(client, org, app, auth):
    with app.app_context():
        at = now_local() - timedelta(minutes=5)
        store_question("a1", at, ["digid"], referrals=["uwv"])
        store_question("a2", at, ["toeslagen"], agencies=["toeslagen"])
        store_question("a2", at - timedelta(days=70), ["zorg"])  # before the default period
        store_question("b1", at, ["digid"])  # another library: never listed
    auth.login("coord@a.example")
    page = client.get("/reports/questions").get_data(as_text=True)
    assert "2 vragen gevonden." in page and _rows(page) == 2
    assert 'href="/reports/questions"' in page  # in the menu
    assert "1 vraag gevonden." in client.get("/reports/questions?branch=a2").get_data(as_text=True)
    page = client.get("/reports/questions?topic=digid").get_data(as_text=True)
    assert "1 vraag gevonden." in page and "DigiD" in page
    page = client.get("/reports/questions?agency=uwv").get_data(as_text=True)  # referred to
    assert "1 vraag gevonden." in page
    page = client.get("/reports/questions?agency=toeslagen").get_data(as_text=True)  # concerns
    assert "1 vraag gevonden." in page
    old = at - timedelta(days=70)
    period = f"from={old:%Y-%m-%d}&to={old:%Y-%m-%d}"
    assert "1 vraag gevonden." in client.get(f"/reports/questions?{period}").get_data(as_text=True)
    with app.app_context():
        from .helpers import user

        colleague = user("vol2@a.example").id
    page = client.get(f"/reports/questions?who=u{colleague}").get_data(as_text=True)
    assert "2 vragen gevonden." in page  # store_question logs as vol2
    [first] = [q for q in _ids(app) if q[1] == "a1"]
    assert f"/desk/questions/{first[0]}/edit?next=" in page
    assert f"/admin/audit?entity=question&amp;id={first[0]}" in page


def _ids(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(str(q.id), q.branch.code) for q in questions()]


def test_the_coordinators_list_pages_and_refuses_what_it_does_not_know(client, org, app, auth):
    with app.app_context():
        at = now_local() - timedelta(minutes=5)
        for _ in range(51):
            store_question("a1", at, ["digid"])
    auth.login("coord@a.example")
    page = client.get("/reports/questions").get_data(as_text=True)
    assert "51 vragen gevonden." in page and _rows(page) == 50 and "Pagina 1 van 2" in page
    page = client.get("/reports/questions?page=2").get_data(as_text=True)
    assert _rows(page) == 1
    for bad in ("topic=astrologie", "agency=nergens", "who=u999999", "who=x", "from=2026-13-01"):
        assert client.get(f"/reports/questions?{bad}").status_code == 422, bad
    assert client.get("/reports/questions?branch=b1").status_code == 422  # as unknown
    client.post("/auth/logout")
    auth.login("vol@a.example")
    assert client.get("/reports/questions").status_code == 403


def test_the_audit_trail_reads_as_words_with_links_and_no_phantom_changes(auth, client, app):
    auth.login("coord@a.example")
    client.post("/desk/branch", data={"branch": "1"})
    earlier = (now_local() - timedelta(days=1)).replace(hour=14, minute=5)
    question_id = _log(client, topics=["digid"], referrals=["uwv"], **typed(earlier))
    edit = f"/desk/questions/{question_id}/edit"
    fields = form_fields(client.get(edit).get_data(as_text=True), edit)
    fields["topics"] = ["toeslagen"]
    assert client.post(edit, data=fields).status_code == 302  # the moment is left as it was
    with app.app_context():
        change = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "update"))
        assert set(change.changes) == {"topics"}  # no phantom change of the moment
    page = client.get(f"/admin/audit?entity=question&id={question_id}").get_data(as_text=True)
    assert "gewijzigd" in page and "aangemaakt" in page and "vraag" in page
    assert "Onderwerpen</strong>: DigiD → Toeslagen</span>" in page  # names, not codes
    assert f"Datum en tijd</strong>: {earlier:%d-%m-%Y %H:%M}" in page  # Amsterdam time
    assert "Doorverwezen naar</strong>: UWV" in page
    assert f"/desk/questions/{question_id}/edit" in page
    assert "één vraag" in page
    other = client.get("/admin/audit?entity=question&id=nothing").get_data(as_text=True)
    assert "Niets gevonden." in other
    assert client.get("/admin/audit?id=" + "x" * 65).status_code == 422
    assert client.get("/admin/audit?id=a%0Ab").status_code == 422


def test_a_moment_typed_again_in_local_time_is_no_change(org, app):
    """The service compares moments, not their spelling (+01:00 against UTC)."""
    from ido.core.questions import snapshot

    with app.app_context():
        question = store_question("a1", datetime(2026, 11, 2, 9, 30, tzinfo=UTC), ["digid"])
        before = snapshot(question)
        question.asked_at = question.asked_at.astimezone(now_local().tzinfo)
        assert snapshot(question)["asked_at"] == before["asked_at"]


def test_an_unchanged_edit_of_an_api_question_is_no_change(client, org, app, auth):
    """Found by a probe: seconds from the API and a note's line breaks as a browser sends them
    (CRLF) made an edit saved without changes look like one, and dropped the seconds."""
    from ido.core.organisation.tokens import create_token

    from .api_client import Api
    from .helpers import committed, user

    with app.app_context():
        token = committed(create_token(user("coord@a.example"), "t")[1])
    moment = (now_local() - timedelta(days=1)).replace(second=42, microsecond=0)
    body = {
        "branch": "a1",
        "topics": ["digid"],
        "asked_at": moment.isoformat(),
        "note": "regel een\nregel twee",
    }
    question_id = Api(client, token).post("/api/v1/questions", json=body).get_json()["id"]
    auth.login("coord@a.example")
    edit = f"/desk/questions/{question_id}/edit"
    fields = form_fields(client.get(edit).get_data(as_text=True), edit)
    fields["note"] = ["regel een\r\nregel twee"]  # as a browser sends a text area
    assert client.post(edit, data=fields).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "update")) is None
        [question] = questions()
        assert question.asked_at == moment and question.note == "regel een\nregel twee"


def test_the_audit_names_people_branches_and_roles_and_refuses_unknown_filters(
    client, org, app, auth
):
    from ido.core.organisation import create_branch, create_user

    from .helpers import user

    with app.app_context():
        coordinator = user("coord@a.example")
        create_branch("a7", "A Haven", "lib-a", "Astad", True, coordinator)
        create_user(
            "nieuw@a.example",
            "Nieuwe Vrijwilliger",
            "volunteer",
            None,
            "lib-a",
            ("a7",),
            actor=coordinator,
        )
        db.session.commit()
    auth.login("coord@a.example")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Nieuwe Vrijwilliger" in page and "A Haven" in page  # what the events are about
    assert "Rol</strong>: vrijwilliger" in page
    assert "Vestigingen</strong>: A Haven" in page  # names, not codes
    assert "Gemeente</strong>: Astad" in page
    for bad in ("entity=bogus", "action=bogus", "entity=person"):
        assert client.get(f"/admin/audit?{bad}").status_code == 422, bad
    assert client.get("/reports/questions?from=2026-11-30&to=2026-11-01").status_code == 422


def test_undo_tapped_twice_says_it_was_done(auth, client, app):
    auth.login("vol@a.example")
    question_id = _log(client, topics=["digid"])
    undo = f"/desk/questions/{question_id}/delete"
    assert client.post(undo).status_code == 302
    response = client.post(undo)
    assert response.status_code == 302
    page = client.get("/desk/").get_data(as_text=True)
    assert "Deze vraag was al verwijderd." in messages(page)


def test_every_kind_of_audit_value_reads_as_words(org, app):
    """The trail's values as a coordinator reads them, for each kind of event the app writes."""
    from ido.admin.audit_changes import readable_changes, subject_names
    from ido.core.organisation.devices import enrol_device
    from ido.core.taxonomy import active_categories

    from .helpers import branch, user

    with app.app_context():
        topics = active_categories().by_code("topics")
        device = enrol_device(branch("a1"), "Tablet balie", None)[0]
        db.session.commit()
        volunteer = user("vol@a.example")
        made = [
            AuditEvent(
                id=1,
                entity="branch",
                entity_id=str(branch("a1").id),
                action="update",
                changes={"desk_topics": [[], [topics["digid"].id, 999999]]},
            ),
            AuditEvent(
                id=2,
                entity="user",
                entity_id=str(volunteer.id),
                action="update",
                changes={"role": ["volunteer", "coordinator"], "active": [True, False]},
            ),
            AuditEvent(
                id=3,
                entity="notes",
                entity_id="purge",
                action="purge",
                changes={"emptied": 4, "days": 90},
            ),
            AuditEvent(
                id=4,
                entity="question",
                entity_id="x",
                action="create",
                changes={
                    "asked_at": "2026-11-10",
                    "note": "given",
                    "referrals": None,
                    "branch": "a1",
                    "topics": ["digid", "weg"],
                },
            ),
            AuditEvent(
                id=5,
                entity="question",
                entity_id="y",
                action="update",
                changes={
                    "asked_at": ["not a moment", "2026-11-10T09:30:00+00:00"],
                    "note": "changed",
                },
            ),
            AuditEvent(
                id=6,
                entity="device",
                entity_id=str(device.id),
                action="create",
                changes={"branch": "a1", "name": "Tablet balie", "enrolled": True},
            ),
            AuditEvent(
                id=7,
                entity="library",
                entity_id=str(branch("a1").library_id),
                action="create",
                changes={"code": "lib-a", "tags": ["x", "y"]},
            ),
        ]
        lines = readable_changes(made)
        names = subject_names(made)
        a1 = str(branch("a1").id)
    assert lines[1] == [("Onderwerpen op de balie", "–", "DigiD, 999999")]
    assert lines[2] == [("Rol", "vrijwilliger", "coördinator"), ("Actief", "ja", "nee")]
    assert lines[3] == [("Notities leeggemaakt", "4", None), ("Bewaard (dagen)", "90", None)]
    assert lines[4] == [
        ("Datum en tijd", "10-11-2026, tijd onbekend", None),
        ("Notitie", "ingevuld", None),
        ("Doorverwezen naar", "–", None),
        ("Vestiging", "A Centrum", None),
        ("Onderwerpen", "DigiD, weg", None),  # a code no longer known stays a code
    ]
    assert lines[5] == [
        ("Datum en tijd", "not a moment", "10-11-2026 10:30"),
        ("Notitie", "gewijzigd", None),
    ]
    assert lines[6][0] == ("Vestiging", "A Centrum", None) and lines[6][2][1] == "ja"
    assert lines[7] == [("Code", "lib-a", None), ("tags", "x, y", None)]
    assert names[("user", str(volunteer.id))] == "Vrijwilliger A1"
    assert names[("device", str(device.id))] == "Tablet balie"
    assert names[("branch", a1)] == "A Centrum"


def test_filters_by_tablet_and_audit_dates_and_names_of_topics_off_the_desk(client, org, app, auth):
    from ido.core.organisation.devices import DevicePrincipal, enrol_device
    from ido.core.questions import QuestionData, record_question
    from ido.core.taxonomy import active_categories, save_branch_desk

    from .helpers import branch

    with app.app_context():
        device = enrol_device(branch("a1"), "Tablet balie", None)[0]
        cats = active_categories()
        data = QuestionData(
            branch=branch("a1"),
            topics=[cats.by_code("topics")["studie"]],
            channel=cats.channels[0],
            outcome=cats.outcomes[0],
            duration_minutes=10,
        )
        record_question(data, DevicePrincipal(device))
        store_question("a1", None, ["digid"])
        topics = cats.by_code("topics")  # a1's desk drops studie: its name is looked up
        save_branch_desk(branch("a1"), {"topic": {topics["digid"].id: 1}})
        db.session.commit()
        tablet = device.id
    auth.login("coord@a.example")
    page = client.get(f"/reports/questions?who=d{tablet}").get_data(as_text=True)
    assert "1 vraag gevonden." in page and "Studiefinanciering" in page
    client.post("/desk/branch", data={"branch": "1"})
    assert "Studiefinanciering" in client.get("/desk/").get_data(as_text=True)  # today's list
    today = now_local().date()
    page = client.get(f"/admin/audit?from={today}&to={today}").get_data(as_text=True)
    assert "aangemaakt" in page
    yesterday = today - timedelta(days=1)
    page = client.get(f"/admin/audit?from={yesterday}&to={yesterday}").get_data(as_text=True)
    assert "Niets gevonden." in page
