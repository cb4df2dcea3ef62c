"""The referral slip (Verwijskaart): an agency's or partner's public contact details for the
visitor to photograph or take home, printed on A6 or a receipt printer's 80 mm roll.

It holds no personal data and is never stored: rendering only, no audit, no write. The desk
page carries every card it may show (a <template> per partner), so the desk script opens it
without a request, also offline; without the script the confirmation of a save links to this
page per referral."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from ido.core.activities.upcoming import next_partner_sessions
from ido.core.models import Agency, Branch
from ido.core.taxonomy import Categories, active_categories
from ido.core.taxonomy.contacts import contacts_for
from ido.core.timeutil import now_local
from ido.desk import bp
from ido.desk.choice import current_branch
from ido.web.pages import render_form

PAPERS = ("a6", "roll")  # A6, or a receipt printer's 80 mm roll


@dataclass(frozen=True)
class SlipCard:
    """What a slip shows of one agency or partner."""

    code: str
    name: str
    website: str
    website_text: str  # without https:// and a trailing slash: shorter to read and type
    phone: str
    phone_href: str
    address: str
    hours: str
    bring: str
    next_session: str  # the partner's next spreekuur at this branch, empty when none


def slip_cards(branch: Branch, categories: Categories) -> dict[str, SlipCard]:
    """The cards of the desk's agencies and partners that have contact details, by code."""
    found = contacts_for(branch.library_id, categories.agencies)
    upcoming = next_sessions(branch, list(found))
    cards = {}
    for agency in categories.agencies:
        row = found.get(agency.id)
        if row is None:
            continue
        parts = urlsplit(row.website)
        cards[agency.code] = SlipCard(
            code=agency.code,
            name=agency.name,
            website=row.website,
            website_text=(parts.netloc + parts.path).rstrip("/") if row.website else "",
            phone=row.phone,
            phone_href=f"tel:{row.phone_e164}" if row.phone_e164 else "",
            address=row.address,
            hours=row.hours,
            bring=row.bring,
            next_session=upcoming.get(agency.id, ""),
        )
    return cards


def next_sessions(branch: Branch, agency_ids: list[int]) -> dict[int, str]:
    """The next spreekuur of each partner at this branch, as the slip words it (a weekday, a
    date and the times, in the page's language), by agency id."""
    found = next_partner_sessions(branch.id, agency_ids, now_local())
    return {
        partner_id: _(
            "%(day)s, %(start)s-%(end)s",
            day=format_date(s.day, "EEEE d MMMM"),
            start=s.start_time.strftime("%H:%M"),
            end=s.end_time.strftime("%H:%M"),
        )
        for partner_id, s in found.items()
    }


@bp.get("/slip/<code>")
def slip(code: str):
    """One agency's or partner's referral slip, to show or print (A6 or an 80 mm roll)."""
    branch = current_branch()
    if branch is None:
        return redirect(url_for("desk.choose_branch"))
    categories = active_categories(branch)
    agency = next((a for a in categories.agencies if a.code == code), None)
    if agency is None:  # unknown, inactive, or another library's partner: all alike
        abort(404)
    card = slip_cards(branch, _only(categories, agency)).get(code)
    if card is None:
        abort(404)
    paper = request.args.get("paper", "a6")
    if paper not in PAPERS:
        paper = "a6"
    return render_form("desk/slip.html", None, card=card, branch=branch, paper=paper)


def _only(categories: Categories, agency: Agency) -> Categories:
    return Categories(topics=[], agencies=[agency], help=[], channels=[], outcomes=[])
