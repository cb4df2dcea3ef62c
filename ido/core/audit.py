"""The audit trail: who changed what, written in the same transaction as the change."""

import logging
from typing import Any, Protocol

from ido.core.db import db
from ido.core.models import AuditEvent

log = logging.getLogger(__name__)


class Actor(Protocol):
    """Who acts: a person (User) or an enrolled desk tablet (DevicePrincipal)."""

    id: Any
    device_id: Any


def audit(
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: object,
    library_id: int | None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event by the actor (None: the command line or the app itself)."""
    event = AuditEvent(
        user_id=actor.id if actor else None,
        device_id=actor.device_id if actor else None,
        library_id=library_id,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        changes=changes or {},
    )
    db.session.add(event)
    log.debug("audit %s %s %s", action, entity, entity_id)
    return event


def apply_changes(item: object, **values: object) -> dict[str, list[Any]]:
    """Set the values on the item; returns {field: [old, new]} for those that changed."""
    changes = {}
    for field, value in values.items():
        old = getattr(item, field)
        if old != value:
            changes[field] = [old, value]
            setattr(item, field, value)
    return changes
