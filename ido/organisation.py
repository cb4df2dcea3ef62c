"""Writes for libraries, branches and users (used by the command line, later by admin pages)."""

import re
import secrets

from flask import has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from zxcvbn import zxcvbn

from .extensions import db
from .models import ROLES, AuditEvent, Branch, Library, User
from .security import hash_password

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 12


class OrganisationError(ValueError):
    """Input that cannot be stored; the message says why, for the person who typed it."""


def check_code(code: str) -> str:
    if not CODE_PATTERN.match(code):
        raise OrganisationError(_("A code is 1 to 40 lowercase letters, digits, - or _."))
    return code


def audit(action: str, entity: str, item, library_id: int | None, changes: dict,
          entity_id: str | None = None) -> None:
    """An audit event by the logged-in user (none on the command line)."""
    db.session.flush()
    actor = current_user.id if has_request_context() and current_user.is_authenticated else None
    db.session.add(AuditEvent(action=action, entity=entity, entity_id=entity_id or str(item.id),
                              library_id=library_id, changes=changes, user_id=actor))


def apply_changes(item, **values) -> dict:
    """Set the values on the item; returns {field: [old, new]} for those that changed."""
    changes = {}
    for field, value in values.items():
        old = getattr(item, field)
        if old != value:
            changes[field] = [old, value]
            setattr(item, field, value)
    return changes


def user_by_email(email: str) -> User | None:
    """The user with this e-mail address, compared without case and surrounding spaces."""
    return db.session.scalar(db.select(User).where(User.email == email.strip().lower()))


def library_by_code(code: str) -> Library:
    """The library with this code, or an error that names it."""
    library = db.session.scalar(db.select(Library).where(Library.code == code))
    if library is None:
        raise OrganisationError(_("No library with code %(code)s.", code=code))
    return library


def branch_by_code(code: str) -> Branch:
    """The branch with this code, or an error that names it."""
    branch = db.session.scalar(db.select(Branch).where(Branch.code == code))
    if branch is None:
        raise OrganisationError(_("No branch with code %(code)s.", code=code))
    return branch


def create_library(code: str, name: str) -> Library:
    """A new library; refuses a code in use."""
    check_code(code)
    if db.session.scalar(db.select(Library).where(Library.code == code)):
        raise OrganisationError(_("A library with code %(code)s already exists.", code=code))
    library = Library(code=code, name=name.strip() or code)
    db.session.add(library)
    audit("create", "library", library, None, {"code": code, "name": library.name})
    db.session.commit()
    return library


def create_branch(code: str, name: str, library_code: str, municipality: str,
                  in_library: bool = True) -> Branch:
    """A new branch of a library; refuses a code in use anywhere in this instance."""
    check_code(code)
    library = library_by_code(library_code)
    if db.session.scalar(db.select(Branch).where(Branch.code == code)):
        raise OrganisationError(_("A branch with code %(code)s already exists.", code=code))
    if not municipality.strip():
        raise OrganisationError(_("Give the municipality the branch serves."))
    branch = Branch(code=code, name=name.strip() or code, library=library,
                    municipality=municipality.strip(), in_library=in_library)
    db.session.add(branch)
    audit("create", "branch", branch, library.id,
           {"code": code, "name": branch.name, "municipality": branch.municipality})
    db.session.commit()
    return branch


def check_password_policy(password: str, email: str, name: str = "") -> None:
    """Refuse short passwords, the e-mail address, and passwords that are easy to guess."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise OrganisationError(
            _("A password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    if password.strip().lower() in {email.lower(), email.split("@")[0].lower()}:
        raise OrganisationError(_("The password may not be your e-mail address."))
    # zxcvbn knows the common passwords, keyboard runs and dates; below 3 is guessable
    if zxcvbn(password[:100], user_inputs=[email, name, "ido", "bibliotheek"])["score"] < 3:
        raise OrganisationError(_("This password is too easy to guess (it looks like a common "
                                  "password). Choose a longer sentence or combination."))


def create_user(email: str, name: str, role: str, password: str | None,
                library_code: str | None = None, branch_codes: tuple[str, ...] = ()) -> User:
    """A new user with a role, a library (not for admins) and, for volunteers, branches.

    Without a password the account cannot log in until a password link is used.
    """
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise OrganisationError(_("%(email)s is not a valid e-mail address.", email=email))
    if role not in ROLES:
        raise OrganisationError(_("The role must be one of: %(roles)s.", roles=", ".join(ROLES)))
    if user_by_email(email):
        raise OrganisationError(_("A user with e-mail %(email)s already exists.", email=email))
    if role != "admin" and not library_code:
        raise OrganisationError(_("A volunteer or coordinator belongs to a library."))
    if password is not None:
        check_password_policy(password, email, name)
    library = library_by_code(library_code) if library_code and role != "admin" else None
    branches = [branch_by_code(code) for code in branch_codes]
    if library and any(b.library_id != library.id for b in branches):
        raise OrganisationError(_("A user can only work at branches of their own library."))
    user = User(email=email, name=name.strip() or email, role=role, library=library,
                branches=branches,
                password_hash=hash_password(password) if password else "!" + secrets.token_hex())
    db.session.add(user)
    audit("create", "user", user, library.id if library else None,
           {"email": email, "role": role, "branches": [b.code for b in branches]})
    db.session.commit()
    return user


def deactivate_user(email: str) -> User:
    """Stop a user from logging in and from using their API tokens; history stays."""
    user = user_by_email(email)
    if user is None:
        raise OrganisationError(_("No user with e-mail %(email)s.", email=email))
    user.active = False
    audit("update", "user", user, user.library_id, {"active": [True, False]})
    db.session.commit()
    return user


def update_branch(branch: Branch, name: str, municipality: str, in_library: bool,
                  active: bool) -> dict:
    """Rename a branch, set its municipality, place and whether it is active; the changes."""
    if not name.strip() or not municipality.strip():
        raise OrganisationError(_("Give the name and the municipality."))
    changes = apply_changes(branch, name=name.strip(), municipality=municipality.strip(),
                    in_library=in_library, active=active)
    if changes:
        audit("update", "branch", branch, branch.library_id, changes)
    db.session.commit()
    return changes


def update_user(user: User, name: str, role: str, branches: list[Branch], active: bool) -> dict:
    """Change a user's name, role, branches and whether they may log in; the changes."""
    if role not in ROLES:
        raise OrganisationError(_("The role must be one of: %(roles)s.", roles=", ".join(ROLES)))
    if user.library_id and any(b.library_id != user.library_id for b in branches):
        raise OrganisationError(_("A user can only work at branches of their own library."))
    before = sorted(b.code for b in user.branches)
    changes = apply_changes(user, name=name.strip() or user.email, role=role, active=active)
    after = sorted(b.code for b in branches)
    if before != after:
        user.branches = branches
        changes["branches"] = [before, after]
    if changes:
        audit("update", "user", user, user.library_id, changes)
    db.session.commit()
    return changes


def update_library(library: Library, name: str, active: bool) -> dict:
    """Rename a library or (de)activate it; its branches and history stay."""
    if not name.strip():
        raise OrganisationError(_("Give a name."))
    changes = apply_changes(library, name=name.strip(), active=active)
    if changes:
        audit("update", "library", library, library.id, changes)
    db.session.commit()
    return changes
