"""Which branch a session logs for, and whether quick mode is on."""

from flask import redirect, session, url_for
from flask_login import current_user

from ido.core.db import db
from ido.core.models import Branch
from ido.core.organisation.scope import branches_in_scope, in_scope
from ido.desk import bp
from ido.desk.forms import BranchForm
from ido.web.forms import EmptyForm
from ido.web.pages import render_form


def current_branch() -> Branch | None:
    """The branch this session logs for: the chosen one, or the only one in scope."""
    wanted = session.get("branch_id") or 0
    if current_user.is_admin or current_user.is_coordinator:
        branch = db.session.get(Branch, wanted)
        if branch is not None and branch.active and in_scope(current_user, branch):
            return branch
        branches = branches_in_scope(current_user)
    else:  # a volunteer's (or tablet's) branches come in one query, the chosen one among them
        branches = branches_in_scope(current_user)
        chosen = next((b for b in branches if b.id == wanted), None)
        if chosen is not None:
            return chosen
    if len(branches) == 1:
        session["branch_id"] = branches[0].id
        return branches[0]
    return None


@bp.post("/mode")
def mode():
    """Switch quick mode on or off for this session."""
    if EmptyForm().validate_on_submit():
        session["quick"] = not session.get("quick", False)
    return redirect(url_for("desk.index"))


@bp.route("/branch", methods=["GET", "POST"])
def choose_branch():
    """Pick the branch this session logs for (asked once, for users with several)."""
    branches = branches_in_scope(current_user)
    form = BranchForm()
    form.branch.choices = {str(b.id): f"{b.name} ({b.municipality})" for b in branches}
    if form.validate_on_submit():
        session["branch_id"] = int(form.branch.data)
        return redirect(url_for("desk.index"))
    form.branch.data = form.branch.data or str(session.get("branch_id", ""))
    return render_form("desk/branch.html", form, branches=branches)
