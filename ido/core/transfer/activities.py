"""Activities with their sessions, and the library's own contact details of partners: written
to a file and read from one. An activity and a session are named by their key in the file
(their id where it was written); the import maps each key to the new row's id, so that the
audit trail's events about them point at the new rows. Shared contact details (an
administrator's, for every library) stay with the instance."""

from collections.abc import Iterator
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ido.core.db import db
from ido.core.exceptions import ParamError
from ido.core.models import Activity, ActivityKind, ActivitySession, Agency, AgencyContact, Topic
from ido.core.taxonomy.contacts import cleaned, may_edit
from ido.core.transfer import refs
from ido.core.transfer.files import TransferError
from ido.core.transfer.rows import moment

if TYPE_CHECKING:
    from ido.core.transfer.importing import _Target

BATCH = 1000
SESSION_FIELDS = ("rule_day", "day", "start_time", "end_time", "cancelled", "moved", "attendance")


def contact_records(library_id: int, names: refs.Names) -> Iterator[tuple[str, dict[str, Any]]]:
    """The details the library keeps of partners (its own and default ones), by partner code."""
    for row in db.session.scalars(
        select(AgencyContact)
        .where(AgencyContact.library_id == library_id)
        .order_by(AgencyContact.id)
    ):
        yield (
            "contact",
            {
                "partner": names.code(Agency, row.agency_id),
                **{name: getattr(row, name) for name in AgencyContact.FIELDS},
                "updated_at": row.updated_at.isoformat(),
            },
        )


def activity_records(names: refs.Names) -> Iterator[tuple[str, dict[str, Any]]]:
    """The activities of the library's branches, then their sessions (a batch at a time)."""
    branches = list(names.branches)
    for activity in db.session.scalars(
        select(Activity)
        .where(Activity.branch_id.in_(branches))
        .options(selectinload(Activity.topics))
        .order_by(Activity.id)
    ):
        yield (
            "activity",
            {
                "key": activity.id,
                "branch": names.branches[activity.branch_id],
                "kind": names.code(ActivityKind, activity.kind_id),
                "partner": names.code(Agency, activity.partner_id) if activity.partner_id else None,
                "title": activity.title,
                "form": activity.form,
                "convenant": activity.convenant,
                "repeat": activity.repeat,
                "first_day": activity.first_day.isoformat(),
                "until": _text(activity.until),
                "nth": activity.nth,
                "start_time": activity.start_time.isoformat(),
                "end_time": activity.end_time.isoformat(),
                "topics": sorted(topic.code for topic in activity.topics),
                "created_at": activity.created_at.isoformat(),
            },
        )
    table, last = ActivitySession.__table__, 0
    while True:
        rows = db.session.execute(
            select(table)
            .where(table.c.branch_id.in_(branches), table.c.id > last)
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        for row in rows:
            yield (
                "session",
                {
                    "key": row.id,
                    "activity": row.activity_id,
                    **{name: _text(getattr(row, name)) for name in SESSION_FIELDS},
                    "counted_at": _text(row.counted_at),
                },
            )


def _text(value: Any) -> Any:
    """A day, a time or a moment as the file writes it; anything else as it is."""
    return value.isoformat() if isinstance(value, date | time | datetime) else value


class ActivityRows:
    """The import's contact details, activities and sessions, and the ids their keys got."""

    def __init__(self, target: "_Target") -> None:
        self.target = target
        self.activities: dict[int, tuple[int, int]] = {}  # key: (id, branch id)
        self.sessions: dict[int, int] = {}  # key: id
        self.keys: set[int] = set()  # of the sessions read, written or waiting
        self.waiting: list[tuple[int, ActivitySession]] = []

    def contact(self, record: dict[str, Any]) -> None:
        target, code = self.target, record["partner"]
        agency = db.session.get(Agency, target.category_id(Agency, code))
        if agency is None or not may_edit(agency, target.library.id):
            raise TransferError(
                f"The file holds contact details of {code}, which only an administrator keeps."
            )
        try:
            values = cleaned(record)
        except ParamError as error:
            raise TransferError(
                f"The contact details of {code} cannot be stored here ({error.field})."
            ) from None
        db.session.add(
            AgencyContact(
                agency_id=agency.id,
                library_id=target.library.id,
                updated_at=moment(record["updated_at"]),
                **values,
            )
        )

    def activity(self, record: dict[str, Any]) -> None:
        target, key = self.target, record["key"]
        if key in self.activities:
            raise TransferError(f"The file holds activity {key} twice: it is damaged.")
        branch_id = target.branch_id(record["branch"])
        partner = record["partner"]
        activity = Activity(
            branch_id=branch_id,
            kind_id=target.category_id(ActivityKind, record["kind"]),
            partner_id=target.category_id(Agency, partner) if partner is not None else None,
            title=record["title"],
            form=record["form"],
            convenant=record["convenant"],
            repeat=record["repeat"],
            first_day=_day(record["first_day"]),
            until=_day(record["until"]) if record["until"] is not None else None,
            nth=record["nth"],
            start_time=_clock(record["start_time"]),
            end_time=_clock(record["end_time"]),
            created_at=moment(record["created_at"]),
            topics=[
                db.session.get(Topic, target.category_id(Topic, code)) for code in record["topics"]
            ],
        )
        db.session.add(activity)
        db.session.flush()
        self.activities[key] = (activity.id, branch_id)

    def session(self, record: dict[str, Any]) -> None:
        key = record["key"]
        if key in self.keys:
            raise TransferError(f"The file holds session {key} twice: it is damaged.")
        if record["activity"] not in self.activities:
            raise TransferError(f"The activity {record['activity']} is not in the file.")
        activity_id, branch_id = self.activities[record["activity"]]
        row = ActivitySession(
            activity_id=activity_id,
            branch_id=branch_id,
            rule_day=_day(record["rule_day"]),
            day=_day(record["day"]),
            start_time=_clock(record["start_time"]),
            end_time=_clock(record["end_time"]),
            cancelled=record["cancelled"],
            moved=record["moved"],
            attendance=record["attendance"],
            counted_at=moment(record["counted_at"]) if record["counted_at"] else None,
        )
        self.keys.add(key)
        self.waiting.append((key, row))
        if len(self.waiting) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the sessions read so far, and note their new ids."""
        if not self.waiting:
            return
        db.session.add_all(row for _key, row in self.waiting)
        db.session.flush()
        self.sessions.update((key, row.id) for key, row in self.waiting)
        self.waiting.clear()

    def key_id(self, entity: str, ref: str) -> str:
        """An audit subject's id here; one that was gone before the export is marked so."""
        if not ref.isdecimal():
            return ref
        found = (
            self.activities.get(int(ref), (None, 0))[0]
            if entity == "activity"
            else self.sessions.get(int(ref))
        )
        return str(found) if found is not None else f"gone:{ref}"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise TransferError(f"{text[:20]!r} is not a day.") from None


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise TransferError(f"{text[:20]!r} is not a time of day.") from None
