"""Libraries, branches and the people who use the app: add, change, deactivate (flushed)."""

import logging
import secrets
from collections.abc import Collection
from typing import Any, cast

from flask_babel import gettext as _

from ido.core.audit import Actor, apply_changes, audit
from ido.core.checks import check_code, check_email
from ido.core.db import db
from ido.core.exceptions import ServiceError
from ido.core.models import ROLES, Branch, BranchConvenantYear, Library, User
from ido.core.organisation.passwords import check_password_policy, end_sessions, hash_password
from ido.core.organisation.tokens import end_tokens
from ido.core.timeutil import now_local

log = logging.getLogger(__name__)

# The Belastingdienst/Toeslagen convenant runs from 2024 to 2027; a library signs up per branch.
CONVENANT_FIRST_YEAR, CONVENANT_LAST_YEAR = 2024, 2027


def user_by_email(email: str) -> User | None:
    """The user with this e-mail address, compared without case and surrounding spaces."""
    return cast(
        User | None,
        db.session.scalar(db.select(User).where(User.email == email.strip().lower())),
    )


def library_by_code(code: str) -> Library:
    """The library with this code, or an error that names it."""
    library: Library | None = db.session.scalar(db.select(Library).where(Library.code == code))
    if library is None:
        raise ServiceError(_("No library with code %(code)s.", code=code))
    return library


def branch_by_code(code: str) -> Branch:
    """The branch with this code, or an error that names it."""
    branch: Branch | None = db.session.scalar(db.select(Branch).where(Branch.code == code))
    if branch is None:
        raise ServiceError(_("No branch with code %(code)s.", code=code))
    return branch


def create_library(code: str, name: str, actor: Actor | None = None) -> Library:
    """A new library; refuses a code in use."""
    check_code(code)
    if db.session.scalar(db.select(Library).where(Library.code == code)):
        raise ServiceError(_("A library with code %(code)s already exists.", code=code))
    library = Library(code=code, name=name.strip() or code)
    db.session.add(library)
    db.session.flush()
    audit(actor, "create", "library", library.id, None, {"code": code, "name": library.name})
    log.info("library %s created", code)
    return library


def create_branch(
    code: str,
    name: str,
    library_code: str,
    municipality: str,
    in_library: bool = True,
    actor: Actor | None = None,
) -> Branch:
    """A new branch of a library; refuses a code in use anywhere in this instance."""
    check_code(code)
    library = library_by_code(library_code)
    if db.session.scalar(db.select(Branch).where(Branch.code == code)):
        raise ServiceError(_("A branch with code %(code)s already exists.", code=code))
    if not municipality.strip():
        raise ServiceError(_("Give the municipality the branch serves."))
    branch = Branch(
        code=code,
        name=name.strip() or code,
        library=library,
        municipality=municipality.strip(),
        in_library=in_library,
    )
    db.session.add(branch)
    db.session.flush()
    audit(
        actor,
        "create",
        "branch",
        branch.id,
        library.id,
        {"code": code, "name": branch.name, "municipality": branch.municipality},
    )
    log.info("branch %s created", code)
    return branch


def create_user(
    email: str,
    name: str,
    role: str,
    password: str | None,
    library_code: str | None = None,
    branch_codes: tuple[str, ...] = (),
    actor: Actor | None = None,
    password_hash: str | None = None,
) -> User:
    """A new user with a role, a library (not for admins) and, for volunteers, branches.

    Without a password the account cannot log in until a password link is used. A ready
    ``password_hash`` (an import, or test data) skips hashing and the policy.
    """
    email = check_email(email)
    if role not in ROLES:
        raise ServiceError(_("The role must be one of: %(roles)s.", roles=", ".join(ROLES)))
    existing = user_by_email(email)
    if existing is not None:
        actor_library, actor_id = getattr(actor, "library_id", None), getattr(actor, "id", None)
        if actor_library is not None and existing.library_id != actor_library:
            # a coordinator learns nothing of another library's people (the log keeps it)
            log.warning("a new person's address belongs to another library (user %s)", actor_id)
            raise ServiceError(
                _("%(email)s cannot be used here. Ask an administrator.", email=email)
            )
        raise ServiceError(_("A user with e-mail %(email)s already exists.", email=email))
    if role != "admin" and not library_code:
        raise ServiceError(_("A volunteer or coordinator belongs to a library."))
    if password is not None:
        check_password_policy(password, email, name)
        password_hash = hash_password(password)
    library = library_by_code(library_code) if library_code and role != "admin" else None
    branches = [branch_by_code(code) for code in branch_codes]
    if library and any(b.library_id != library.id for b in branches):
        raise ServiceError(_("A user can only work at branches of their own library."))
    user = User(
        email=email,
        name=name.strip() or email,
        role=role,
        library=library,
        branches=branches,
        password_hash=password_hash or "!" + secrets.token_hex(),
    )
    db.session.add(user)
    db.session.flush()
    audit(
        actor,
        "create",
        "user",
        user.id,
        library.id if library else None,
        {"email": email, "role": role, "branches": [b.code for b in branches]},
    )
    log.info("user %s created with role %s", user.id, role)
    return user


def deactivate_user(email: str, actor: Actor | None = None) -> User:
    """Stop a user from logging in and from using their API tokens; history stays."""
    user = user_by_email(email)
    if user is None:
        raise ServiceError(_("No user with e-mail %(email)s.", email=email))
    if user.active:
        user.active = False
        audit(actor, "update", "user", user.id, user.library_id, {"active": [True, False]})
    end_sessions(user)
    end_tokens(user, actor, "deactivated")  # reactivating does not bring them back
    db.session.flush()
    return user


def update_branch(
    branch: Branch,
    name: str,
    municipality: str,
    in_library: bool,
    active: bool,
    actor: Actor | None = None,
    convenant_years: Collection[int] | None = None,
) -> dict[str, list[Any]]:
    """Rename a branch, set its municipality, place, whether it is active and (when given) the
    years it takes part in the convenant; the changes. A year not offered changes nothing."""
    if not name.strip() or not municipality.strip():
        raise ServiceError(_("Give the name and the municipality."))
    before = branch.convenant_years
    if convenant_years is not None:
        offered = convenant_years_offered(before)
        if any(year not in offered for year in convenant_years):
            raise ServiceError(
                _(
                    "The convenant years are %(first)s to %(last)s.",
                    first=offered[0],
                    last=offered[-1],
                )
            )
    changes = apply_changes(
        branch,
        name=name.strip(),
        municipality=municipality.strip(),
        in_library=in_library,
        active=active,
    )
    after = sorted(set(convenant_years)) if convenant_years is not None else before
    if after != before:
        branch.convenant_participation = [
            row for row in branch.convenant_participation if row.year in after
        ] + [BranchConvenantYear(year=year) for year in after if year not in before]
        changes["convenant_years"] = [before, after]
    if changes:
        audit(actor, "update", "branch", branch.id, branch.library_id, changes)
    db.session.flush()
    return changes


def convenant_years_offered(kept: Collection[int] = ()) -> list[int]:
    """The years a branch can be signed up for: the convenant's, on to this year when it runs
    on, and any the branch has already (from an earlier term or another instance)."""
    this_year = now_local().year
    term = range(CONVENANT_FIRST_YEAR, max(CONVENANT_LAST_YEAR, this_year) + 1)
    return sorted(set(term) | set(kept))


def update_user(
    user: User,
    name: str,
    role: str,
    branches: list[Branch],
    active: bool,
    actor: Actor | None = None,
) -> dict[str, list[Any]]:
    """Change a user's name, role, branches and whether they may log in; the changes."""
    if role not in ROLES:
        raise ServiceError(_("The role must be one of: %(roles)s.", roles=", ".join(ROLES)))
    if user.library_id and any(b.library_id != user.library_id for b in branches):
        raise ServiceError(_("A user can only work at branches of their own library."))
    before = sorted(b.code for b in user.branches)
    changes = apply_changes(user, name=name.strip() or user.email, role=role, active=active)
    after = sorted(b.code for b in branches)
    if before != after:
        user.branches = branches
        changes["branches"] = [before, after]
    if changes:
        audit(actor, "update", "user", user.id, user.library_id, changes)
    if "role" in changes or "active" in changes:
        end_sessions(user)  # they log in again with what they may do now
    if "role" in changes or changes.get("active") == [True, False]:
        # a token was granted for what they could do then; reactivating revives none
        end_tokens(user, actor, "role" if "role" in changes else "deactivated")
    db.session.flush()
    return changes


def update_library(
    library: Library, name: str, active: bool, actor: Actor | None = None
) -> dict[str, list[Any]]:
    """Rename a library or (de)activate it; its branches and history stay. Deactivating it
    ends its people's sessions and API tokens for good: reactivating it revives none (they
    log in again and make new tokens)."""
    if not name.strip():
        raise ServiceError(_("Give a name."))
    changes = apply_changes(library, name=name.strip(), active=active)
    if changes:
        audit(actor, "update", "library", library.id, library.id, changes)
    if changes.get("active") == [True, False]:
        for person in db.session.scalars(db.select(User).where(User.library_id == library.id)):
            end_sessions(person)
            end_tokens(person, actor, "library deactivated")
    db.session.flush()
    return changes
