"""The dashboard's figures read in one sweep, and counts of every branch read without a filter,
agree with the counts per dimension and per branch; ids set by hand, and a category or a
branch made while the counts are read (by another request), are counted right."""

import threading
from collections import Counter
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from ido.core.db import db
from ido.core.models import Branch, Channel, Outcome, Question
from ido.core.reporting.counts import key_totals, monthly_counts, question_facets
from ido.core.reporting.counts.rows import every_branch
from ido.core.reporting.exports.workbook import counts_workbook
from ido.core.reporting.figures import dashboard
from ido.core.reporting.params import CountParams

from .helpers import branch, store_question, user

YEAR = (date(2026, 1, 1), date(2026, 12, 1))


def _codes(totals: dict) -> dict[str, int]:
    return {key.code: count for key, count in totals.items()}


@pytest.mark.dialect  # the grouping and the filter are SQL of each database
@pytest.mark.parametrize("codes", [("a1", "a2", "b1"), ("a1", "a2"), ("a1",)])
def test_channels_outcomes_weekdays_and_hours_agree_with_the_counts(counted, codes):
    with counted.app_context():
        branches = [branch(code) for code in codes]
        facets = question_facets(*YEAR, branches)
        for by, found in (("channel", facets.channels), ("outcome", facets.outcomes)):
            assert _codes(found) == _codes(key_totals(*YEAR, by, branches))
        visitors = {"a1": 3, "a2": 1, "b1": 1}  # the deleted one of a2 left out
        assert sum(facets.hours.values()) == sum(visitors[code] for code in codes)
        # 29 March 2026, 00:30 UTC is 01:30 on a Sunday in Amsterdam (summer time began later)
        assert facets.hours[6, 1] == 1
        assert _codes(facets.channels)["telefoon"] == 1


def _counted_one_by_one() -> tuple[Counter, Counter, Counter]:
    """Channels, outcomes and (weekday, hour) of the kept questions, read question by question."""
    channels, outcomes, hours = Counter(), Counter(), Counter()
    for question in db.session.scalars(db.select(Question).where(Question.deleted_at.is_(None))):
        channels[question.channel.code] += 1
        outcomes[question.outcome.code] += 1
        hours[question.local_weekday, question.local_hour] += 1
    return channels, outcomes, hours


@pytest.mark.dialect  # the four packed into one number are decoded again: SQL of each database
def test_every_channel_outcome_weekday_and_hour_is_counted_apart(counted):
    with counted.app_context():
        at = lambda *parts: datetime(*parts, tzinfo=UTC)  # noqa: E731
        store_question("a1", at(2026, 5, 4, 8, 0), ["digid"], outcome=1)  # Monday 10:00
        store_question("a1", at(2026, 5, 4, 8, 0), ["digid"], channel="telefoon", outcome=2)
        store_question("a2", at(2026, 5, 9, 10, 0), ["zorg"], time_known=False)  # Saturday
        store_question("a2", at(2026, 11, 26, 22, 59), ["zorg"])  # Thursday 23:59
        facets = question_facets(*YEAR, [branch(code) for code in ("a1", "a2", "b1")])
        channels, outcomes, hours = _counted_one_by_one()
        assert (_codes(facets.channels), _codes(facets.outcomes)) == (channels, outcomes)
        assert facets.hours == hours
        assert facets.hours[5, None] == 1 and facets.hours[3, 23] == 1


@pytest.mark.dialect
@pytest.mark.parametrize(
    "channel_id, outcome_id",
    [
        (1_000_000, 2_000_000),  # too large to pack: four columns
        (None, -5),  # a negative outcome would decode wrongly: four columns
        (None, 2**31 - 1),  # the largest id PostgreSQL holds: packed, without overflow
    ],
)
def test_ids_set_by_hand_are_counted_right(counted, channel_id, outcome_id):
    """Ids set by hand (an import, say) that would not pack into one 64-bit number are
    grouped in four columns; those that do are packed. The same result either way."""
    with counted.app_context():
        channel = "balie"
        if channel_id is not None:
            db.session.add(Channel(id=channel_id, code="chat", name_nl="Chat", name_en="Chat"))
            channel = "chat"
        db.session.add(
            Outcome(id=outcome_id, code="later", name_nl="Later", name_en="Later", position=99)
        )
        db.session.commit()
        at = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)  # a Tuesday, 14:00
        store_question("a1", at, ["digid"], channel=channel, outcome=-1)
        facets = question_facets(*YEAR, [branch(code) for code in ("a1", "a2", "b1")])
        channels, outcomes, hours = _counted_one_by_one()
        assert (_codes(facets.channels), _codes(facets.outcomes)) == (channels, outcomes)
        assert facets.hours == hours
        assert _codes(facets.outcomes)["later"] == 1


def _another_request_during(app, marker: str):
    """While the test reads counts: just before the first statement holding `marker` runs,
    another request (a thread of its own) commits a new outcome and a question with it."""
    added = []

    def another_request() -> None:
        with app.app_context():
            db.session.add(Outcome(code="later", name_nl="Later", name_en="Later", position=99))
            db.session.commit()
            store_question("a2", datetime(2026, 11, 3, 9, 0, tzinfo=UTC), ["zorg"], outcome=-1)

    def before_a_statement(_conn, _cursor, statement, *_rest) -> None:
        if marker in statement and not added:
            added.append(True)
            worker = threading.Thread(target=another_request)
            worker.start()
            worker.join()

    return added, before_a_statement


@pytest.mark.dialect
@pytest.mark.parametrize("counts", ["facets", "key_totals", "monthly_counts"])
def test_a_category_and_its_question_added_while_counting_are_counted(counted, counts):
    """Another request commits a new outcome and a question with it while the counts are
    read (the dashboard's facets, the totals per outcome, the monthly counts, month by month):
    they count it by its name. The lists are read after the counts, or again when a count
    names a category they lack."""
    marker = {
        "facets": "local_weekday",
        "key_totals": "outcome_id",
        "monthly_counts": "ORDER BY question.branch_id",
    }
    added, hook = _another_request_during(counted, marker[counts])
    with counted.app_context():
        branches = [branch(code) for code in ("a1", "a2", "b1")]
        event.listen(db.engine, "before_cursor_execute", hook)
        try:
            if counts == "facets":
                found = _codes(question_facets(*YEAR, branches).outcomes)
            elif counts == "key_totals":
                found = _codes(key_totals(*YEAR, "outcome", branches))
            else:
                found = Counter()
                for row in monthly_counts(*YEAR, "outcome", branches):
                    found[row.key.code] += row.count
        finally:
            event.remove(db.engine, "before_cursor_execute", hook)
        assert added
        assert found["later"] == 1
        assert found == _counted_one_by_one()[1]


@pytest.mark.dialect
@pytest.mark.parametrize("report", ["dashboard", "workbook", "monthly_counts"])
def test_a_branch_made_and_used_while_every_branch_is_counted_is_left_out(counted, report):
    """Every branch is counted without a filter: a branch another request makes (and logs a
    question at) after the list of branches was read is not among those asked for. The
    report leaves it out instead of failing on it."""
    app = counted
    added = []

    def another_request() -> None:
        with app.app_context():
            library_id = branch("a1").library_id
            made = Branch(code="a3", name="Nieuw", library_id=library_id, municipality="Utrecht")
            db.session.add(made)
            volunteer = user("vol2@a.example")
            volunteer.branches.append(made)
            db.session.commit()
            store_question("a3", datetime(2026, 11, 3, 9, 0, tzinfo=UTC), ["zorg"])

    def before_a_statement(_conn, _cursor, statement, *_rest) -> None:
        if "count(*)" in statement and "question" in statement and not added:
            added.append(True)
            worker = threading.Thread(target=another_request)
            worker.start()
            worker.join()

    with app.app_context():
        everything = [branch(code) for code in ("a1", "a2", "b1")]
        event.listen(db.engine, "before_cursor_execute", before_a_statement)
        try:
            if report == "dashboard":
                figures = dashboard(CountParams(*YEAR, "total", everything))
                codes = {b.name: b.code for b in everything} | {"Nieuw": "a3"}
                shown = {codes[name] for name, _visitors in figures["branches"].items}
            elif report == "workbook":
                sheets = load_workbook(BytesIO(counts_workbook(*YEAR, everything)))
                shown = {row[2] for row in sheets["Totaal"].iter_rows(min_row=2, values_only=True)}
            else:
                shown = {row.branch.code for row in monthly_counts(*YEAR, "total", everything)}
        finally:
            event.remove(db.engine, "before_cursor_execute", before_a_statement)
        assert added
        assert "a3" not in shown and {"a1", "a2", "b1"} <= shown


@pytest.mark.dialect
def test_every_branch_is_counted_without_a_filter_and_adds_up_its_branches(counted):
    with counted.app_context():
        everything = [branch(code) for code in ("a1", "a2", "b1")]
        assert every_branch([b.id for b in everything])
        assert not every_branch([b.id for b in everything[:2]])
        assert not every_branch([])
        for by in ("topic", "agency", "referral", "help", "channel", "outcome"):
            whole = _codes(key_totals(*YEAR, by, everything))
            summed: dict[str, int] = {}
            for one in everything:
                for code, count in _codes(key_totals(*YEAR, by, [one])).items():
                    summed[code] = summed.get(code, 0) + count
            assert whole == summed, by
