"""Small checks on typed input that several services share."""

import re

from flask_babel import gettext as _

from ido.core.exceptions import ServiceError

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_code(code: str) -> str:
    """The code, if it is a valid slug; a ServiceError that says what a code is otherwise."""
    if not CODE_PATTERN.match(code):
        raise ServiceError(_("A code is 1 to 40 lowercase letters, digits, - or _."))
    return code


def check_email(email: str) -> str:
    """The address trimmed and in lower case, if it looks like an e-mail address."""
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise ServiceError(_("%(email)s is not a valid e-mail address.", email=email))
    return email
