"""The second factor at log-in: the code after the password, set-up when the role requires it,
replays, clock drift, recovery codes, throttling, and who is never asked."""

import re

import pytest

from ido.core.db import db
from ido.core.models import RecoveryCode, SecondFactor
from ido.core.organisation import second_factor
from ido.core.organisation.second_factor import matching_step, verify

from .conftest import Auth
from .helpers import user
from .second_factor_helpers import COORD, SECRET, STEP, T, code, events, with_factor

# plain reads and writes through the ORM, which other modules run on both databases: this
# module runs in one pass (`once`, tests/conftest.py)
pytestmark = pytest.mark.once


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(second_factor, "clock", lambda: T)


def last_step(app, email: str = COORD):
    with app.app_context():
        return db.session.get(SecondFactor, user(email).id).last_step


def test_codes_of_the_neighbouring_steps_are_taken_and_three_steps_away_not(app):
    step = STEP
    assert matching_step(SECRET, code(0), None, T) == step
    assert matching_step(SECRET, code(-1), None, T) == step - 1
    assert matching_step(SECRET, code(1), None, T) == step + 1
    assert matching_step(SECRET, code(3), None, T) is None
    assert matching_step(SECRET, code(-3), None, T) is None
    assert matching_step(SECRET, code(0), step, T) is None  # used already
    assert matching_step(SECRET, code(-1), step, T) is None  # older than the last used
    for typed in ("", "12345", "1234567", "abcdef", "12 34 5a"):
        assert matching_step(SECRET, typed, None, T) is None
    assert matching_step(SECRET, " " + code(0)[:3] + " " + code(0)[3:], None, T) == step


def test_log_in_asks_for_the_code_and_only_then_logs_in(app, org, client, auth):
    with_factor(app)
    response = auth.login(COORD, query_string={"next": "/reports/"})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/code"
    assert client.get("/reports/").status_code == 302  # not logged in yet
    page = client.get("/auth/code")
    assert page.status_code == 200 and 'autocomplete="one-time-code"' in page.text
    response = client.post("/auth/code", data={"code": code(1)})
    assert response.status_code == 302 and response.headers["Location"] == "/reports/"
    assert client.get("/reports/").status_code == 200
    assert last_step(app) == matching_step(SECRET, code(1), None, T)


def test_a_code_is_taken_once(app, org, client, auth):
    with_factor(app)
    auth.login(COORD)
    assert client.post("/auth/code", data={"code": code(0)}).status_code == 302
    auth.logout()
    auth.login(COORD)
    replayed = client.post("/auth/code", data={"code": code(0)})
    assert replayed.status_code == 422 and "al gebruikt" in replayed.text
    assert client.post("/auth/code", data={"code": code(-1)}).status_code == 422  # older
    assert client.post("/auth/code", data={"code": code(3)}).status_code == 422  # too far
    assert client.post("/auth/code", data={"code": code(1)}).status_code == 302  # next step


def test_a_recovery_code_works_once(app, org, client, auth):
    codes = with_factor(app)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", c) for c in codes)
    auth.login(COORD)
    typed = codes[3].upper().replace("-", " ")  # as read aloud or typed from paper
    assert client.post("/auth/code", data={"code": typed}).status_code == 302
    auth.logout()
    auth.login(COORD)
    assert client.post("/auth/code", data={"code": codes[3]}).status_code == 422
    with app.app_context():
        left = db.session.scalar(db.select(db.func.count()).where(RecoveryCode.used_at.is_(None)))
        assert left == 9
    used = events(app, action="update")
    assert [e.changes for e in used] == [{"recovery_code_used": True, "recovery_codes_left": 9}]


HALF_WAY_PAGES = [
    "/",
    "/desk/",
    "/desk/mine",
    "/reports/",
    "/reports/monthly.csv",
    "/admin/",
    "/admin/people",
    "/admin/audit",
    "/auth/profile",
    "/auth/profile/password",
    "/auth/two-factor/setup",
]


def _refused(client, path: str) -> bool:
    response = client.get(path)
    return response.status_code in (401, 403) or (
        response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    )


def test_halfway_reaches_no_other_page(app, org, client, auth):
    with_factor(app)
    auth.login(COORD)
    for path in HALF_WAY_PAGES:
        assert _refused(client, path), path
    assert client.get("/api/v1/taxonomy").status_code == 401
    assert client.post("/api/v1/questions", json={"topics": ["digid"]}).status_code in (401, 403)
    assert client.post("/auth/code", data={"code": code(0)}).status_code == 302  # still halfway


def test_halfway_ends_after_a_few_minutes(app, org, client, auth):
    with_factor(app)
    auth.login(COORD)
    with client.session_transaction() as session:
        session["pending_login"] = {**session["pending_login"], "until": 0}
    response = client.post("/auth/code", data={"code": code(0)})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert "duurde te lang" in client.get("/auth/login").text
    assert last_step(app) == STEP - 2  # nothing taken


def test_a_new_password_elsewhere_ends_the_halfway_log_in(app, org, client, auth):
    with_factor(app)
    auth.login(COORD)
    with app.app_context():
        user(COORD).session_version += 1
        db.session.commit()
    assert client.post("/auth/code", data={"code": code(0)}).status_code == 302
    assert client.get("/desk/").status_code == 302


def test_wrong_codes_count_with_wrong_passwords(app, org, client, auth):
    app.config["IDO_LOGIN_LIMIT_ACCOUNT"] = "5 per minute"
    with_factor(app)
    for _ in range(3):
        assert auth.login(COORD, password="not the password").status_code == 200
    auth.login(COORD)
    for _ in range(2):
        assert client.post("/auth/code", data={"code": "000000"}).status_code == 422
    assert client.post("/auth/code", data={"code": code(0)}).status_code == 429
    assert auth.login(COORD).status_code == 429  # the password too: one count
    other = Auth(app.test_client())
    assert other.login("coord@b.example").status_code == 302  # another account is not held


@pytest.mark.parametrize(
    "typed", ["", "1234567", "abcdef", "12345", "x" * 41, "12\x003456", "٣٤٥٦٧٨"]
)
def test_bad_codes_are_refused_and_change_nothing(app, org, client, auth, typed):
    with_factor(app)
    auth.login(COORD)
    before = len(events(app))
    response = client.post("/auth/code", data={"code": typed})
    assert response.status_code == 422
    assert last_step(app) == STEP - 2
    assert len(events(app)) == before
    assert client.get("/desk/").status_code == 302


def test_a_huge_body_is_refused(app, org, client, auth):
    with_factor(app)
    auth.login(COORD)
    assert client.post("/auth/code", data={"code": "1" * (1024 * 1024 + 1)}).status_code == 413
    assert client.post("/auth/two-factor/setup", data={"code": "1" * 2**20}).status_code == 413
    assert last_step(app) == STEP - 2


def test_a_required_role_is_sent_to_set_up_and_passes_nothing_until_done(app, org, client, auth):
    app.config["IDO_REQUIRE_2FA"] = "admin"
    response = auth.login("admin@ido.example", query_string={"next": "/admin/libraries"})
    assert response.headers["Location"] == "/auth/two-factor/setup"
    for path in HALF_WAY_PAGES[:-1]:
        assert _refused(client, path), path
    assert client.get("/auth/code").headers["Location"] == "/auth/login"  # no skipping
    auth.login("admin@ido.example")
    page = client.get("/auth/two-factor/setup")
    assert page.status_code == 200 and "<svg" in page.text
    secret = re.search(r'<code class="token" id="secret">([A-Z2-7 ]+)</code>', page.text)[1]
    secret = secret.replace(" ", "")
    wrong = client.post("/auth/two-factor/setup", data={"code": code(5, secret)})
    assert wrong.status_code == 422
    with app.app_context():
        assert db.session.get(SecondFactor, user("admin@ido.example").id) is None
    done = client.post("/auth/two-factor/setup", data={"code": code(0, secret)})
    assert done.status_code == 200
    assert len(re.findall(r"<li><code>[a-z2-9-]{19}</code></li>", done.text)) == 10
    assert client.get("/admin/libraries").status_code == 200
    assert [e.action for e in events(app)] == ["create"]


def test_volunteers_are_never_asked(app, org, client, auth):
    app.config["IDO_REQUIRE_2FA"] = "admin,coordinator"
    assert auth.login("vol@a.example").headers["Location"] == "/"
    assert client.get("/desk/").status_code == 200
    assert client.get("/auth/two-factor/setup").status_code == 403


def test_desk_tablets_and_api_tokens_are_not_asked(app, org, client):
    from ido.core.organisation.devices import enrol_device
    from ido.core.organisation.tokens import create_token

    from .helpers import branch

    app.config["IDO_REQUIRE_2FA"] = "admin,coordinator"
    with_factor(app)
    with app.app_context():
        _device, enrol_code = enrol_device(branch("a1"), "balie", user(COORD))
        _token, plaintext = create_token(user("admin@ido.example"), "script")
        db.session.commit()
    tablet = app.test_client()
    assert tablet.post("/desk/enrol", data={"code": enrol_code}).status_code == 302
    assert tablet.get("/desk/").status_code == 200
    headers = {"Authorization": f"Bearer {plaintext}"}
    assert client.get("/api/v1/taxonomy", headers=headers).status_code == 200


def test_the_setting_is_checked_at_start(database_url):
    from ido import create_app

    from .conftest import dispose, make_config

    config = make_config(database_url)
    del config["IDO_REQUIRE_2FA"]
    app = create_app(config)
    assert app.config["IDO_REQUIRE_2FA"] == "admin"  # the default
    with app.app_context():
        assert second_factor.required_roles() == {"admin"}
    dispose(app)
    for value in ("admin, coordinator", "none", "coordinator"):
        dispose(create_app(make_config(database_url, IDO_REQUIRE_2FA=value)))
    with pytest.raises(RuntimeError, match="IDO_REQUIRE_2FA"):
        create_app(make_config(database_url, IDO_REQUIRE_2FA="admins"))


def test_a_new_secret_key_needs_a_recovery_code_unless_the_old_one_is_a_fallback(app, org):
    codes = with_factor(app)
    old = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "another-secret-of-at-least-thirty-two-chars"
    with app.app_context():
        person = user(COORD)
        with pytest.raises(second_factor.WrongCode):
            verify(person, code(0))
        app.config["SECRET_KEY_FALLBACKS"] = [old]
        assert verify(person, code(0)) == "app"
        db.session.commit()
        app.config["SECRET_KEY_FALLBACKS"] = []
        assert verify(person, code(1)) == "app"  # sealed again with the new key
        app.config["SECRET_KEY"] = "a-third-secret-of-at-least-thirty-two-chars"
        assert verify(person, codes[0]) == "recovery"
