"""One's own second factor from the profile (set-up, new recovery codes, turning it off), an
administrator's reset for a lost phone, and the audit trail of each."""

import re

import pytest

from ido.core.db import db
from ido.core.models import RecoveryCode, SecondFactor
from ido.core.organisation import second_factor

from .helpers import user
from .second_factor_helpers import COORD, STEP, T, code, events, with_factor

# plain reads and writes through the ORM, which other modules run on both databases: this
# module runs in one pass (`once`, tests/conftest.py)
pytestmark = pytest.mark.once

ADMIN = "admin@ido.example"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(second_factor, "clock", lambda: T)


def factor(app, email: str = COORD):
    with app.app_context():
        return db.session.get(SecondFactor, user(email).id)


def test_set_up_from_the_profile(app, org, client, auth):
    auth.login(COORD)
    profile = client.get("/auth/profile")
    assert "Twee-staps" in profile.text or "/auth/two-factor/setup" in profile.text
    page = client.get("/auth/two-factor/setup")
    assert page.status_code == 200
    assert 'role="img"' in page.text and "<title>" in page.text  # the QR code, named
    assert "style=" not in page.text.split("<svg", 1)[1].split("</svg>")[0]  # the CSP holds
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page.text)[1].replace(" ", "")
    again = client.get("/auth/two-factor/setup")  # a reload shows the same secret
    assert secret.replace(" ", "") in again.text.replace(" ", "")
    assert client.post("/auth/two-factor/setup", data={"code": "123456"}).status_code == 422
    assert factor(app) is None
    done = client.post("/auth/two-factor/setup", data={"code": code(0, secret)})
    assert done.status_code == 200 and done.text.count("<li><code>") == 10
    assert secret not in factor(app).secret  # stored sealed
    assert client.get("/auth/profile").status_code == 200  # this session goes on
    page = client.get("/auth/profile")
    assert "10" in page.text and "/auth/two-factor/off" in page.text
    assert client.get("/auth/two-factor/setup").status_code == 302  # on already
    assert [(e.action, e.changes) for e in events(app)] == [("create", {"recovery_codes": 10})]


def test_new_recovery_codes_end_the_old_ones(app, org, client, auth):
    old = with_factor(app)
    auth.login(COORD)
    client.post("/auth/code", data={"code": code(0)})
    url = "/auth/two-factor/recovery-codes"
    assert client.post(url, data={"codes-code": "x"}).status_code == 422
    reused = client.post(url, data={"codes-code": code(0)})
    assert reused.status_code == 422  # the code of the log-in, again
    page = client.post(url, data={"codes-code": code(1)})
    assert page.status_code == 200
    new = re.findall(r"<li><code>([a-z2-9-]{19})</code></li>", page.text)
    assert len(new) == 10 and not set(new) & set(old)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RecoveryCode)) == 10
        assert second_factor.verify(user(COORD), new[0]) == "recovery"
        with pytest.raises(second_factor.WrongCode):
            second_factor.verify(user(COORD), old[1])
    assert [e.changes for e in events(app, action="update")] == [{"recovery_codes": 10}]


def test_turning_off_needs_the_password_and_a_code(app, org, client, auth):
    with_factor(app)
    auth.login(COORD)
    client.post("/auth/code", data={"code": code(0)})
    url = "/auth/two-factor/off"
    assert client.post(url, data={"off-password": "wrong", "off-code": code(1)}).status_code == 422
    from .conftest import PASSWORD

    assert client.post(url, data={"off-password": PASSWORD, "off-code": ""}).status_code == 422
    seven = {"off-password": PASSWORD, "off-code": "1234567"}
    assert client.post(url, data=seven).status_code == 422
    assert factor(app) is not None
    response = client.post(url, data={"off-password": PASSWORD, "off-code": code(1)})
    assert response.status_code == 302 and factor(app) is None
    assert [e.action for e in events(app)] == ["create", "delete"]
    auth.logout()
    assert auth.login(COORD).headers["Location"] == "/"  # the password alone again


def test_a_role_that_requires_it_cannot_turn_it_off(app, org, client, auth):
    from .conftest import PASSWORD

    app.config["IDO_REQUIRE_2FA"] = "admin,coordinator"
    with_factor(app)
    auth.login(COORD)
    client.post("/auth/code", data={"code": code(0)})
    assert "/auth/two-factor/off" not in client.get("/auth/profile").text
    data = {"off-password": PASSWORD, "off-code": code(1)}
    assert client.post("/auth/two-factor/off", data=data).status_code == 422
    assert factor(app) is not None


def test_an_administrator_resets_a_lost_phone(app, org, client, auth):
    from .conftest import Auth

    with_factor(app)
    person = user_id(app, COORD)
    phone_owner = Auth(app.test_client())
    phone_owner.login(COORD)
    phone_owner.client.post("/auth/code", data={"code": code(0)})
    assert phone_owner.client.get("/reports/").status_code == 200
    auth.login("coord@b.example")  # a coordinator may not (not even of another library)
    assert client.post(f"/admin/people/{person}/second-factor/reset").status_code == 403
    auth.logout()
    auth.login(ADMIN)
    assert "second-factor/reset" in client.get(f"/admin/people/{person}").text
    response = client.post(f"/admin/people/{person}/second-factor/reset")
    assert response.status_code == 302 and factor(app) is None
    assert phone_owner.client.get("/reports/").status_code == 302  # their sessions ended
    reset = events(app, action="delete")
    assert [(e.user_id, e.changes) for e in reset] == [(user_id(app, ADMIN), {"reset": True})]
    again = client.post(f"/admin/people/{person}/second-factor/reset")  # none left to reset
    assert again.status_code == 302 and len(events(app, action="delete")) == 1
    own = client.post(f"/admin/people/{user_id(app, ADMIN)}/second-factor/reset")
    assert own.status_code == 302
    trail = client.get("/admin/audit?entity=second_factor")
    assert trail.status_code == 200 and "Coördinator A" in trail.text


def user_id(app, email: str) -> int:
    with app.app_context():
        return user(email).id


def test_the_audit_trail_names_each_event(app, org, client, auth):
    codes = with_factor(app)
    auth.login(COORD)
    client.post("/auth/code", data={"code": codes[0]})
    auth.logout()
    auth.login(ADMIN)
    page = client.get("/admin/audit?entity=second_factor")
    assert page.status_code == 200
    for words in ("Recovery code used", "Herstelcode gebruikt"):
        if words in page.text:
            break
    else:
        raise AssertionError("the use of a recovery code is not in the trail")
    assert STEP  # the clock of these tests
