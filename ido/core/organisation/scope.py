"""Who may see and change what: the one place where roles meet branches."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from flask import current_app

from ido.core.db import db
from ido.core.models import (
    Activity,
    ActivitySession,
    ApiToken,
    Branch,
    DeskDevice,
    Library,
    Question,
    User,
    utcnow,
)

if TYPE_CHECKING:
    from ido.core.organisation.devices import DevicePrincipal


def branches_in_scope(user: User, include_inactive: bool = False) -> list[Branch]:
    """The branches this user may log for and see, by name (inactive ones for reports)."""
    query = db.select(Branch).order_by(Branch.name)
    if not include_inactive:
        query = query.where(Branch.active)
    if user.is_admin:
        return list(db.session.scalars(query))
    if user.is_coordinator:
        return list(db.session.scalars(query.where(Branch.library_id == user.library_id)))
    return [branch for branch in user.branches if branch.active or include_inactive]


def in_scope(user: User, branch: Branch) -> bool:
    """Whether the branch lies within the user's scope."""
    if user.is_admin:
        return True
    if user.is_coordinator:
        return branch.library_id == user.library_id
    return any(b.id == branch.id for b in user.branches)


class Logged(Protocol):
    """What the rules below read of a logged question: a Question, or a row of the desk's list."""

    @property
    def deleted_at(self) -> datetime | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def logged_by_id(self) -> int | None: ...
    @property
    def device_id(self) -> int | None: ...


def may_change(user: User, question: Question) -> bool:
    """Coordinators change any question in scope; volunteers their own, for a short while."""
    return in_scope(user, question.branch) and may_change_in_branch(user, question)


def may_change_in_branch(user: "User | DevicePrincipal", entry: Logged) -> bool:
    """The same, for a question whose branch the caller knows to be in scope (the desk's list
    of its own branch): not looked up again per question."""
    if entry.deleted_at is not None:
        return False
    if user.is_admin or user.is_coordinator:
        return True
    window = timedelta(minutes=current_app.config["IDO_EDIT_MINUTES"])
    return logged_by_this(user, entry) and utcnow() - entry.created_at <= window


def logged_by_this(user: "User | DevicePrincipal", entry: Logged) -> bool:
    """Whether this person (or this desk tablet) logged the question."""
    if user.is_device:
        return entry.device_id == user.device_id
    return entry.logged_by_id is not None and entry.logged_by_id == user.id


def can_see(user: User, item: object) -> bool:
    """Whether the item lies within the user's scope: the one rule behind every lookup by id.

    Questions (not deleted), branches and desk tablets by their branch; activities by their
    branch (to manage them, coordinators and admins) and their sessions by their branch (to
    count people at one, a volunteer or tablet of that branch too); people by their
    library (admins only by admins); API tokens only by their owner; libraries only by admins.
    """
    if isinstance(item, Question):
        return item.deleted_at is None and in_scope(user, item.branch)
    if isinstance(item, Branch):
        return in_scope(user, item) and (user.is_admin or user.is_coordinator)
    if isinstance(item, Activity):
        return in_scope(user, item.branch) and (user.is_admin or user.is_coordinator)
    if isinstance(item, ActivitySession):
        return in_scope(user, item.branch)
    if isinstance(item, DeskDevice):
        return in_scope(user, item.branch) and (user.is_admin or user.is_coordinator)
    if isinstance(item, User):
        return user.is_admin or (
            user.is_coordinator and item.library_id == user.library_id and not item.is_admin
        )
    if isinstance(item, ApiToken):
        return item.user_id == user.id
    if isinstance(item, Library):
        return user.is_admin
    raise TypeError(f"no scope rule for {type(item).__name__}")
