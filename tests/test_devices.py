"""Desk tablets: enrolled with a one-time code, log without a personal account, revocable."""

import re

import pytest

from ido.core.db import db
from ido.core.models import AuditEvent, DeskDevice

from .conftest import Auth, form_fields, messages
from .helpers import questions

# plain reads and writes through the ORM, which other modules run on both databases: this
# module runs in one pass (`once`, tests/conftest.py)
pytestmark = pytest.mark.once


def _enrol(app, name="Tablet balie"):
    """A coordinator makes a code; a fresh tablet (its own client) uses it."""
    coordinator = app.test_client()
    Auth(coordinator).login("coord@a.example")
    page = coordinator.post("/admin/devices", data={"branch": "2", "name": name})
    assert page.status_code == 200
    [code] = re.findall(
        r'<code class="token enrol-code">([^<]+)</code>', page.get_data(as_text=True)
    )
    tablet = app.test_client()
    response = tablet.post("/desk/enrol", data={"code": code.lower()})  # case is forgiven
    assert response.status_code == 302 and response.headers["Location"] == "/desk/"
    assert "HttpOnly" in response.headers["Set-Cookie"]
    return coordinator, tablet, code


def test_enrolled_tablet_logs_for_its_branch_without_an_account(org, app):
    _coordinator, tablet, code = _enrol(app)
    page = tablet.get("/desk/").get_data(as_text=True)
    assert "Vandaag in A Dorp" in page and "Balietablet: Tablet balie" in page
    data = form_fields(page, "/desk/")
    data["topics"] = ["digid"]
    assert tablet.post("/desk/", data=data).status_code == 302
    with app.app_context():
        [question] = questions()
        assert question.device.name == "Tablet balie" and question.logged_by_id is None
        assert question.branch.code == "a2"
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity == "question"))
        assert event.device_id == question.device_id and event.user_id is None
    page = tablet.get("/desk/").get_data(as_text=True)
    assert page.count('<td data-fill="who">uzelf</td>') == 2  # its own, and a new row's template
    assert "/edit" in page.split("data-today-rows")[1]  # in its row, not only the template
    # the code worked once
    assert app.test_client().post("/desk/enrol", data={"code": code}).status_code == 422


def test_tablet_cannot_leave_its_branch_or_open_other_pages(org, app):
    _coordinator, tablet, _code = _enrol(app)
    assert tablet.get("/desk/branch").get_data(as_text=True).count('type="radio"') == 1
    for path in ("/reports/", "/admin/", "/auth/profile", "/auth/profile/password"):
        assert tablet.get(path).status_code == 403, path
    assert tablet.post("/auth/profile/tokens").status_code == 403


def test_revoked_tablet_is_refused_at_once(org, app):
    coordinator, tablet, _code = _enrol(app)
    with app.app_context():
        device_id = db.session.scalar(db.select(DeskDevice.id))
    page = coordinator.get("/admin/devices").get_data(as_text=True)
    assert "in gebruik" in page
    assert coordinator.post(f"/admin/devices/{device_id}/revoke").status_code == 302
    response = tablet.get("/desk/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    with app.app_context():
        assert db.session.get(DeskDevice, device_id).revoked_at is not None


def test_wrong_or_expired_code_is_refused(org, app):
    from datetime import timedelta

    response = app.test_client().post("/desk/enrol", data={"code": "ABCD-EFGH"})
    assert response.status_code == 422
    assert any("niet (meer) geldig" in m for m in messages(response.get_data(as_text=True)))
    coordinator = app.test_client()
    Auth(coordinator).login("coord@a.example")
    page = coordinator.post("/admin/devices", data={"branch": "1", "name": "Oud"})
    [code] = re.findall(r'enrol-code">([^<]+)<', page.get_data(as_text=True))
    with app.app_context():
        device = db.session.scalar(db.select(DeskDevice))
        device.code_expires_at -= timedelta(hours=25)
        db.session.commit()
    assert app.test_client().post("/desk/enrol", data={"code": code}).status_code == 422


def test_coordinator_of_another_library_cannot_revoke(org, app):
    _enrol(app)
    other = app.test_client()
    Auth(other).login("coord@b.example")
    with app.app_context():
        device_id = db.session.scalar(db.select(DeskDevice.id))
    assert other.post(f"/admin/devices/{device_id}/revoke").status_code == 404
    assert "Tablet balie" not in other.get("/admin/devices").get_data(as_text=True)
    assert other.post("/admin/devices", data={"branch": "1", "name": "X"}).status_code == 422


def test_a_person_logging_in_on_a_tablet_is_themselves(org, app):
    _coordinator, tablet, _code = _enrol(app)
    Auth(tablet).login("vol@a.example")
    page = tablet.get("/desk/").get_data(as_text=True)
    assert "Vrijwilliger A1" in page and "Vandaag in A Centrum" in page
