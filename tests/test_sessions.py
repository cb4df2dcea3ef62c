"""Sessions end when they should: log-out ends them on every device; so do a new password,
a role change, deactivation (also after reactivation) and a deactivated library. And the app
refuses to start with a secret key anyone could know."""

import pytest

from ido import create_app
from ido.core.db import db
from ido.core.models import Library
from ido.core.organisation.tokens import create_token

from .api_client import Api
from .conftest import PASSWORD, Auth, make_config
from .helpers import branch, committed, user

# plain reads and writes through the ORM, which other modules run on both databases: this
# module runs in one pass (`once`, tests/conftest.py)
pytestmark = pytest.mark.once


def _logged_in(app, email: str):
    client = app.test_client()
    response = Auth(client).login(email)
    assert response.status_code == 302
    assert client.get("/desk/branch").status_code == 200
    return client


def _ended(client) -> bool:
    response = client.get("/desk/branch")
    return response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_log_out_ends_the_session_on_every_device(org, app):
    desk_pc, phone = _logged_in(app, "vol@a.example"), _logged_in(app, "vol@a.example")
    assert desk_pc.post("/auth/logout").status_code == 302
    assert _ended(desk_pc) and _ended(phone)
    assert not _ended(_logged_in(app, "vol@a.example"))  # logging in again works


def test_a_new_password_ends_the_other_sessions_but_not_this_one(org, app):
    here, elsewhere = _logged_in(app, "vol@a.example"), _logged_in(app, "vol@a.example")
    new = "een nieuw en lang wachtwoord voor de balie"
    response = here.post("/auth/profile/password", data={"current": PASSWORD, "password": new})
    assert response.status_code == 302
    assert _ended(elsewhere) and not _ended(here)


def test_a_password_link_ends_every_session(org, app):
    from ido.core.organisation.passwords import make_password_link

    elsewhere = _logged_in(app, "vol@a.example")
    with app.app_context():
        token = committed(make_password_link(user("vol@a.example"), None))
    new = "een nieuw en lang wachtwoord voor de balie"
    response = app.test_client().post(f"/auth/set-password/{token}", data={"password": new})
    assert response.status_code == 302
    assert _ended(elsewhere)


@pytest.mark.parametrize("change", ["role", "deactivate_and_back"])
def test_role_change_or_deactivation_ends_sessions(org, app, change):
    volunteer = _logged_in(app, "vol@a.example")
    coordinator = _logged_in(app, "coord@a.example")
    with app.app_context():
        person = user("vol@a.example").id
    form = {"name": "Vrijwilliger A1", "role": "volunteer", "branches": ["a1"], "active": "y"}
    if change == "role":
        form["role"] = "coordinator"
        assert coordinator.post(f"/admin/people/{person}", data=form).status_code == 302
    else:
        off = {k: v for k, v in form.items() if k != "active"}
        assert coordinator.post(f"/admin/people/{person}", data=off).status_code == 302
        assert coordinator.post(f"/admin/people/{person}", data=form).status_code == 302
    assert _ended(volunteer)  # the old cookie does not come back to life
    assert not _ended(coordinator)


def _token_of(app, email: str) -> str:
    with app.app_context():
        return committed(create_token(user(email), "made before")[1])


def _answers(app, token: str) -> int:
    return Api(app.test_client(), token).get("/api/v1/taxonomy").status_code


@pytest.mark.parametrize(
    "change", ["password", "password_link", "role", "deactivate_and_back", "deactivate_command"]
)
def test_a_password_role_or_deactivation_ends_api_tokens_for_good(org, app, runner, change):
    """A token an intruder made keeps no access after the owner's new password; a token made
    for one role does not act in another; reactivating a person revives none of them."""
    token, other = _token_of(app, "coord@a.example"), _token_of(app, "coord@b.example")
    assert _answers(app, token) == 200
    new = "een nieuw en lang wachtwoord voor de balie"
    if change == "password":
        here = _logged_in(app, "coord@a.example")
        form = {"current": PASSWORD, "password": new}
        assert here.post("/auth/profile/password", data=form).status_code == 302
    elif change == "password_link":
        from ido.core.organisation.passwords import make_password_link

        with app.app_context():
            link = committed(make_password_link(user("coord@a.example"), None))
        form = {"password": new}
        assert app.test_client().post(f"/auth/set-password/{link}", data=form).status_code == 302
    else:
        admin = _logged_in(app, "admin@ido.example")
        with app.app_context():
            person = user("coord@a.example").id
        form = {"name": "Coördinator A", "role": "coordinator", "active": "y"}
        if change == "role":
            form["role"] = "volunteer"
            form["branches"] = ["a1"]
            assert admin.post(f"/admin/people/{person}", data=form).status_code == 302
        else:
            if change == "deactivate_command":
                assert runner.invoke(args=["deactivate-user", "coord@a.example"]).exit_code == 0
            else:
                off = {k: v for k, v in form.items() if k != "active"}
                assert admin.post(f"/admin/people/{person}", data=off).status_code == 302
            assert admin.post(f"/admin/people/{person}", data=form).status_code == 302
            with app.app_context():
                assert user("coord@a.example").may_log_in  # active again
    assert _answers(app, token) == 401
    assert _answers(app, other) == 200  # another person's token goes on
    assert _answers(app, _token_of(app, "coord@a.example")) == 200  # a new one works


def test_a_deactivated_library_ends_its_sessions_tokens_and_tablets(org, app):
    from ido.core.organisation.devices import activate, enrol_device

    volunteer = _logged_in(app, "vol@a.example")
    with app.app_context():
        token = committed(create_token(user("coord@a.example"), "t")[1])
        code = enrol_device(branch("a1"), "tablet", user("coord@a.example"))[1]
        secret = committed(activate(code)[1])
        db.session.scalar(db.select(Library).where(Library.code == "lib-a")).active = False
        db.session.commit()
    assert _ended(volunteer)
    refused = Auth(app.test_client()).login("vol@a.example")
    assert refused.status_code == 200 and "klopt niet" in refused.get_data(as_text=True)
    assert Api(app.test_client(), token).get("/api/v1/taxonomy").status_code == 401
    tablet = app.test_client()
    tablet.set_cookie("ido_desk", secret)
    assert tablet.get("/desk/").status_code == 302
    assert not _ended(_logged_in(app, "vol@b.example"))  # the other library goes on


@pytest.mark.once
@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "kort",
        "x" * 31,
        "replace me with: python3 -c 'import secrets; print(secrets.token_hex(32))'",
    ],
)
def test_the_app_refuses_a_secret_key_anyone_could_know(key):
    with pytest.raises(RuntimeError, match="SECRET_KEY is missing, shorter than 32"):
        create_app({**make_config("sqlite://"), "SECRET_KEY": key})
