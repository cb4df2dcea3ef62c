"""The bulk of an import: questions with their links, and audit events, written a batch at a
time in one INSERT per table, as the question service writes them (whole link rows, the code
copies on the question row)."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from ido.core.db import db
from ido.core.models import LINKS, Agency, AuditEvent, Channel, Link, Outcome, Question
from ido.core.questions import insert_questions
from ido.core.timeutil import local_columns
from ido.core.transfer.files import TransferError
from ido.core.transfer.refs import ABOUT_A_PERSON, changes_in

if TYPE_CHECKING:
    from ido.core.transfer.importing import _Target

BATCH = 1000


class Batches:
    """Rows waiting for their INSERT; written when a batch is full and before anything else."""

    def __init__(self, target: "_Target") -> None:
        self.target = target
        self.questions: list[dict[str, Any]] = []
        self.links: list[dict[Link, list[int]]] = []  # each question's category ids
        self.events: list[dict[str, Any]] = []

    def question(self, record: dict[str, Any]) -> None:
        target = self.target
        try:
            question_id = uuid.UUID(record["id"])
        except ValueError:
            raise TransferError(f"{record['id']} is not a question id.") from None
        asked_at = moment(record["asked_at"])
        branch_id = target.branch_id(record["branch"])
        local = local_columns(asked_at)
        row = {
            "id": question_id,
            "branch_id": branch_id,
            "asked_at": asked_at,
            **local,
            "local_hour": record["local_hour"],
            "logged_by_id": target.people.get(record["logged_by"] or ""),
            "device_id": self._device(record["device"]),
            "channel_id": target.category_id(Channel, record["channel"]),
            "outcome_id": target.category_id(Outcome, record["outcome"]),
            "duration_minutes": record["duration_minutes"],
            "note": record["note"],
            "created_at": moment(record["created_at"]),
            "updated_at": moment(record["updated_at"]),
            "deleted_at": moment(record["deleted_at"]) if record["deleted_at"] else None,
        }
        chosen = {}
        for link in LINKS:
            codes = record[link.relation]
            row[link.column] = "|".join(sorted(codes))
            model = Agency if link.model is Agency else link.model
            chosen[link] = [target.category_id(model, code) for code in codes]
        self.questions.append(row)
        self.links.append(chosen)
        if len(self.questions) >= BATCH:
            self._write_questions()

    def audit_event(self, record: dict[str, Any]) -> None:
        if self.questions:
            self._write_questions()
        target = self.target
        actor = record["actor"]
        changes = changes_in(record["changes"], target.ids)
        user_id = target.people.get(actor or "")
        if actor and user_id is None:  # someone outside the library (an administrator)
            changes["by"] = actor
        self.events.append(
            {
                "at": moment(record["at"]),
                "user_id": user_id,
                "device_id": self._device(record["device"]),
                "library_id": target.library.id if record["scoped"] else None,
                "action": record["action"],
                "entity": record["entity"],
                "entity_id": self._entity_id(record["entity"], record["entity_id"]),
                "changes": changes,
            }
        )
        if len(self.events) >= BATCH:
            self._write_events()

    def flush(self) -> None:
        if self.questions:
            self._write_questions()
        if self.events:
            self._write_events()

    def _write_questions(self) -> None:
        ids = [row["id"] for row in self.questions]
        taken = db.session.scalars(select(Question.id).where(Question.id.in_(ids)).limit(1)).first()
        if taken is not None:
            raise TransferError(
                f"The question {taken} is in this instance already: this file (or one with "
                "the same questions) was imported before. Nothing was changed."
            )
        if len(set(ids)) != len(ids):
            raise TransferError("The file holds a question twice: it is damaged.")
        insert_questions(self.questions, self.links)
        self.questions.clear()
        self.links.clear()

    def _write_events(self) -> None:
        db.session.execute(insert(AuditEvent), self.events)
        self.events.clear()

    def _device(self, key: int | None) -> int | None:
        if key is None:
            return None
        if key not in self.target.devices:
            raise TransferError(f"The desk tablet {key} is not in the file.")
        return self.target.devices[key]

    def _entity_id(self, entity: str, ref: str) -> str:
        """This instance's id for what the event is about, where the file names it."""
        target = self.target
        if entity == "library" and ref == target.library.code:
            return str(target.library.id)
        found: int | None = None
        if entity == "branch":
            found = target.branches.get(ref)
        elif entity in ABOUT_A_PERSON:
            found = target.people.get(ref)
        elif entity == "device" and ref.isdecimal():
            found = target.devices.get(int(ref))
        elif entity in ("activity", "activity_session"):
            return target.activity_rows.key_id(entity, ref)
        return str(found) if found is not None else ref


def moment(text: str) -> datetime:
    """A moment as the file writes it (ISO 8601 with its offset); TransferError otherwise."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise TransferError(f"{text[:40]!r} is not a moment.") from None
