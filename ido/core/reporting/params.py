"""Report parameters from a query string: period, dimension, branches; checked once for all."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ido.core.checks import CODE_PATTERN
from ido.core.db import db
from ido.core.exceptions import ParamError
from ido.core.models import Branch, User
from ido.core.organisation.scope import branches_in_scope
from ido.core.reporting.counts import DIMENSIONS
from ido.core.timeutil import add_months, in_years, months_between, now_local


@dataclass
class CountParams:
    first: date
    last: date
    by: str
    branches: list[Branch]
    municipality: str | None = None


MAX_MONTHS = 120  # ten years
MONTH_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}")
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PAGE_PATTERN = re.compile(r"[0-9]{1,6}")


def parse_month(text: str | None, field: str) -> date | None:
    """YYYY-MM as the first day of that month."""
    if not text:
        return None
    try:
        if not MONTH_PATTERN.fullmatch(text):
            raise ValueError(text)
        year, month = text.split("-")
        day = date(int(year), int(month), 1)
    except ValueError:
        raise ParamError(field, "invalid", _("Give a month as YYYY-MM.")) from None
    return in_years(day, field)


def parse_date(text: str | None, field: str) -> date | None:
    """YYYY-MM-DD."""
    if not text:
        return None
    try:
        if not DATE_PATTERN.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise ParamError(field, "invalid", _("Give a date as YYYY-MM-DD.")) from None
    return in_years(day, field)


def parse_page(text: str | None) -> int:
    """A page number of a list: 1 when not given."""
    if text is None or text == "":
        return 1
    if not PAGE_PATTERN.fullmatch(text) or int(text) < 1:
        raise ParamError("page", "invalid", _("The page must be a whole number from 1."))
    return int(text)


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
            CODE_PATTERN.match(code)  # no code at all: nothing to look up (NUL, ...)
            and user.library_id is not None
            and db.session.scalar(
                db.select(Branch.id).where(
                    Branch.code == code, Branch.library_id == user.library_id
                )
            )
        ):  # a branch of one's own library one does not work at
            raise ParamError(
                "branch", "forbidden", _("You do not have access to this branch."), 403
            )
        else:  # unknown, or another library's: the same answer, so codes cannot be probed
            raise ParamError(
                "branch", "unknown_code", _("No branch with code %(code)s.", code=code)
            )
    return chosen


def count_params(args: Mapping[str, str], user: User) -> CountParams:
    """Period (default: the last 12 months), dimension (default total) and branches."""
    this_month = now_local().date().replace(day=1)
    last = parse_month(args.get("to"), "to") or this_month
    first = parse_month(args.get("from"), "from") or add_months(last, -11)
    if first > last:
        raise ParamError("from", "invalid", _("The start month is after the end month."))
    if len(months_between(first, last)) > MAX_MONTHS:
        raise ParamError(
            "from", "out_of_range", _("A period is at most %(n)s years.", n=MAX_MONTHS // 12)
        )
    by = args.get("by", "total")
    if by not in DIMENSIONS:
        raise ParamError(
            "by", "invalid", _("Count by one of: %(options)s.", options=", ".join(DIMENSIONS))
        )
    municipality = args.get("municipality") or None
    return CountParams(
        first, last, by, scoped_branches(args.get("branch"), user, municipality), municipality
    )
