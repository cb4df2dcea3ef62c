"""The referral slip (Verwijskaart): contact details kept per agency and library, the privacy
guard that lets a library's stored public numbers through, the slip page that stores nothing,
and the outcome "Afspraak gemaakt bij …"."""

from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ido.core.db import db
from ido.core.models import AgencyContact, AuditEvent, Outcome
from ido.core.questions.privacy import personal_data_kinds
from ido.core.taxonomy import save_category
from ido.core.timeutil import now_local

from .helpers import branch, desk_form, user

# plain reads and writes through the ORM, which other modules run on both databases: this
# module runs in one pass (`once`, tests/conftest.py)
pytestmark = pytest.mark.once
CSS = Path(__file__).parents[1] / "static" / "css" / "ido.css"
UWV = {"website": "www.uwv.nl", "phone": "0888989294", "hours": "ma-vr 8-17", "bring": "DigiD"}
UWV["address"] = "Postbus 58285\n1040 HG Amsterdam"


def _counts() -> dict:
    db.session.remove()
    return {
        t.name: db.session.scalar(select(func.count()).select_from(t))
        for t in db.metadata.sorted_tables
    }


def _partner(library_email: str, code: str) -> str:
    coordinator = user(library_email)
    values = {"code": code, "name_nl": "Buurtteam", "name_en": "Buurtteam", "kind": "partner"}
    values["library_id"] = coordinator.library_id
    item = save_category("agency", None, values, coordinator.library_id, coordinator)
    db.session.commit()
    return item.code


def _weekly_spreekuur(partner: str) -> date:
    """A weekly spreekuur of the partner at a1 from tomorrow, its first session cancelled;
    returns the day of the next one."""
    from ido.core.activities import ActivityData, Rule, cancel_session, save_activity
    from ido.core.models import ActivityKind, Agency

    kind = db.session.scalar(select(ActivityKind).where(ActivityKind.code == "formulierenhulp"))
    agency = db.session.scalar(select(Agency).where(Agency.code == partner))
    first = now_local().date() + timedelta(days=1)
    rule = Rule("weekly", first, until=first + timedelta(days=30))
    data = ActivityData(branch("a1"), kind, rule, time(10), time(12), partner=agency)
    sessions = save_activity(data, user("coord@a.example")).sessions
    cancel_session(sessions[0], True, None)
    db.session.commit()
    return sessions[1].day


def test_contact_details_are_checked_and_kept_by_whom_they_belong_to(org, client, auth):
    with org.app_context():
        own, of_b = _partner("coord@a.example", "buurtteam"), _partner("coord@b.example", "wijk")
    auth.login("admin@ido.example")
    url = "/admin/categories/agency/uwv/contact"
    assert client.post(url, data=UWV).status_code == 302
    with org.app_context():
        row = db.session.scalar(select(AgencyContact))
        assert (row.website, row.phone, row.phone_e164) == (
            "https://www.uwv.nl",
            "088 898 9294",
            "+31888989294",
        )
        assert row.library_id is None and row.address == UWV["address"]
        assert db.session.scalar(select(AuditEvent.changes).where(AuditEvent.entity == "category"))
        before = _counts()
    bad = [
        {"website": "javascript:alert(1)"},
        {"website": "ftp://files.uwv.nl"},
        {"website": "https://uwv"},
        {"phone": "12345"},
        {"phone": "06-1234"},
        {"phone": "bel ons"},
        {"address": "x" * 301},
        {"hours": "x" * 501},
        {"bring": "DigiD\x00"},
    ]
    for change in bad:
        response = client.post(url, data=UWV | {"phone": "14 030"} | change)
        assert response.status_code == 422, change
    with org.app_context():
        assert _counts() == before
    # a municipality's 14 + area code number, and 0800/0900 numbers, are public numbers
    for number in ("14 030", "0800 0543", "0900 8020"):
        assert client.post(url, data=UWV | {"phone": number}).status_code == 302
    auth.logout()
    auth.login("coord@a.example")
    for code in ("uwv", of_b, "no-such-partner"):  # national, another library's, unknown
        assert client.get(f"/admin/categories/agency/{code}/contact").status_code == 404
        assert client.post(f"/admin/categories/agency/{code}/contact", data=UWV).status_code == 404
    assert client.post(f"/admin/categories/agency/{own}/contact", data=UWV).status_code == 302
    taalhuis = "/admin/categories/agency/taalhuis/contact"  # a default partner: A's own details
    assert client.get(taalhuis).status_code == 200
    assert client.post(taalhuis, data={"phone": "030 123 45 67"}).status_code == 302
    with org.app_context():
        rows = db.session.scalars(
            select(AgencyContact).where(AgencyContact.library_id.is_not(None))
        )
        assert {r.library_id for r in rows} == {user("coord@a.example").library_id}
        assert (
            db.session.scalar(select(AgencyContact.phone).where(AgencyContact.library_id.is_(None)))
            == "0900 8020"
        )


def test_the_guard_lets_a_stored_number_through_for_that_library_only(org, client, auth):
    with org.app_context():
        own = _partner("coord@a.example", "buurtteam")
    auth.login("coord@a.example")
    contact = f"/admin/categories/agency/{own}/contact"
    assert client.post(contact, data={"phone": "030 123 45 67"}).status_code == 302
    note = "Gebeld met het buurtteam, 030-1234567, morgen terug"
    with org.app_context():
        assert personal_data_kinds(note) == ["phone"]  # the static list does not know it
    auth.logout()
    auth.login("vol@a.example")
    assert (
        client.post(
            "/desk/", data=desk_form(client) | {"topics": "digid", "note": note}
        ).status_code
        == 302
    )
    auth.logout()
    auth.login("vol@b.example")
    refused = client.post("/desk/", data=desk_form(client) | {"topics": "digid", "note": note})
    assert refused.status_code == 422
    assert "telefoonnummer" in refused.get_data(as_text=True)
    # DUO's number (the list in the code) still passes everywhere
    duo = "DUO gebeld op 050 599 77 55"
    assert (
        client.post("/desk/", data=desk_form(client) | {"topics": "digid", "note": duo}).status_code
        == 302
    )


def test_the_slip_shows_public_details_and_stores_nothing(org, client, auth):
    auth.login("admin@ido.example")
    assert client.post("/admin/categories/agency/uwv/contact", data=UWV).status_code == 302
    auth.logout()
    with org.app_context():
        of_b = _partner("coord@b.example", "wijk")
    auth.login("vol@a.example")
    desk = client.get("/desk/").get_data(as_text=True)
    assert '<template data-slip="uwv">' in desk and "data-slip-dialog" in desk
    assert 'data-slip="duo"' not in desk  # no details: no slip offered
    with org.app_context():
        before = _counts()
    page = client.get("/desk/slip/uwv")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    slip = html[html.index('<div class="slip"') : html.index('<p class="slip-help">')]
    assert 'data-paper="a6"' in slip
    for shown in ("088 898 9294", 'href="tel:+31888989294"', ">www.uwv.nl<", "1040 HG", "DigiD"):
        assert shown in slip, shown
    for personal in ("Vrijwilliger", "vol@a.example"):  # nothing of anyone, on the slip
        assert personal not in slip
    assert 'data-paper="roll"' in client.get("/desk/slip/uwv?paper=roll").get_data(as_text=True)
    for code in ("duo", of_b, "nope"):  # no details, another library's partner, unknown
        assert client.get(f"/desk/slip/{code}").status_code == 404
    with org.app_context():
        assert _counts() == before  # not stored: no audit, no row
    # without the script: the saved question's confirmation links to its slip
    form = desk_form(client) | {"topics": "digid", "referrals": "uwv"}
    assert client.post("/desk/", data=form).status_code == 302
    assert 'href="/desk/slip/uwv"' in client.get("/desk/").get_data(as_text=True)
    # the partner's next spreekuur at this branch: a weekly one, the first session cancelled
    with org.app_context():
        session_day = _weekly_spreekuur("taalhuis")
    auth.logout()
    auth.login("coord@a.example")
    assert client.post("/admin/categories/agency/taalhuis/contact", data={"phone": "14 030"})
    auth.logout()
    auth.login("vol@a.example")
    taalhuis = client.get("/desk/slip/taalhuis").get_data(as_text=True)
    assert "Volgend spreekuur hier" in taalhuis and f"{session_day.day} " in taalhuis
    assert "10:00-12:00" in taalhuis
    css = CSS.read_text(encoding="utf-8")
    assert "@page slip-a6 { size: A6" in css and "@page slip-roll { size: 80mm" in css


def test_an_appointment_made_is_counted_and_needs_its_referral(org, client, auth):
    with org.app_context():
        assert db.session.scalar(select(Outcome.name_nl).where(Outcome.code == "afspraak")) == (
            "Afspraak gemaakt bij …"
        )
        a1 = branch("a1").code
    auth.login("vol@a.example")
    alone = desk_form(client) | {"topics": "digid", "outcome": "afspraak"}
    refused = client.post("/desk/", data=alone)
    assert refused.status_code == 422
    assert "Met wie is de afspraak gemaakt" in refused.get_data(as_text=True)
    assert client.post("/desk/", data=alone | {"referrals": "uwv"}).status_code == 302
    auth.logout()
    auth.login("coord@a.example")
    csv = client.get(f"/reports/monthly.csv?by=outcome&branch={a1}&dialect=rfc4180")
    assert csv.status_code == 200
    assert ",afspraak,Appointment made with …,1" in csv.get_data(as_text=True)  # rfc4180: English


def test_the_service_checks_the_details_itself_and_keeps_them_where_they_belong(org):
    """What the form refuses before the service sees it (a length, a control character) the
    service refuses too, for an import and any caller; a coordinator never keeps a national
    agency's details; an administrator's change of a partner's details is that library's."""
    from ido.core.exceptions import ParamError
    from ido.core.models import Agency
    from ido.core.taxonomy.contacts import contacts_for, known_numbers, save_contact

    with org.app_context():
        own = db.session.scalar(
            select(Agency).where(Agency.code == _partner("coord@a.example", "buurtteam"))
        )
        uwv = db.session.scalar(select(Agency).where(Agency.code == "uwv"))
        coordinator, admin = user("coord@a.example"), user("admin@ido.example")
        library_a, library_b = coordinator.library_id, user("coord@b.example").library_id
        refusals = [
            (own, library_a, {"hours": "x" * 501}, ("hours", "too_long", 422)),
            (own, library_a, {"bring": "DigiD\x00"}, ("bring", "invalid_character", 422)),
            (own, library_a, {"address": "Markt 1\x1b"}, ("address", "invalid_character", 422)),
            (uwv, library_a, UWV, ("agency", "not_found", 404)),  # national: an admin's
        ]
        for agency, library_id, values, expected in refusals:
            try:
                save_contact(agency, library_id, values, coordinator)
            except ParamError as error:
                assert (error.field, error.code, error.status) == expected, values
            else:
                raise AssertionError(f"stored: {values}")
        assert db.session.scalar(select(func.count()).select_from(AgencyContact)) == 0
        save_contact(uwv, None, UWV, admin)  # shared: every library's
        row = save_contact(own, None, {"phone": "030 123 45 67"}, admin)
        assert row.library_id == library_a  # the partner's library, not every library
        db.session.commit()
        assert contacts_for(library_a, []) == {}
        assert set(contacts_for(library_a, [own, uwv])) == {own.id, uwv.id}
        assert set(contacts_for(library_b, [own, uwv])) == {uwv.id}
        assert known_numbers(None) == {"+31888989294"}  # no library: the shared ones only
        assert known_numbers(library_a) == {"+31888989294", "+31301234567"}
        assert known_numbers(library_b) == {"+31888989294"}
