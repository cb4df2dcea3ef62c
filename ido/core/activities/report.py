"""Activities counted per branch over a period (a year for the convenant): held by kind, against
the Belastingdienst/Toeslagen convenant's minimum for the branches signed up for the year, and
the people reached in total and in another form than in person (the Bibliotheekmonitor's two
questions). One GROUP BY, and one query for who takes part."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func

from ido.core.db import db
from ido.core.exceptions import ParamError
from ido.core.models import (
    Activity,
    ActivityKind,
    ActivitySession,
    Branch,
    BranchConvenantYear,
)
from ido.core.timeutil import FIRST_YEAR, LAST_YEAR, now_local

CONVENANT_MINIMUM = 4  # activities a year per participating branch (convenant 2024-2027)


@dataclass
class BranchActivities:
    """One branch's activities in the period; `held` counts sessions not cancelled whose day
    has come (today's included), `planned` those still to come. `takes_part`: the branch is
    signed up for the convenant in the period's year, whether or not it holds convenant
    activities (a branch not signed up does not take part, and its convenant activities count
    in the totals only)."""

    branch: Branch
    takes_part: bool = False
    held: int = 0
    planned: int = 0
    convenant_held: int = 0
    convenant_planned: int = 0
    reached: int = 0
    reached_other_form: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)  # kind code: sessions held

    @property
    def short(self) -> int:
        """How many convenant activities are still needed for the minimum (0: enough, or the
        branch does not take part)."""
        return max(0, CONVENANT_MINIMUM - self.convenant_held) if self.takes_part else 0


def activity_figures(
    branches: Sequence[Branch], first: date, last: date, today: date | None = None
) -> list[BranchActivities]:
    """Per branch (in the order given), its activities from `first` to `last`; it takes part
    in the convenant when it is signed up for a year of the period."""
    today = today or now_local().date()
    by_id = {b.id: BranchActivities(b) for b in branches}
    signed_up = db.session.scalars(
        db.select(BranchConvenantYear.branch_id)
        .distinct()
        .where(
            BranchConvenantYear.branch_id.in_(list(by_id)),
            BranchConvenantYear.year.between(first.year, last.year),
        )
    )
    for branch_id in signed_up:
        by_id[branch_id].takes_part = True
    come = ActivitySession.day <= today
    rows = db.session.execute(
        db.select(
            ActivitySession.branch_id,
            ActivityKind.code,
            Activity.convenant,
            Activity.form,
            come,
            func.count(),
            func.coalesce(func.sum(ActivitySession.attendance), 0),
        )
        .join(Activity, Activity.id == ActivitySession.activity_id)
        .join(ActivityKind, ActivityKind.id == Activity.kind_id)
        .where(
            ActivitySession.branch_id.in_(list(by_id)),
            ActivitySession.day.between(first, last),
            ActivitySession.cancelled.is_(False),
        )
        .group_by(
            ActivitySession.branch_id, ActivityKind.code, Activity.convenant, Activity.form, come
        )
    )
    for branch_id, kind, convenant, form, has_come, sessions, people in rows:
        found = by_id[branch_id]
        if has_come:
            found.held += sessions
            found.convenant_held += sessions if convenant else 0
            found.by_kind[kind] = found.by_kind.get(kind, 0) + sessions
        else:
            found.planned += sessions
            found.convenant_planned += sessions if convenant else 0
        found.reached += people
        found.reached_other_form += people if form != "in_person" else 0
    return [by_id[b.id] for b in branches]


def figures_row(found: BranchActivities, kinds: Sequence[str]) -> dict[str, object]:
    """One branch's figures as the JSON API, the CSV and the workbook give them (the same
    keys in the same order; one column per kind of activity)."""
    return {
        "branch": found.branch.code,
        "branch_name": found.branch.name,
        "municipality": found.branch.municipality,
        "takes_part": found.takes_part,
        "convenant_held": found.convenant_held,
        "convenant_minimum": CONVENANT_MINIMUM if found.takes_part else None,
        "still_needed": found.short if found.takes_part else None,
        "held": found.held,
        "planned": found.planned,
        "reached": found.reached,
        "reached_other_form": found.reached_other_form,
        "by_kind": {kind: found.by_kind.get(kind, 0) for kind in kinds},
    }


def parse_year(text: str | None, this_year: int) -> int:
    """YYYY from FIRST_YEAR to LAST_YEAR; `this_year` when not given."""
    if text is None or text == "":
        return this_year
    if not (len(text) == 4 and text.isascii() and text.isdigit()) or not (
        FIRST_YEAR <= int(text) <= LAST_YEAR
    ):
        raise ParamError(
            "year",
            "invalid",
            _("Give a year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR),
        )
    return int(text)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def totals(figures: Sequence[BranchActivities]) -> BranchActivities:
    """The figures of several branches added up (a municipality's), without a branch."""
    summed = BranchActivities(branch=None)  # type: ignore[arg-type]
    for found in figures:
        for name in ("held", "planned", "convenant_held", "convenant_planned", "reached"):
            setattr(summed, name, getattr(summed, name) + getattr(found, name))
        summed.reached_other_form += found.reached_other_form
        for kind, count in found.by_kind.items():
            summed.by_kind[kind] = summed.by_kind.get(kind, 0) + count
    return summed
