"""Dismissing the landing page's notice that a branch went quiet (on holiday, say)."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ido.core.models import Branch
from ido.core.reporting.quiet import dismiss_quiet
from ido.core.timeutil import now_local
from ido.reports.views import bp
from ido.web.access import get_scoped_or_404
from ido.web.forms import EmptyForm


@bp.post("/quiet/<int:branch_id>/dismiss")
def dismiss(branch_id: int):
    """Hide the notice that the branch went quiet until its next question arrives."""
    branch = get_scoped_or_404(Branch, branch_id)
    form = EmptyForm()
    if form.validate_on_submit():
        dismiss_quiet(branch, current_user, now_local().date())
        flash(
            _("The notice for %(branch)s is hidden until its next question.", branch=branch.name),
            "success",
        )
    return redirect(url_for("reports.index") + "#attention")
