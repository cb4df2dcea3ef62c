"""Desk tablets: enrolled for one branch with a one-time code, revocable at any moment."""

import logging
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import joinedload

from ido.core.audit import Actor, audit
from ido.core.db import db
from ido.core.models import Branch, DeskDevice, utcnow
from ido.core.organisation.tokens import digest, record_use

log = logging.getLogger(__name__)

COOKIE = "ido_desk"
CODE_HOURS = 24
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # nothing to mistake: no 0/O, 1/I


def normalise_code(code: str) -> str:
    return "".join(c for c in code.upper() if c in CODE_ALPHABET)


def enrol_device(branch: Branch, name: str, actor: Actor | None) -> tuple[DeskDevice, str]:
    """A new device for the branch and its one-time enrolment code (shown once)."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    device = DeskDevice(
        branch=branch,
        name=name.strip()[:100] or branch.name,
        code_hash=digest(code),
        created_by_id=actor.id if actor else None,
        code_expires_at=utcnow() + timedelta(hours=CODE_HOURS),
    )
    db.session.add(device)
    db.session.flush()
    _audit(actor, "create", device, {"branch": branch.code, "name": device.name})
    log.info("tablet %s enrolled for branch %s", device.id, branch.code)
    return device, f"{code[:4]}-{code[4:]}"


def activate(code: str) -> tuple[DeskDevice, str] | None:
    """Use an enrolment code: the tablet gets its secret; the code no longer works."""
    device: DeskDevice | None = db.session.scalar(
        db.select(DeskDevice).where(DeskDevice.code_hash == digest(normalise_code(code)))
    )
    if (
        device is None
        or device.revoked_at is not None
        or device.code_expires_at is None
        or device.code_expires_at < utcnow()
    ):
        return None
    secret = secrets.token_urlsafe(32)
    device.secret_hash, device.code_hash, device.code_expires_at = digest(secret), None, None
    device.enrolled_at = utcnow()
    _audit(None, "update", device, {"enrolled": True})
    log.info("tablet %s activated", device.id)
    db.session.flush()
    return device, secret


def device_for_secret(secret: str) -> DeskDevice | None:
    """The enrolled, unrevoked device holding this secret; records when it was last seen."""
    device: DeskDevice | None = db.session.scalar(  # with branch and library: one query
        db.select(DeskDevice)
        .where(DeskDevice.secret_hash == digest(secret))
        .options(joinedload(DeskDevice.branch).joinedload(Branch.library))
    )
    if (
        device is None
        or device.revoked_at is not None
        or not device.branch.active
        or not device.branch.library.active
    ):
        return None
    record_use(device, "last_seen_at")
    return device


def revoke_device(device: DeskDevice, actor: Actor | None) -> None:
    """Stop the tablet at once (its next request is refused); its entries stay."""
    device.revoked_at, device.secret_hash, device.code_hash = utcnow(), None, None
    _audit(actor, "delete", device, {})
    log.info("tablet %s revoked", device.id)
    db.session.flush()


def _audit(actor: Actor | None, action: str, device: DeskDevice, changes: dict[str, Any]) -> None:
    """An event about the device: it is named as the device, whoever acted on it."""
    audit(
        actor, action, "device", device.id, device.branch.library_id, changes, device_id=device.id
    )


class DevicePrincipal:
    """Who is logged in on an enrolled tablet: a volunteer at that one branch, no person."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_device = True
    is_admin = False
    is_coordinator = False
    role = "volunteer"
    email = ""
    id = None

    def __init__(self, device: DeskDevice):
        self.device = device
        self.device_id = device.id
        self.name = device.name
        self.branches = [device.branch]
        self.library_id = device.branch.library_id
        self.library = device.branch.library

    def get_id(self) -> None:
        return None  # never stored in a session: the cookie is checked on every request
