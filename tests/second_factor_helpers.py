"""What the second factor's tests share: a fixed moment, the secret of the person's app, its
codes, a person with the factor set up, and the trail's second-factor events."""

import pyotp

from ido.core.db import db
from ido.core.models import AuditEvent
from ido.core.organisation.second_factor import enable

from .helpers import user

T = 1_800_000_000.0  # a fixed "now" for the codes: step 60,000,000
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
COORD = "coord@a.example"
STEP = int(T) // 30  # the time step of T (RFC 6238: 30 seconds)


def code(step_offset: int = 0, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(T, counter_offset=step_offset)


def with_factor(app, email: str = COORD) -> list[str]:
    """The person's app set up at T - 2 steps (so that the codes of T's neighbours are new)."""
    with app.app_context():
        codes = enable(user(email), SECRET, code(-2), now=T - 60)
        db.session.commit()
    return codes


def events(app, **where) -> list[AuditEvent]:
    with app.app_context():
        query = db.select(AuditEvent).where(AuditEvent.entity == "second_factor")
        for key, value in where.items():
            query = query.where(getattr(AuditEvent, key) == value)
        return list(db.session.scalars(query.order_by(AuditEvent.id)))
