"""A branch that goes quiet: from its own rhythm, whether it has logged nothing for longer than
it would by chance, on the days it is open; and the notice a coordinator may dismiss.

The rhythm is read from the 12 weeks up to the branch's last question (not up to today, so a
long silence does not water down the rhythm it breaks). A weekday is one of its *opening days*
when it logged something on at least a quarter of those weekdays (and on two at least); for
each opening day, the chance that it passes without a question is the share of such days that
did, smoothed (one day more with and one without, so that a branch that never missed a Tuesday
is not taken to never miss one). The branch is quiet when the run of opening days since its last
question, today not counted, would be that long by chance less than once in a hundred, and is
three opening days at least. A branch with less than four weeks between its first and last
question has no rhythm yet, and one that logged nothing in a year is left to deactivate."""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from ido.core.activities.uncounted import uncounted_sessions
from ido.core.audit import Actor, audit
from ido.core.db import db
from ido.core.exceptions import ParamError
from ido.core.models import ActivitySession, Branch, Library, Question

HISTORY_DAYS = 84  # the rhythm: the 12 weeks up to the last question
NEW_DAYS = 28  # with less history than this a branch has no rhythm yet
LOOK_BACK_DAYS = 366  # quiet for more than a year: no notice, deactivate the branch
OPEN_SHARE = 0.25  # an opening day: a weekday with a question on a quarter of them at least
OPEN_MINIMUM = 2  # ... and on two of them at least
MIN_SILENT_DAYS = 3  # a notice after three opening days without a question at the earliest
CHANCE = 0.01  # ... and when so long a silence would come by chance less than once in 100
# How far the one grouped query of days for every branch reaches back: the 12 weeks of a
# branch quiet for up to eight weeks (a summer's closing); the branches it does not settle are
# read on their own (a year of their questions, twice: with four weeks, when many branches had
# been quiet for five, that took the dashboard of 700 branches 0.2 s longer).
RECENT_DAYS = HISTORY_DAYS + 2 * NEW_DAYS
# Quiet branches a page lists at first, the longest silences first; a link shows them all (a
# region's holiday can quieten a hundred branches of a national host at once).
SHOWN = 20


@dataclass(frozen=True)
class Rhythm:
    """How a branch logs: per opening day (0 = Monday) the chance it passes without a
    question, and its questions (visitors logged) per week."""

    quiet_chance: Mapping[int, float]
    per_week: float


@dataclass(frozen=True)
class QuietBranch:
    """A branch that went quiet: since when, how many opening days, and how unusual."""

    branch: Branch
    last_day: date
    silent_days: int
    per_week: float
    chance: float
    dismissed: bool


@dataclass(frozen=True)
class Attention:
    """What the coordinator's landing page asks attention for."""

    quiet: list[QuietBranch]
    uncounted: list[ActivitySession]  # the most recent 20
    uncounted_total: int

    @property
    def shown(self) -> list[QuietBranch]:
        return [notice for notice in self.quiet if not notice.dismissed]

    @property
    def dismissed(self) -> int:
        return len(self.quiet) - len(self.shown)


def weekdays_between(first: date, last: date) -> dict[int, int]:
    """How many Mondays, Tuesdays, ... (0 = Monday) the days from `first` to `last` hold."""
    weeks, rest = divmod((last - first).days + 1, 7)
    return {weekday: weeks + ((weekday - first.weekday()) % 7 < rest) for weekday in range(7)}


def rhythm(day_counts: Mapping[date, int], first: date, last: date) -> Rhythm | None:
    """A branch's rhythm from its questions per day over its history up to its last question
    (`first` its first day, `last` its last question's day); None without enough history."""
    if (last - first).days + 1 < NEW_DAYS:
        return None
    start = max(first, last - timedelta(days=HISTORY_DAYS - 1))
    seen = weekdays_between(start, last)
    logged = dict.fromkeys(range(7), 0)  # on how many of them a question came
    total = 0
    for day, count in day_counts.items():
        if start <= day <= last and count > 0:
            logged[day.weekday()] += 1
            total += count
    quiet_chance = {
        weekday: (seen[weekday] - logged[weekday] + 1) / (seen[weekday] + 2)
        for weekday in range(7)
        if logged[weekday] >= max(OPEN_MINIMUM, OPEN_SHARE * seen[weekday])
    }
    if not quiet_chance:
        return None  # no weekday it keeps to: nothing to go by
    return Rhythm(quiet_chance, total * 7 / ((last - start).days + 1))


def silence(found: Rhythm, last_day: date, today: date) -> tuple[int, float]:
    """The opening days since the last question (today not counted, as it is not over), and
    the chance that as many pass without a question at the branch's rhythm."""
    if (today - last_day).days < 2:
        return 0, 1.0
    passed = weekdays_between(last_day + timedelta(days=1), today - timedelta(days=1))
    days, chance = 0, 1.0
    for weekday, quiet_chance in found.quiet_chance.items():
        days += passed[weekday]
        chance *= quiet_chance ** passed[weekday]
    return days, chance


def is_quiet(silent_days: int, chance: float) -> bool:
    """The rule: three opening days at least, and a silence this long less than once in 100."""
    return silent_days >= MIN_SILENT_DAYS and chance < CHANCE


def _first_and_last(branch_ids: Sequence[int], today: date) -> dict[int, tuple[date, date]]:
    """Per branch with a question in the last year: the days of its first and last one (a
    year of their questions read: only for the few branches the last weeks do not settle)."""
    rows = db.session.execute(
        db.select(
            Question.branch_id, db.func.min(Question.local_date), db.func.max(Question.local_date)
        )
        .where(
            Question.branch_id.in_(branch_ids),
            Question.deleted_at.is_(None),
            Question.local_date.between(today - timedelta(days=LOOK_BACK_DAYS), today),
        )
        .group_by(Question.branch_id)
    )
    return {branch_id: (first, last) for branch_id, first, last in rows}


def _day_counts(branch_ids: Sequence[int], first: date, last: date) -> dict[int, dict[date, int]]:
    """Questions per branch and day from `first` to `last`: one grouped query."""
    counts: dict[int, dict[date, int]] = defaultdict(dict)
    if not branch_ids:
        return counts
    rows = db.session.execute(
        db.select(Question.branch_id, Question.local_date, db.func.count())
        .where(
            Question.branch_id.in_(branch_ids),
            Question.deleted_at.is_(None),
            Question.local_date.between(first, last),
        )
        .group_by(Question.branch_id, Question.local_date)
    )
    for branch_id, day, count in rows:
        counts[branch_id][day] = count
    return counts


def _histories(
    branch_ids: Sequence[int], today: date
) -> tuple[dict[int, tuple[date, date]], dict[int, dict[date, int]]]:
    """Per branch: the days of its first and last question (in the last year), and its
    questions per day over its history. One grouped query over the last 16 weeks settles
    every branch that logged across the whole 12 weeks before its last question in them (most
    of them); the others (new, quiet for weeks, or logging seldom) are looked up further
    back, in two queries for them alone."""
    recent_start = today - timedelta(days=RECENT_DAYS)
    counts = _day_counts(branch_ids, recent_start, today)
    spans, unsure = {}, []
    for branch_id in branch_ids:
        days = counts.get(branch_id)
        if days and min(days) <= max(days) - timedelta(days=HISTORY_DAYS - 1):
            spans[branch_id] = (min(days), max(days))
        else:
            unsure.append(branch_id)
    if unsure:
        found = _first_and_last(unsure, today)
        spans.update(found)
        starts = {
            branch_id: max(first, last - timedelta(days=HISTORY_DAYS - 1))
            for branch_id, (first, last) in found.items()
        }
        older = [branch_id for branch_id, start in starts.items() if start < recent_start]
        if older:
            last = max(found[branch_id][1] for branch_id in older)
            counts.update(_day_counts(older, min(starts[b] for b in older), last))
    return spans, counts


def quiet_branches(branches: Sequence[Branch], today: date) -> list[QuietBranch]:
    """The active branches among these (of active libraries) that went quiet by their own
    rhythm, dismissed ones included (marked), the longest silence first."""
    closed = set(db.session.scalars(db.select(Library.id).where(Library.active.is_(False))))
    watched = {b.id: b for b in branches if b.active and b.library_id not in closed}
    spans, history = _histories(list(watched), today)
    found = []
    for branch_id, (first, last) in spans.items():
        branch_rhythm = rhythm(history.get(branch_id, {}), first, last)
        if branch_rhythm is None:
            continue
        days, chance = silence(branch_rhythm, last, today)
        if is_quiet(days, chance):
            branch = watched[branch_id]
            dismissed = (branch.quiet_dismissed_through or date.min) >= last
            notice = QuietBranch(branch, last, days, branch_rhythm.per_week, chance, dismissed)
            found.append(notice)
    return sorted(found, key=lambda n: (-n.silent_days, n.branch.name))


def attention(branches: Sequence[Branch], now: datetime) -> Attention:
    """The quiet branches among these and their sessions that ended without a count (`now`
    in local time)."""
    return Attention(
        quiet_branches(branches, now.date()), *uncounted_sessions([b.id for b in branches], now)
    )


def dismiss_quiet(branch: Branch, actor: Actor | None, today: date) -> QuietBranch:
    """Hide the notice that this branch went quiet until a question of a later day arrives
    (audited); ParamError (409) when the branch is not quiet (any more)."""
    found = quiet_branches([branch], today)
    if not found:
        raise ParamError(
            "branch",
            "not_quiet",
            _("%(branch)s has logged lately: there is no notice to dismiss.", branch=branch.name),
            409,
        )
    notice = found[0]
    if branch.quiet_dismissed_through != notice.last_day:
        before = branch.quiet_dismissed_through
        branch.quiet_dismissed_through = notice.last_day
        changes = {
            "quiet_dismissed_through": [
                before.isoformat() if before else None,
                notice.last_day.isoformat(),
            ]
        }
        audit(actor, "update", "branch", branch.id, branch.library_id, changes)
        db.session.flush()
    return notice
