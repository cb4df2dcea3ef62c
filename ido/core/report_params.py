"""Report parameters from a query string: period, dimension, branches; checked once for all."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ido.core.checks import CODE_PATTERN
from ido.core.counts import DIMENSIONS
from ido.core.db import db
from ido.core.exceptions import ParamError
from ido.core.models import Branch, User
from ido.core.scope import branches_in_scope
from ido.core.timeutil import add_months, now_local


@dataclass
class CountParams:
    first: date
    last: date
    by: str
    branches: list[Branch]
    municipality: str | None = None


def parse_month(text: str | None, field: str) -> date | None:
    """YYYY-MM as the first day of that month."""
    if not text:
        return None
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise ParamError(field, "invalid", _("Give a month as YYYY-MM.")) from None


def parse_date(text: str | None, field: str) -> date | None:
    """YYYY-MM-DD."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ParamError(field, "invalid", _("Give a date as YYYY-MM-DD.")) from None


def scoped_branches(
    codes_text: str | None, user: User, municipality: str | None = None
) -> list[Branch]:
    """The branches named (comma-separated codes), all in scope; default all in scope."""
    in_scope = branches_in_scope(user, include_inactive=True)
    if municipality:
        in_scope = [b for b in in_scope if b.municipality == municipality]
    if not codes_text:
        return in_scope
    by_code = {b.code: b for b in in_scope}
    chosen = []
    for code in dict.fromkeys(c.strip() for c in codes_text.split(",") if c.strip()):
        if code in by_code:
            chosen.append(by_code[code])
        elif (
            not CODE_PATTERN.match(code)  # no code at all: nothing to look up (NUL, ...)
            or db.session.scalar(db.select(Branch.id).where(Branch.code == code)) is None
        ):
            raise ParamError(
                "branch", "unknown_code", _("No branch with code %(code)s.", code=code)
            )
        else:
            raise ParamError(
                "branch", "forbidden", _("You do not have access to this branch."), 403
            )
    return chosen


def count_params(args: Mapping[str, str], user: User) -> CountParams:
    """Period (default: the last 12 months), dimension (default total) and branches."""
    this_month = now_local().date().replace(day=1)
    last = parse_month(args.get("to"), "to") or this_month
    first = parse_month(args.get("from"), "from") or add_months(last, -11)
    if first > last:
        raise ParamError("from", "invalid", _("The start month is after the end month."))
    by = args.get("by", "total")
    if by not in DIMENSIONS:
        raise ParamError(
            "by", "invalid", _("Count by one of: %(options)s.", options=", ".join(DIMENSIONS))
        )
    municipality = args.get("municipality") or None
    return CountParams(
        first, last, by, scoped_branches(args.get("branch"), user, municipality), municipality
    )
