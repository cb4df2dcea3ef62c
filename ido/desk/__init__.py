"""The desk: log a visitor's question in two taps, see today's entries, undo or correct them.

One blueprint, in rooms by concern:

- `desk_page`: the desk and quick mode (a question in two taps, today's list)
- `paper`: typing in a paper tally sheet
- `corrections`: edit, delete (undo) and one's own recent questions
- `choice`: which branch a session logs for, quick mode on or off
- `enrol`: a tablet becomes a desk with a one-time code
- `sessions`: the tiles of today's spreekuren and activities, people counted in two taps
- `slip`: the referral slip (Verwijskaart) a visitor takes home
- `offline`: the service worker, the manifest and the texts that keep the desk working offline
"""

from flask import Blueprint, request
from flask.typing import ResponseReturnValue

from ido.web.access import allow

bp = Blueprint("desk", __name__, url_prefix="/desk")


@allow()
def _anyone_logged_in() -> None:
    """Any role, a desk tablet included."""


# What a desk loads before anyone logs in: enrolling a tablet, and the service worker and
# manifest that keep the desk usable offline (they hold nothing of anyone's)
OPEN_ENDPOINTS = ("desk.enrol", "desk.service_worker", "desk.manifest")


@bp.before_request
def require_login() -> ResponseReturnValue | None:
    """Every desk page needs a logged-in user or an enrolled tablet (enrolling aside)."""
    return None if request.endpoint in OPEN_ENDPOINTS else _anyone_logged_in()


# the rooms register their routes on `bp`
from ido.desk import (  # noqa: E402
    choice,
    corrections,
    desk_page,
    enrol,
    offline,
    paper,
    sessions,
    slip,
)

__all__ = [
    "bp",
    "choice",
    "corrections",
    "desk_page",
    "enrol",
    "offline",
    "paper",
    "sessions",
    "slip",
]
