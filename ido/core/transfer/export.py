"""Writing one library to a file: its branches, local partners, its own contact details of
partners, desk choices, people (without passwords), tablets (without their secrets), questions
with their links, activities and their sessions, audit trail, and the national form's versions
that differ from the built-in default. Questions, sessions and audit events are read in
batches, in the order of their keys, and written as they are read."""

import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Row, and_, or_, select

from ido.core.db import db
from ido.core.models import (
    LINKS,
    Agency,
    AuditEvent,
    BranchCategory,
    Channel,
    DeskDevice,
    Library,
    NationalForm,
    Outcome,
    Question,
    Topic,
    User,
    utcnow,
)
from ido.core.reporting.national_form import default_mapping
from ido.core.transfer import refs
from ido.core.transfer.activities import activity_records, contact_records
from ido.core.transfer.files import TransferError, open_for_writing, write
from ido.core.transfer.schema import FORMAT, ORDER, VERSION

log = logging.getLogger(__name__)
BATCH = 2000


def export_library(code: str, path: Path) -> dict[str, int]:
    """Write the library with this code to a new file; returns how many records of each type."""
    _one_snapshot()
    library = db.session.scalar(select(Library).where(Library.code == code))
    if library is None:
        raise TransferError(f"No library with code {code} in this instance.")
    names = refs.Names.load(library)
    counts = dict.fromkeys(ORDER[1:-1], 0)
    handle = open_for_writing(path)
    try:
        with handle:
            for kind, record in _records(library, names):
                write(handle, kind, record)
                if kind != "header":
                    counts[kind] += 1
            write(handle, "end", {"counts": counts})
    except BaseException:
        path.unlink(missing_ok=True)  # never half a file under the name asked for
        raise
    log.info("library %s exported to %s: %s", code, path, counts)
    return counts


def _one_snapshot() -> None:
    """Read everything from one snapshot of the database, also while desks go on saving: a
    repeatable-read transaction on PostgreSQL, an explicit (reading) one on SQLite, whose driver
    otherwise runs each read on its own. Only at the start of the session's transaction."""
    if db.session().in_transaction():
        return
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    else:
        db.session.connection().exec_driver_sql("BEGIN")


def _records(library: Library, names: refs.Names) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "header", _header(library, names)
    for branch in library.branches:
        yield (
            "branch",
            {
                "code": branch.code,
                "name": branch.name,
                "municipality": branch.municipality,
                "in_library": branch.in_library,
                "active": branch.active,
                "convenant_years": branch.convenant_years,
            },
        )
    for partner in db.session.scalars(
        select(Agency).where(Agency.library_id == library.id).order_by(Agency.id)
    ):
        yield (
            "partner",
            {
                "code": partner.code,
                "name_nl": partner.name_nl,
                "name_en": partner.name_en,
                "kind": partner.kind,
                "level": partner.level,
                "position": partner.position,
                "active": partner.active,
            },
        )
    yield from contact_records(library.id, names)
    for choice in db.session.scalars(
        select(BranchCategory)
        .where(BranchCategory.branch_id.in_(names.branches))
        .order_by(BranchCategory.branch_id, BranchCategory.kind, BranchCategory.position)
    ):
        yield (
            "desk",
            {
                "branch": names.branches[choice.branch_id],
                "kind": choice.kind,
                "category": names.code(
                    Topic if choice.kind == "topic" else Agency, choice.category_id
                ),
                "position": choice.position,
            },
        )
    for person in db.session.scalars(
        select(User).where(User.library_id == library.id).order_by(User.id)
    ):
        yield (
            "person",
            {
                "email": person.email,
                "name": person.name,
                "role": person.role,
                "active": person.active,
                "created_at": _moment(person.created_at),
                "branches": sorted(b.code for b in person.branches),
            },
        )
    for device in db.session.scalars(
        select(DeskDevice).where(DeskDevice.branch_id.in_(names.branches)).order_by(DeskDevice.id)
    ):
        yield (
            "device",
            {
                "key": device.id,
                "branch": names.branches[device.branch_id],
                "name": device.name,
                "created_by": names.people.get(device.created_by_id or 0),
                "created_at": _moment(device.created_at),
                "enrolled_at": _moment(device.enrolled_at),
                "last_seen_at": _moment(device.last_seen_at),
                "revoked_at": _moment(device.revoked_at),
            },
        )
    yield from _questions(names)
    yield from activity_records(names)
    yield from _audit_events(library, names)
    default = default_mapping().as_json()
    for version in db.session.scalars(select(NationalForm).order_by(NationalForm.id)):
        if version.mapping != default:
            yield (
                "national_form",
                {
                    "valid_from": version.valid_from.isoformat(),
                    "saved_at": _moment(version.saved_at),
                    "mapping": version.mapping,
                },
            )


def _header(library: Library, names: refs.Names) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _moment(utcnow()),
        "library": {"code": library.code, "name": library.name, "active": library.active},
        "uses": refs.shared_categories_used(library, names),
    }


def _questions(names: refs.Names) -> Iterator[tuple[str, dict[str, Any]]]:
    table = Question.__table__
    last = None
    while True:
        query = select(table).where(table.c.branch_id.in_(names.branches))
        if last is not None:
            query = query.where(table.c.id > last)
        rows = db.session.execute(query.order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            return
        last = rows[-1].id
        links = _links([row.key for row in rows])
        for row in rows:
            yield "question", _question(row, names, links)


def _links(keys: list[int]) -> dict[tuple[str, int], list[str]]:
    """The codes each question links to, per link: {(relation, question key): [code, ...]}."""
    found: dict[tuple[str, int], list[str]] = {}
    for link in LINKS:
        codes = db.session.execute(
            select(link.table.c.question_key, link.model.code)
            .join(link.model, link.model.id == link.table.c[link.key])
            .where(link.table.c.question_key.in_(keys))
        )
        for key, code in codes:
            found.setdefault((link.relation, key), []).append(code)
    return found


def _question(
    row: Row[Any], names: refs.Names, links: dict[tuple[str, int], list[str]]
) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "branch": names.branches[row.branch_id],
        "asked_at": _moment(row.asked_at),
        "local_hour": row.local_hour,
        "logged_by": names.people.get(row.logged_by_id or 0),
        "device": row.device_id,
        "channel": names.code(Channel, row.channel_id),
        "outcome": names.code(Outcome, row.outcome_id),
        "duration_minutes": row.duration_minutes,
        "note": row.note,
        **{link.relation: sorted(links.get((link.relation, row.key), [])) for link in LINKS},
        "created_at": _moment(row.created_at),
        "updated_at": _moment(row.updated_at),
        "deleted_at": _moment(row.deleted_at),
    }


def _audit_events(library: Library, names: refs.Names) -> Iterator[tuple[str, dict[str, Any]]]:
    """The library's trail, and the event that created the library (which names no library)."""
    mine = or_(
        AuditEvent.library_id == library.id,
        and_(AuditEvent.entity == "library", AuditEvent.entity_id == str(library.id)),
    )
    table, last = AuditEvent.__table__, 0
    while True:
        events = db.session.execute(
            select(table).where(mine, table.c.id > last).order_by(table.c.id).limit(BATCH)
        ).all()
        if not events:
            return
        last = events[-1].id
        for event in events:
            yield (
                "audit",
                {
                    "at": _moment(event.at),
                    "actor": names.people.get(event.user_id or 0),
                    "device": event.device_id,
                    "scoped": event.library_id is not None,
                    "action": event.action,
                    "entity": event.entity,
                    "entity_id": names.entity_ref(event.entity, event.entity_id),
                    "changes": names.changes_out(event.changes or {}),
                },
            )


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
