"""Small helpers shared by the tests."""

import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from sqlalchemy import insert

from ido.core.db import db
from ido.core.models import AuditEvent, Branch, Channel, Outcome, Question, User
from ido.core.questions import (
    QuestionData,
    delete_question,
    earliest_moment,
    may_backdate,
    record_question,
)
from ido.core.taxonomy import active_categories
from ido.core.timeutil import LOCAL_TZ, local_columns

from .conftest import form_fields


def wait_until(condition: Callable[[], object], what: str, seconds: float = 15, page=None):
    """Ask `condition` again until it holds (and return what it gave), or fail after `seconds`
    saying what did not happen. A browser test passes its `page`, so that Playwright goes on
    handling the page's events between tries."""
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        if page is not None:
            page.wait_for_timeout(50)  # the interval between polls of `condition`, not a wait
        else:
            time.sleep(0.05)  # the interval between polls of `condition`, not a wait
    return found


def committed(value):
    """Commit, as the request or command that called a service would, and pass the value on."""
    db.session.commit()
    return value


def desk_form(client) -> dict:
    """What the desk form submits when a volunteer only picks a topic (all defaults kept)."""
    response = client.get("/desk/")
    assert response.status_code == 200, response.status_code
    return form_fields(response.get_data(as_text=True), "/desk/")


def typed(moment) -> dict:
    """A moment as a volunteer types it into the desk's date and time fields."""
    return {"asked_date": [moment.strftime("%d-%m-%Y")], "asked_time": [moment.strftime("%H:%M")]}


def questions(include_deleted: bool = False) -> list[Question]:
    query = db.select(Question).order_by(Question.created_at)
    if not include_deleted:
        query = query.where(Question.deleted_at.is_(None))
    return list(db.session.scalars(query))


def audit(action: str | None = None) -> list[AuditEvent]:
    query = db.select(AuditEvent).where(AuditEvent.entity == "question").order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def branch(code: str) -> Branch:
    return db.session.scalar(db.select(Branch).where(Branch.code == code))


def user(email: str) -> User:
    return db.session.scalar(db.select(User).where(User.email == email))


def codes(items) -> list[str]:
    return sorted(item.code for item in items)


def store_question(
    branch_code,
    moment,
    topics,
    channel="balie",
    referrals=(),
    duration=10,
    note=None,
    agencies=(),
    help=(),
    outcome=0,
    time_known=True,
):
    """Record a question through the service, as the desk and the API do (`outcome`: the
    index among the active outcomes; `time_known=False`: a day typed in from paper)."""
    cats = active_categories()
    by_code = cats.by_code("agencies")
    data = QuestionData(
        branch=branch(branch_code),
        topics=[cats.by_code("topics")[t] for t in topics],
        channel=cats.by_code("channels")[channel],
        outcome=cats.outcomes[outcome],
        duration_minutes=duration,
        asked_at=moment,
        referrals=[by_code[r] for r in referrals],
        agencies=[by_code[a] for a in agencies],
        help=[cats.by_code("help")[h] for h in help],
        note=note,
        time_known=time_known,
    )
    volunteer = user("vol2@a.example")
    if may_backdate(volunteer) or moment is None or moment >= earliest_moment():
        question = record_question(data, volunteer)[0]
    else:  # before the desk's earliest day: as an operator's import would, for the volunteer
        question = record_question(data, None)[0]
        question.logged_by_id = volunteer.id
    db.session.commit()  # as the request that called the service would
    return question


def weekdays(first: date, last: date, days=(0, 1, 2, 3, 4)) -> list[date]:
    """The days from `first` to `last` that fall on these weekdays (0 = Monday)."""
    every = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in every if day.weekday() in days]


def log_on_days(code: str, days: Iterable[date], per_day: int = 1) -> None:
    """Questions at the branch at 11:00 on these days, written straight into the table (a
    history of months in milliseconds; without topics, which the rhythm does not read)."""
    channel = db.session.scalar(db.select(Channel.id).limit(1))
    outcome = db.session.scalar(db.select(Outcome.id).limit(1))
    branch_id, rows = branch(code).id, []
    for day in days:
        at = datetime.combine(day, clock(11), LOCAL_TZ)
        for _n in range(per_day):
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "branch_id": branch_id,
                    "asked_at": at,
                    **local_columns(at),
                    "channel_id": channel,
                    "outcome_id": outcome,
                    "duration_minutes": 10,
                    "created_at": at,
                    "updated_at": at,
                }
            )
    db.session.execute(insert(Question), rows)
    db.session.commit()


def store_counted_fixture(app):
    """Six questions around month ends, a DST change, several topics and one deleted."""
    with app.app_context():
        at = lambda *parts: datetime(*parts, tzinfo=UTC)  # noqa: E731
        store_question("a1", at(2026, 1, 31, 23, 30), ["digid_app"])  # 1 February, local
        store_question("a1", at(2026, 1, 31, 22, 59), ["toeslagen", "gemeente"])  # January
        store_question(
            "a1",
            at(2026, 3, 29, 0, 30),
            ["digid"],
            channel="telefoon",
            referrals=["uwv"],
            duration=45,
        )  # the night summer time starts
        store_question("a2", at(2026, 10, 31, 23, 0), ["zorg"])  # 1 November, local
        gone = store_question("a2", at(2026, 10, 31, 22, 30), ["zorg"])  # October
        delete_question(gone, user("coord@a.example"))
        db.session.commit()
        store_question("b1", at(2026, 2, 10, 10, 0), ["digid"], note="=HYPERLINK(1)")


def post_question(base_url: str, token: str, question_id: str, **fields) -> int:
    """POST a question to a running server over HTTP, as a desk does; returns the status.
    (http.client rather than urllib: the tests send thousands, and urllib's layers cost the
    client more processor time than the server's save.)"""
    import http.client
    import json
    from urllib.parse import urlsplit

    body = {"id": question_id, "branch": "a1", "topics": ["digid"], **fields}
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.request(
            "POST",
            f"{address.path}/api/v1/questions",
            json.dumps(body),
            {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()
