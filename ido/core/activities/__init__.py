"""Activities and spreekuren of a branch: their rules, sessions, attendance and figures.

- `recurrence`: the days a repeating activity falls on, capped; absurd rules refused
- `service`: recording an activity (its sessions kept in step), cancelling or moving one
  session, and how many people came; every rule checked, every change audited
- `listing`: the desk's session tiles, a coordinator's lists
- `report`: per branch and period, held by kind against the convenant's minimum, and reach

Services flush; the caller commits."""

from ido.core.activities.listing import (
    activities_of,
    activity_kinds,
    desk_sessions,
    sessions_between,
)
from ido.core.activities.recurrence import MAX_SESSIONS, NTHS, Rule, occurrences
from ido.core.activities.report import (
    CONVENANT_MINIMUM,
    BranchActivities,
    activity_figures,
    figures_row,
    parse_year,
    totals,
    year_bounds,
)
from ido.core.activities.service import (
    ActivityData,
    attendance_problem,
    cancel_session,
    move_session,
    record_attendance,
    save_activity,
)

__all__ = [
    "CONVENANT_MINIMUM",
    "MAX_SESSIONS",
    "NTHS",
    "ActivityData",
    "BranchActivities",
    "Rule",
    "activities_of",
    "activity_figures",
    "activity_kinds",
    "figures_row",
    "attendance_problem",
    "cancel_session",
    "desk_sessions",
    "move_session",
    "occurrences",
    "parse_year",
    "record_attendance",
    "save_activity",
    "sessions_between",
    "totals",
    "year_bounds",
]
