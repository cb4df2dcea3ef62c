"""A second factor for coordinators and administrators: an authenticator app (TOTP, RFC 6238)
with ten single-use recovery codes. Set up, checked at log-in, turned off, reset.

The app's secret is stored sealed (`sealing`: Fernet with a key derived from SECRET_KEY), so a
copy of the database alone does not give anyone codes; SECRET_KEY_FALLBACKS still open it
while a key is rotated. A code is taken once: the last accepted time step
is stored, and a code of that step or an earlier one is refused.
"""

import hmac
import logging
import time
from datetime import UTC, datetime

import pyotp
from flask import current_app
from flask_babel import gettext as _

from ido.core.audit import Actor, audit
from ido.core.db import db
from ido.core.exceptions import ServiceError, WrongPassword
from ido.core.models import ROLES, SecondFactor, User
from ido.core.organisation import recovery_codes, sealing
from ido.core.organisation.passwords import check_password, end_sessions

log = logging.getLogger(__name__)
ISSUER = "IDO Logboek"
PURPOSE = "second factor"  # the sealing key's purpose (each purpose has a key of its own)
DRIFT_STEPS = 1  # a code of the step before or after now is taken too (phones' clocks drift)
MAY_HAVE = ("coordinator", "admin")  # volunteers are never asked: the desk stays two taps
clock = time.time  # what "now" is for the codes (tests set it)


class WrongCode(WrongPassword):
    """The code is not right (or was used already): throttled like a wrong password."""


def required_roles() -> set[str]:
    """The roles that must use a second factor: IDO_REQUIRE_2FA, such as "admin" (the
    default), "admin,coordinator" or "none"."""
    value = str(current_app.config.get("IDO_REQUIRE_2FA") or "none")
    named = {part.strip().lower() for part in value.replace(";", ",").split(",")}
    return named & set(MAY_HAVE)


def check_setting(value: object) -> None:
    """Refuse a setting of IDO_REQUIRE_2FA that names no role it can hold (a typo must not
    quietly turn the requirement off)."""
    parts = {part.strip().lower() for part in str(value or "").replace(";", ",").split(",")}
    if parts != {"none"} and not (parts and parts <= set(MAY_HAVE)):
        raise ValueError(
            f"IDO_REQUIRE_2FA is {value!r}: use none, admin, coordinator or admin,coordinator "
            f"(roles: {', '.join(ROLES)}; volunteers never use a second factor)"
        )


def may_have(user: User) -> bool:
    """Whether the person may set up a second factor (coordinators and administrators)."""
    return user.role in MAY_HAVE


def is_required(user: User) -> bool:
    """Whether the person's role must use a second factor on this instance."""
    return user.role in required_roles()


def factor_of(user: User) -> SecondFactor | None:
    """The person's confirmed second factor, if any."""
    return db.session.get(SecondFactor, user.id)


def asks_code(user: User) -> bool:
    """Whether a password log-in of this person goes on to a second step (a code, or the
    set-up when their role requires one and they have none)."""
    return may_have(user) and (is_required(user) or factor_of(user) is not None)


def seal(secret: str) -> str:
    """The secret encrypted for storage (in the database, or a set-up's session)."""
    return sealing.seal(secret, PURPOSE)


def unseal(sealed: str) -> str | None:
    """The secret, or None when no key (SECRET_KEY or a fallback) opens it."""
    return sealing.unseal(sealed, PURPOSE)


def new_secret() -> str:
    """A random secret for a new authenticator app (160 bits, base32 as apps expect)."""
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def clean_code(code: str) -> str:
    """A typed code without spaces and dashes, lower case."""
    return "".join(code.split()).replace("-", "").lower()


def matching_step(
    secret: str, code: str, after: int | None, now: float | None = None
) -> int | None:
    """The time step (within the drift) whose code this is, if it is later than `after`."""
    code = clean_code(code)
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    moment = clock() if now is None else now
    step = totp.timecode(datetime.fromtimestamp(moment, UTC))
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        expected = totp.at(moment, counter_offset=offset)
        if hmac.compare_digest(expected, code) and (after is None or step + offset > after):
            return step + offset
    return None


def enable(user: User, secret: str, code: str, now: float | None = None) -> list[str]:
    """Turn the second factor on with the app's first code; returns ten recovery codes (shown
    once, stored hashed). Every session of the person ends (the caller logs this one in
    again). Refused for a wrong code, or when one is on already."""
    if not may_have(user):
        raise ServiceError(_("Only coordinators and administrators use a second factor."))
    if factor_of(user) is not None:
        raise ServiceError(_("Two-step log-in is on already."))
    step = matching_step(secret, code, None, now)
    if step is None:
        raise WrongCode(_("That code is not right. Enter the 6 digits the app shows now."))
    db.session.add(SecondFactor(user_id=user.id, secret=seal(secret), last_step=step))
    codes = recovery_codes.replace(user)
    end_sessions(user)  # sessions made with the password alone (an intruder's too) end
    changes = {"recovery_codes": len(codes)}
    audit(user, "create", "second_factor", user.id, user.library_id, changes)
    log.info("second factor set up for user %s", user.id)
    db.session.flush()
    return codes


def check_app_code(user: User, code: str, now: float | None = None) -> bool:
    """Whether the code is the app's for now (within the drift) and not used before; when it
    is, its step is stored so that it cannot be used again."""
    factor = factor_of(user)
    if factor is None:
        return False
    secret = unseal(factor.secret)
    if secret is None:
        log.warning("the second factor of user %s cannot be decrypted (SECRET_KEY?)", user.id)
        return False
    step = matching_step(secret, code, factor.last_step, now)
    if step is None:
        return False
    factor.last_step = step
    if current_app.config.get("SECRET_KEY_FALLBACKS"):
        factor.secret = seal(secret)  # a key being rotated: kept under the new one from now
    db.session.flush()
    return True


def verify(user: User, code: str, now: float | None = None) -> str:
    """The second step of a log-in: the app's code ("app") or an unused recovery code
    ("recovery", audited). Raises WrongCode otherwise."""
    if check_app_code(user, code, now):
        return "app"
    left = recovery_codes.use(user, code)
    if left is None:
        raise WrongCode(_("That code is not right, or it was used already."))
    changes = {"recovery_code_used": True, "recovery_codes_left": left}
    audit(user, "update", "second_factor", user.id, user.library_id, changes)
    log.info("recovery code used by user %s (%s left)", user.id, left)
    return "recovery"


def new_recovery_codes(user: User, code: str, now: float | None = None) -> list[str]:
    """Ten new recovery codes, confirmed with the app's code; the old ones stop working."""
    if not check_app_code(user, code, now):
        raise WrongCode(_("That code is not right. Enter the 6 digits the app shows now."))
    codes = recovery_codes.replace(user)
    changes = {"recovery_codes": len(codes)}
    audit(user, "update", "second_factor", user.id, user.library_id, changes)
    return codes


def disable(user: User, password: str, code: str, now: float | None = None) -> None:
    """Turn one's own second factor off, with the password and a code (the app's or a
    recovery code); refused for a role that requires it."""
    if is_required(user):
        raise ServiceError(_("Your role must use two-step log-in: it cannot be turned off."))
    if not check_password(user, password):
        raise WrongPassword(_("The password is not correct."))
    verify(user, code, now)
    _remove(user)
    audit(user, "delete", "second_factor", user.id, user.library_id)
    log.info("second factor turned off by user %s", user.id)


def reset(user: User, actor: Actor | None) -> None:
    """An administrator ends someone's second factor (a lost phone): their sessions end, and
    the next log-in sets up a new one when their role requires it."""
    if factor_of(user) is None:
        raise ServiceError(_("%(name)s has no two-step log-in.", name=user.name))
    _remove(user)
    end_sessions(user)
    audit(actor, "delete", "second_factor", user.id, user.library_id, {"reset": True})
    log.info("second factor of user %s reset", user.id)


def _remove(user: User) -> None:
    factor = factor_of(user)
    if factor is not None:
        db.session.delete(factor)
    recovery_codes.remove(user)
    db.session.flush()
