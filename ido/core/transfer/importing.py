"""Reading a library file into this instance, in the caller's one transaction: every record is
checked as it is read, and the first one that cannot be taken in (a code or an e-mail address
in use, an unknown category, a question that is here already, a damaged line) raises a
TransferError; the caller then rolls everything back."""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ido.core.audit import audit
from ido.core.checks import NEW_CODE_PATTERN, PARTNER_SEPARATOR, partner_prefix
from ido.core.db import db
from ido.core.models import (
    Agency,
    Branch,
    BranchCategory,
    BranchConvenantYear,
    DeskDevice,
    Library,
    NationalForm,
    User,
    utcnow,
)
from ido.core.taxonomy import bump_taxonomy
from ido.core.transfer.activities import ActivityRows
from ido.core.transfer.files import TransferError, records
from ido.core.transfer.refs import KINDS
from ido.core.transfer.rows import Batches, moment
from ido.core.transfer.schema import OPTIONAL, ORDER

log = logging.getLogger(__name__)


@dataclass
class Imported:
    """What an import added, and what it left to the operator."""

    library: str
    counts: dict[str, int]
    people_without_password: int = 0
    national_form_left: int = 0  # versions in the file that were not added (see the option)
    national_form_added: int = 0
    notes: list[str] = field(default_factory=list)


def import_library(path: Path, with_national_form: bool = False) -> Imported:
    """Add the library in the file, flushed, not committed; TransferError when it cannot be."""
    stream = records(path)
    target = _Target.start(next(stream))
    try:
        for record in stream:
            kind = record.pop("type")
            if kind == "end":  # the stream goes on once more: refused if the file does
                target.finish(record["counts"])
                continue
            target.counts[kind] += 1
            getattr(target, kind)(record, with_national_form)
    except IntegrityError:  # the values stay out of the message: a note may be among them
        raise TransferError(
            "The database refused a record of the file (something in it twice, or in use "
            "here already). Nothing was changed."
        ) from None
    return target.result


def _maybe(text: str | None) -> datetime | None:
    return moment(text) if text is not None else None


class _Target:
    """The instance as the import fills it: what it has made so far, by the file's names."""

    def __init__(self, library: Library, ids: dict[type, dict[str, int]]) -> None:
        self.library = library
        self.ids = ids  # per category model, code: id (shared ones, then the file's partners)
        self.branches: dict[str, int] = {}
        self.people: dict[str, int] = {}
        self.devices: dict[int, int] = {}
        self.counts = dict.fromkeys(ORDER[1:-1], 0)
        self.result = Imported(library.code, self.counts)
        self.batches = Batches(self)
        self.activity_rows = ActivityRows(self)

    @classmethod
    def start(cls, header: dict[str, Any]) -> "_Target":
        """The library's row, once its code is free and every shared category it uses is here."""
        code = header["library"]["code"]
        if not NEW_CODE_PATTERN.match(code):
            raise TransferError(f"The library code {code} cannot be used.")
        if db.session.scalar(select(Library.id).where(Library.code == code)):
            raise TransferError(
                f"A library with code {code} exists in this instance already "
                "(was this file imported before?). Nothing was changed."
            )
        ids = {
            model: {
                item.code: item.id
                for item in db.session.execute(
                    select(model.id, model.code, *([model.library_id] if model is Agency else []))
                )
                if model is not Agency or item.library_id is None  # never another's partner
            }
            for model in KINDS.values()
        }
        missing = [
            f"{kind} {code}"
            for kind, codes in header["uses"].items()
            for code in codes
            if code not in ids[KINDS[kind]]
        ]
        if missing:
            raise TransferError(
                f"This instance has no {', '.join(missing[:10])}"
                f"{f' (and {len(missing) - 10} more)' if len(missing) > 10 else ''}: "
                "add them first with the same codes (/admin/categories/<kind>), then import again."
            )
        library = Library(
            code=code, name=header["library"]["name"], active=header["library"]["active"]
        )
        db.session.add(library)
        db.session.flush()
        return cls(library, ids)

    def branch(self, record: dict[str, Any], _option: bool) -> None:
        code = record["code"]
        if not NEW_CODE_PATTERN.match(code):
            raise TransferError(f"The branch code {code} cannot be used.")
        if db.session.scalar(select(Branch.id).where(Branch.code == code)):
            raise TransferError(f"A branch with code {code} exists in this instance already.")
        years = record.pop("convenant_years", [])  # a file written before them has none
        branch = Branch(library_id=self.library.id, **{k: v for k, v in record.items()})
        branch.convenant_participation = [BranchConvenantYear(year=year) for year in years]
        db.session.add(branch)
        db.session.flush()
        self.branches[code] = branch.id

    def partner(self, record: dict[str, Any], _option: bool) -> None:
        code = record["code"]
        if not code.startswith(partner_prefix(self.library.code) + PARTNER_SEPARATOR):
            raise TransferError(
                f"The partner code {code} is not one of library {self.library.code}."
            )
        if db.session.scalar(select(Agency.id).where(Agency.code == code)):
            raise TransferError(f"A category with code {code} exists in this instance already.")
        partner = Agency(library_id=self.library.id, **record)
        db.session.add(partner)
        db.session.flush()
        self.ids[Agency][code] = partner.id

    def contact(self, record: dict[str, Any], _option: bool) -> None:
        self.activity_rows.contact(record)

    def desk(self, record: dict[str, Any], _option: bool) -> None:
        model = KINDS["topic" if record["kind"] == "topic" else "agency"]
        db.session.add(
            BranchCategory(
                branch_id=self.branch_id(record["branch"]),
                kind=record["kind"],
                category_id=self.category_id(model, record["category"]),
                position=record["position"],
            )
        )

    def person(self, record: dict[str, Any], _option: bool) -> None:
        email = record["email"].strip().lower()
        if db.session.scalar(select(User.id).where(User.email == email)):
            raise TransferError(
                f"The e-mail address {email} belongs to someone in this instance already "
                "(of another library, or an administrator)."
            )
        person = User(
            email=email,
            name=record["name"],
            role=record["role"],
            library_id=self.library.id,
            active=record["active"],
            created_at=moment(record["created_at"]),
            password_hash="!" + secrets.token_hex(),  # no password: a link sets one
            branches=[db.session.get(Branch, self.branch_id(code)) for code in record["branches"]],
        )
        db.session.add(person)
        db.session.flush()
        self.people[email] = person.id
        self.result.people_without_password += 1

    def device(self, record: dict[str, Any], _option: bool) -> None:
        """A tablet comes as a revoked one (no code, no secret): it enrols again, and what it
        logged still says which tablet it was."""
        created = moment(record["created_at"])
        device = DeskDevice(
            branch_id=self.branch_id(record["branch"]),
            name=record["name"],
            created_by_id=self.people.get(record["created_by"] or ""),
            created_at=created,
            enrolled_at=_maybe(record["enrolled_at"]),
            last_seen_at=_maybe(record["last_seen_at"]),
            revoked_at=_maybe(record["revoked_at"]) or max(utcnow(), created),
        )
        db.session.add(device)
        db.session.flush()
        self.devices[record["key"]] = device.id

    def question(self, record: dict[str, Any], _option: bool) -> None:
        self.batches.question(record)

    def activity(self, record: dict[str, Any], _option: bool) -> None:
        self.activity_rows.activity(record)

    def session(self, record: dict[str, Any], _option: bool) -> None:
        self.activity_rows.session(record)

    def audit(self, record: dict[str, Any], _option: bool) -> None:
        self.activity_rows.flush()  # the trail names sessions by their new ids
        self.batches.audit_event(record)

    def national_form(self, record: dict[str, Any], with_national_form: bool) -> None:
        """The instance's mapping serves every library on it: added only when asked for."""
        self.activity_rows.flush()
        self.batches.flush()
        if not with_national_form:
            self.result.national_form_left += 1
            return
        valid_from = date.fromisoformat(record["valid_from"])
        if valid_from.day != 1:
            raise TransferError(
                f"A national form version starts on a month's first day, not {valid_from}."
            )
        db.session.add(
            NationalForm(
                valid_from=valid_from,
                mapping=record["mapping"],
                saved_at=moment(record["saved_at"]),
            )
        )
        self.result.national_form_added += 1

    def finish(self, counts: dict[str, int]) -> None:
        """Check that every record the end counts was read, and note the import in the trail."""
        self.activity_rows.flush()
        self.batches.flush()
        counts = {**dict.fromkeys(OPTIONAL, 0), **counts}  # a file written before them
        if counts != self.counts:
            raise TransferError(
                f"The file's end record counts {counts}, but it holds {self.counts}: it is damaged."
            )
        bump_taxonomy(db.session)  # new partners and desk choices reach every worker
        audit(None, "import", "library", self.library.id, self.library.id, dict(self.counts))
        db.session.flush()
        log.info("library %s imported: %s", self.library.code, self.counts)

    def branch_id(self, code: str) -> int:
        if code not in self.branches:
            raise TransferError(f"The branch {code} is not in the file.")
        return self.branches[code]

    def category_id(self, model: type, code: str) -> int:
        found = self.ids[model].get(code)
        if found is None:
            kind = next(kind for kind, item in KINDS.items() if item is model)
            raise TransferError(
                f"This instance has no {kind} {code}: add it first (/admin/categories/{kind}), "
                "then import again. Nothing was changed."
            )
        return found
