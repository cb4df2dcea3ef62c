"""The question service as a caller that skips the forms sees it (an import, a sync worker):
every rule holds, two saves of one id at once count once, and the links stay in step."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from ido.core.db import db
from ido.core.exceptions import InvalidQuestion, ServiceError
from ido.core.models import LINKS, Question
from ido.core.organisation import update_branch, update_library, update_user
from ido.core.questions import (
    QuestionData,
    delete_question,
    record_question,
    resync_links,
    update_question,
)
from ido.core.taxonomy import active_categories

from .helpers import branch, questions, store_question, user

pytestmark = pytest.mark.dialect  # a duplicate's race ends differently on each database


def _data(**change) -> QuestionData:
    cats = active_categories()
    values = {
        "branch": branch("a1"),
        "topics": [cats.by_code("topics")["digid"]],
        "channel": cats.channels[0],
        "outcome": cats.outcomes[0],
        "duration_minutes": 10,
        **change,
    }
    return QuestionData(**values)


@pytest.mark.once  # refused in Python before any query
@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"note": "Bel haar op 06-12345678"}, "note", "personal_data"),
        ({"note": "BSN 111222333"}, "note", "personal_data"),
        ({"note": "x" * 501}, "note", "too_long"),
        ({"topics": []}, "topics", "required"),
        ({"duration_minutes": 0}, "duration_minutes", "out_of_range"),
        ({"asked_at": datetime.now(UTC) + timedelta(hours=1)}, "asked_at", "future"),
    ],
)
def test_the_service_refuses_what_the_forms_refuse(org, app, change, field, code):
    with app.app_context():
        with pytest.raises(InvalidQuestion) as refused:
            record_question(_data(**change), user("vol@a.example"))
        assert [c for c, _message in refused.value.errors[field]] == [code]
        assert list(refused.value.errors) == [field]
        db.session.rollback()
        assert questions() == []


def test_an_edit_is_checked_too_and_changes_nothing(org, app):
    with app.app_context():
        stored = store_question("a1", datetime(2026, 3, 2, 10, tzinfo=UTC), ["zorg"])
        with pytest.raises(InvalidQuestion) as refused:
            update_question(stored, _data(note="mail jan@example.nl"), user("coord@a.example"))
        assert refused.value.errors["note"][0][0] == "personal_data"
        assert "jan@example.nl" not in str(refused.value)  # the kind, never the text
        db.session.rollback()
        assert [q.note for q in questions()] == [None]


def test_two_saves_of_one_id_at_once_store_it_once(org, app):
    """The second save waits for the first one's transaction and then finds its row."""
    question_id, first_flushed, results = uuid.uuid4(), threading.Event(), {}

    def save(name: str, hold: bool) -> None:
        with app.app_context():
            if not hold:
                first_flushed.wait(5)
            stored, created = record_question(_data(), user("vol@a.example"), question_id)
            if hold:
                first_flushed.set()
                threading.Event().wait(0.5)  # the other save runs into this open transaction
            db.session.commit()
            results[name] = (stored.id, created)

    threads = [
        threading.Thread(target=save, args=("first", True)),
        threading.Thread(target=save, args=("second", False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == {"first": (question_id, True), "second": (question_id, False)}
    with app.app_context():
        assert [q.id for q in questions()] == [question_id]


def _in_another_request(app, work) -> None:
    """`work` in a request of its own (a thread, its own session), committed."""

    def run() -> None:
        with app.app_context():
            work()
            db.session.commit()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()


def _links_of(question_id) -> set[tuple[str, object, bool]]:
    found = set()
    key = db.select(Question.key).where(Question.id == question_id).scalar_subquery()
    for link in LINKS:
        rows = db.session.execute(
            db.select(link.table.c.local_month, link.table.c.counted).where(
                link.table.c.question_key == key
            )
        )
        found |= {(link.dimension, month, bool(counted)) for month, counted in rows}
    return found


def test_an_edit_after_a_delete_in_between_changes_nothing_and_counts_nothing(org, app):
    """A coordinator opens a question while another deletes it: the edit is refused (409)
    and the deleted question's link rows stay uncounted."""
    with app.app_context():
        question = store_question("a1", None, ["digid"])
        opened = db.session.get(Question, question.id)  # read by the edit's request
        _in_another_request(
            app, lambda: delete_question(db.session.get(Question, question.id), None)
        )
        cats = active_categories()
        with pytest.raises(ServiceError) as refused:
            update_question(opened, _data(topics=[cats.by_code("topics")["toeslagen"]]), None)
        assert refused.value.status == 409
        db.session.rollback()
        assert {counted for _dimension, _month, counted in _links_of(question.id)} == {False}
        assert questions() == []


def test_two_edits_at_once_leave_the_links_in_the_questions_month(org, app):
    """One edit moves a question to last month while another changes its topic: whichever
    commits last, the link rows carry the month the question is in."""
    with app.app_context():
        question = store_question("a1", None, ["digid"])
        opened = db.session.get(Question, question.id)
        cats = active_categories()
        earlier = datetime.now(UTC).replace(microsecond=0) - timedelta(days=40)

        def move() -> None:
            moved = db.session.get(Question, question.id)
            update_question(moved, _data(asked_at=earlier), None)

        _in_another_request(app, move)
        update_question(opened, _data(topics=[cats.by_code("topics")["toeslagen"]]), None)
        db.session.commit()
        stored = db.session.get(Question, question.id)
        assert {month for _d, month, _c in _links_of(question.id)} == {stored.local_month}


def test_a_resent_id_answers_with_the_stored_question(org, app):
    """A resend is not looked up first: its INSERT fails on the id, and the stored question is
    the answer, in the same session, with nothing added."""
    question_id = uuid.uuid4()
    with app.app_context():
        stored, created = record_question(_data(), user("vol@a.example"), question_id)
        db.session.commit()
        again, created_again = record_question(_data(), user("vol@a.example"), question_id)
        db.session.commit()
        assert (created, created_again) == (True, False)
        assert again.id == stored.id == question_id
        assert [q.id for q in questions()] == [question_id]


def test_a_resent_note_with_spaces_around_it_is_the_same_question(org, app):
    """The note is stored stripped; a resend of the same text with its spaces is no conflict."""
    question_id = uuid.uuid4()
    with app.app_context():
        record_question(_data(note="  Terugbellen "), user("vol@a.example"), question_id)
        db.session.commit()
        again, created = record_question(
            _data(note="  Terugbellen "), user("vol@a.example"), question_id
        )
        assert (again.id, created, again.note) == (question_id, False, "Terugbellen")
        assert len(questions()) == 1


def test_a_question_stored_under_older_rules_is_still_found_by_its_id(org, app):
    """A resend of a question the rules of today would refuse (here: a note that a later guard
    reads as personal data) answers with the stored question instead of refusing it."""
    question_id = uuid.uuid4()
    with app.app_context():
        record_question(_data(note="afspraak"), user("vol@a.example"), question_id)
        db.session.execute(
            Question.__table__.update().values(note="BSN 111222333"),
        )
        db.session.commit()
        again, created = record_question(
            _data(note="BSN 111222333"), user("vol@a.example"), question_id
        )
        assert (again.id, created) == (question_id, False)
        with pytest.raises(InvalidQuestion):  # a new id with that note is refused
            record_question(_data(note="BSN 111222333"), user("vol@a.example"), uuid.uuid4())
        db.session.rollback()
        assert [q.id for q in questions()] == [question_id]


def test_resync_repairs_link_rows_written_by_a_bulk_insert(org, app):
    """A bulk import that wrote bare link rows (no month, branch or codes) is set right."""
    with app.app_context():
        cats = active_categories()
        moment = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # February, locally
        stored = store_question("a2", moment, ["digid_app"], agencies=["svb"], help=["uitleg"])
        for link in LINKS:
            db.session.execute(link.table.delete())
        db.session.execute(
            db.update(Question).values(topic_codes="", agency_codes="", help_codes="")
        )
        topics = LINKS[0]
        db.session.execute(
            insert(topics.table),
            [
                {"question_key": stored.key, "topic_id": cats.by_code("topics")[code].id}
                for code in ("digid", "digid_app")
            ],
        )
        resync_links()
        db.session.commit()
        db.session.expire_all()
        question = db.session.get(Question, stored.id)
        assert question.topic_codes == "digid|digid_app" and question.agency_codes == ""
        rows = db.session.execute(db.select(topics.table)).all()
        assert {(r.local_month.isoformat(), r.branch_id, r.counted) for r in rows} == {
            ("2026-02-01", branch("a2").id, True)
        }


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: update_library(branch("a1").library, "  ", True), "Geef een naam."),
        (lambda: update_branch(branch("a1"), "", "Astad", True, True), "Geef de naam"),
        (lambda: update_user(user("vol@a.example"), "X", "baas", [], True), "De rol moet"),
        (
            lambda: update_user(user("vol@a.example"), "X", "volunteer", [branch("b1")], True),
            "eigen bibliotheek",
        ),
    ],
)
def test_organisation_changes_are_checked(org, app, call, message):
    with app.app_context():
        with pytest.raises(ServiceError, match=message):
            call()
        db.session.rollback()
        assert branch("a1").name == "A Centrum" and user("vol@a.example").role == "volunteer"


def test_questions_written_in_bulk_get_their_keys_and_whole_link_rows(org, app):
    """insert_questions (the demo, a library moved in, the benchmarks' data): each question's
    link rows name the key its INSERT got, with its month, branch and counted state."""
    from ido.core.questions import insert_questions
    from ido.core.timeutil import local_columns

    with app.app_context():
        cats = active_categories()
        topics, agencies = cats.by_code("topics"), cats.by_code("agencies")
        at = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # February, locally
        rows = [
            {
                "id": uuid.uuid4(),
                "branch_id": branch(code).id,
                "asked_at": at,
                **local_columns(at),
                "channel_id": cats.channels[0].id,
                "outcome_id": cats.outcomes[0].id,
                "duration_minutes": 10,
                "deleted_at": deleted,
            }
            for code, deleted in (("a1", None), ("b1", at))
        ]
        chosen = [
            {LINKS[0]: [topics["digid"].id, topics["zorg"].id], LINKS[1]: [agencies["svb"].id]},
            {LINKS[0]: [topics["zorg"].id]},
        ]
        keys = insert_questions(rows, chosen)
        db.session.commit()
        assert len(set(keys)) == 2
        for row, key in zip(rows, keys, strict=True):
            assert db.session.get(Question, row["id"]).key == key
        found = sorted(
            (
                r.question_key,
                link.dimension,
                r[1],
                r.local_month.isoformat(),
                r.branch_id,
                r.counted,
            )
            for link in LINKS
            for r in db.session.execute(db.select(link.table))
        )
        first, second = keys
        a1, b1 = branch("a1").id, branch("b1").id
        assert found == sorted(
            [
                (first, "topic", topics["digid"].id, "2026-02-01", a1, True),
                (first, "topic", topics["zorg"].id, "2026-02-01", a1, True),
                (first, "agency", agencies["svb"].id, "2026-02-01", a1, True),
                (second, "topic", topics["zorg"].id, "2026-02-01", b1, False),
            ]
        )
        assert insert_questions([], []) == []
        db.session.remove()
