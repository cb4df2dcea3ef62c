"""Small checks on typed input that several services share."""

import hashlib
import re

from flask_babel import gettext as _

from ido.core.exceptions import ServiceError

# A code as it is typed for something new (a library, a branch, a category)...
NEW_CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
# ...and any stored code, looked up: a library's own partner is "<library code>.<code>".
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
PARTNER_SEPARATOR = "."
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def has_bad_characters(text: str, multiline: bool = True) -> bool:
    """Whether the text holds a character no field should: NUL and the other control
    characters (tab and line breaks aside in a text of several lines, such as a note), or half
    of a surrogate pair. PostgreSQL refuses NUL, a spreadsheet refuses control characters, a
    line break in a name breaks a CSV line, and a lone surrogate cannot be encoded."""
    allowed = "\t\n\r" if multiline else ""
    return any(
        (ord(c) < 32 and c not in allowed)
        or 0x7F <= ord(c) <= 0x9F
        or 0xD800 <= ord(c) <= 0xDFFF
        or c in INVISIBLE
        for c in text
    )


# Characters that change how text shows without showing themselves: the direction overrides
# and isolates that can make a note or a name read as something else (bidirectional text
# attacks), and the zero-width space, word joiner and byte-order mark that hide inside a word
# or an e-mail address. (The zero-width joiners and the direction marks are left alone: some
# scripts and emoji need them.)
INVISIBLE = frozenset("\u200b\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff")


def check_code(code: str) -> str:
    """The code, if it is a valid slug; a ServiceError that says what a code is otherwise."""
    if not NEW_CODE_PATTERN.match(code):
        raise ServiceError(_("A code is 1 to 40 lowercase letters, digits, - or _."))
    return code


def partner_code(library_code: str, code: str) -> str:
    """The stored code of a library's own partner: its library's code, a dot, the code typed.

    Each library has codes of its own, so adding one never tells whether another library
    has a partner of that code (library codes hold no dot, so no two libraries' codes meet)."""
    check_code(code)
    prefix = partner_prefix(library_code)
    full = f"{prefix}{PARTNER_SEPARATOR}{code}"
    if len(full) > 40:
        raise ServiceError(
            _(
                "A partner code of this library is at most %(n)s characters.",
                n=40 - len(prefix) - len(PARTNER_SEPARATOR),
            )
        )
    return full


PARTNER_PREFIX_MAX = 24  # leaves a partner code at least 15 characters of its own


def partner_prefix(library_code: str) -> str:
    """What a library's partner codes begin with: its code, or for a long one its first 17
    characters and 6 of its SHA-256 (two long codes alike at the start still differ)."""
    if len(library_code) <= PARTNER_PREFIX_MAX:
        return library_code
    return library_code[:17] + "-" + hashlib.sha256(library_code.encode()).hexdigest()[:6]


def check_email(email: str) -> str:
    """The address trimmed and in lower case, if it looks like an e-mail address."""
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email):
        raise ServiceError(_("%(email)s is not a valid e-mail address.", email=email))
    return email
