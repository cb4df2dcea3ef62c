"""Every question as a CSV line, streamed in pieces (a year at a regional host is a million
lines): codes, local times, notes only for who may read them."""

import typing
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    SQLColumnExpression,
    String,
    bindparam,
    cast,
    func,
    null,
    type_coerce,
)

from ido.core.db import db
from ido.core.models import Branch, Category, Channel, Outcome, Question
from ido.core.reporting.counts import (
    among,
    driver_chunks,
)
from ido.core.reporting.exports.cells import safe_cell
from ido.core.timeutil import LOCAL_TZ, months_between

# (rfc4180 header, excel-nl header) per column, in order; several codes are joined with "|".
RAW_COLUMNS = [
    ("id", "id"),
    ("branch_code", "vestiging_code"),
    ("asked_at", "moment"),
    ("local_date", "datum"),
    ("topics", "onderwerpen"),
    ("agencies", "instanties"),
    ("referrals", "doorverwijzingen"),
    ("help", "hulp"),
    ("channel", "kanaal"),
    ("duration_minutes", "duur_minuten"),
    ("outcome", "uitkomst"),
]
NOTE_COLUMN = ("note", "notitie")
RAW_PIECE = 2000  # rows fetched and lines streamed at a time


def _codes(model: type[Branch] | type[Category]) -> dict[int, str]:
    return dict(db.session.execute(db.select(model.id, model.code)).all())


def _raw_query(dialect: str, branch_ids: list[int], notes: bool) -> Select[*tuple[Any, ...]]:
    """A month's questions (the month is a parameter) in order of asking, as driver values."""
    if dialect == "postgresql":  # as SQLite gives them: dashed id text, "YYYY-MM-DD HH:MM:SS"
        qid: SQLColumnExpression[Any] = cast(Question.id, String)
        utc: SQLColumnExpression[Any] = func.to_char(
            func.timezone("UTC", Question.asked_at), "YYYY-MM-DD HH24:MI:SS"
        )
    else:  # the moment kept as microseconds since 1970 (CompactDateTime), as text
        qid = Question.id
        # whole seconds, cut off as PostgreSQL's to_char does (SQLite would round a real number)
        seconds = type_coerce(Question.asked_at, Integer) // 1_000_000
        utc = func.strftime("%Y-%m-%d %H:%M:%S", seconds, "unixepoch")
    return typing.cast(
        Select[*tuple[Any, ...]],
        db.select(
            qid,
            Question.branch_id,
            utc,
            Question.topic_codes,
            Question.agency_codes,
            Question.referral_codes,
            Question.help_codes,
            Question.channel_id,
            Question.duration_minutes,
            Question.outcome_id,
            Question.local_hour,
            Question.note if notes else null(),
        )
        .where(
            Question.deleted_at.is_(None),
            Question.local_month == bindparam("month"),
            among(Question.branch_id, branch_ids),
        )
        .order_by(Question.asked_at, Question.id),
    )


class _LocalHours(dict[str, tuple[str, str, str]]):
    """UTC hour ("YYYY-MM-DD HH") -> (local "YYYY-MM-DDTHH", "+01:00", local date), on demand.

    Europe/Amsterdam differs from UTC by whole hours, so a moment's local text is its local
    hour plus the UTC minutes and seconds: one time zone conversion per hour, not per row.
    """

    def __missing__(self, hour: str) -> tuple[str, str, str]:
        local = datetime.fromisoformat(f"{hour}:00:00+00:00").astimezone(LOCAL_TZ)
        if typing.cast(timedelta, local.utcoffset()) % timedelta(hours=1):
            raise ValueError(f"{LOCAL_TZ.key} is not a whole number of hours from UTC at {hour}")
        text = local.isoformat()
        self[hour] = found = (text[:13], text[19:], text[:10])
        return found


def _quoted(text: str, separator: str) -> str:
    """One CSV field of free text: neutralised, and quoted when it needs to be."""
    text = safe_cell(text)
    if any(c in text for c in (separator, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def raw_csv(
    first: date, last: date, branches: list[Branch], dialect: str, notes: bool = False
) -> Iterator[str]:
    """Every question of the period in the branches, a CSV line each, streamed month by month.

    A million questions must stream in seconds, so each month is one plain query (the question
    row holds copies of its link codes) and the lines are put together from driver values:
    codes, dates and numbers, none needing quotes. Questions come in order of asking; several
    codes in one field are joined with "|"; notes (free text) only when asked for.
    """
    s = ";" if dialect == "excel-nl" else ","
    header = [
        english if dialect == "rfc4180" else dutch
        for english, dutch in [*RAW_COLUMNS, *([NOTE_COLUMN] if notes else [])]
    ]
    yield ("\ufeff" if dialect == "excel-nl" else "") + s.join(header) + "\r\n"
    if not branches:
        return
    query = _raw_query(db.session.connection().dialect.name, [b.id for b in branches], notes)
    branch_codes, channels, outcomes = _codes(Branch), _codes(Channel), _codes(Outcome)
    hours = _LocalHours()
    for month in months_between(first, last):
        for chunk in driver_chunks(query, {"month": month}, RAW_PIECE):
            lines = []
            for (
                qid,
                branch,
                utc,
                topics,
                agencies,
                referrals,
                help_,
                channel,
                minutes,
                outcome,
                hour_known,
                note,
            ) in chunk:
                if isinstance(qid, bytes):  # SQLite keeps a UUID as 16 bytes
                    qid = qid.hex()
                    qid = f"{qid[:8]}-{qid[8:12]}-{qid[12:16]}-{qid[16:20]}-{qid[20:]}"
                local_hour, offset, day = hours[utc[:13]]
                # a question whose time is not known (from a paper sheet): the day alone
                moment = day if hour_known is None else f"{local_hour}{utc[13:19]}{offset}"
                line = (
                    f"{qid}{s}{branch_codes[branch]}{s}{moment}{s}"
                    f"{day}{s}{topics}{s}{agencies}{s}{referrals}{s}{help_}{s}"
                    f"{channels[channel]}{s}{minutes}{s}{outcomes[outcome]}"
                )
                lines.append(f"{line}{s}{_quoted(note or '', s)}" if notes else line)
            yield "\r\n".join(lines) + "\r\n"
