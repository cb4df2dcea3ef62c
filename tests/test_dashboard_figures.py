"""The dashboard's figures read in one sweep, and counts of every branch read without a filter,
agree with the counts per dimension and per branch."""

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from ido.core.db import db
from ido.core.models import Channel, Outcome, Question
from ido.core.reporting.counts import key_totals, question_facets
from ido.core.reporting.counts.rows import every_branch

from .helpers import branch, store_question

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
def test_ids_too_large_to_pack_are_counted_in_four_columns(counted):
    """Ids set by hand (an import, say) so large that the packed number would not fit 64
    bits: the four are grouped as they are, with the same result."""
    with counted.app_context():
        db.session.add(Channel(id=1_000_000, code="chat", name_nl="Chat", name_en="Chat"))
        big = Outcome(id=2_000_000, code="later", name_nl="Later", name_en="Later", position=99)
        db.session.add(big)
        db.session.commit()
        at = datetime(2026, 6, 2, 12, 0, tzinfo=UTC)  # a Tuesday, 14:00
        store_question("a1", at, ["digid"], channel="chat", outcome=-1)
        facets = question_facets(*YEAR, [branch(code) for code in ("a1", "a2", "b1")])
        channels, outcomes, hours = _counted_one_by_one()
        assert (_codes(facets.channels), _codes(facets.outcomes)) == (channels, outcomes)
        assert facets.hours == hours
        assert _codes(facets.channels)["chat"] == _codes(facets.outcomes)["later"] == 1


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
