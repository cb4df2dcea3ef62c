"""Authorisation matrix: every route of the URL map × every role × own/other library.

A route without a rule here fails the suite, so no new page goes out unchecked.
"""

import pytest

from ido.core.db import db
from ido.core.models import Agency
from ido.core.organisation.tokens import create_token

from .helpers import branch, user

ROLES = {
    "anonymous": None,
    "volunteer": "vol@a.example",  # works at branch a1, where the question lives
    "volunteer_other": "vol@b.example",  # another library
    "coordinator": "coord@a.example",
    "coordinator_other": "coord@b.example",
    "admin": "admin@ido.example",
    "device": "tablet",  # a desk tablet enrolled for branch a1 of library A
}
EVERYONE = set(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
PEOPLE = LOGGED_IN - {"device"}
OWN = {"volunteer", "coordinator", "admin"}  # may touch the question in library A
MANAGERS = {"coordinator", "coordinator_other", "admin"}
TOKEN_OWNER = {"coordinator"}
OWN_MANAGERS = {"coordinator", "admin"}  # manage library A's branch a1 and its volunteer

# endpoint: (method, path, roles allowed). {question} is a question at a1 logged by the
# volunteer a minute ago; {token} is an API token of the coordinator of library A.
RULES = {
    "static": ("GET", "/static/css/ido.css", EVERYONE),
    "main.index": ("GET", "/", EVERYONE),
    "main.language": ("POST", "/language", EVERYONE),
    "main.privacy": ("GET", "/privacy", EVERYONE),
    "main.accessibility": ("GET", "/toegankelijkheid", EVERYONE),
    "main.healthz": ("GET", "/healthz", EVERYONE),
    "auth.login": ("GET", "/auth/login", EVERYONE),
    "auth.logout": ("POST", "/auth/logout", LOGGED_IN),
    "auth.profile": ("GET", "/auth/profile", PEOPLE),
    "auth.make_token": ("POST", "/auth/profile/tokens", PEOPLE),
    "auth.revoke": ("POST", "/auth/profile/tokens/{token}/revoke", TOKEN_OWNER),
    "desk.index": ("GET", "/desk/", LOGGED_IN),
    "desk.quick": ("POST", "/desk/quick", LOGGED_IN),
    "desk.mode": ("POST", "/desk/mode", LOGGED_IN),
    "desk.choose_branch": ("GET", "/desk/branch", LOGGED_IN),
    "desk.mine": ("GET", "/desk/mine", LOGGED_IN),
    # {partner} has contact details: its slip, at a desk of library A
    "desk.slip": ("GET", "/desk/slip/{partner}", OWN | {"device"}),
    "desk.csrf": ("GET", "/desk/csrf", LOGGED_IN),
    "desk.service_worker": ("GET", "/desk/sw.js", EVERYONE),  # holds nothing of anyone's
    "desk.manifest": ("GET", "/desk/manifest.webmanifest", EVERYONE),
    "desk.paper": ("GET", "/desk/paper", LOGGED_IN),
    "desk.paper_done": ("POST", "/desk/paper/done", LOGGED_IN),
    "desk.edit": ("GET", "/desk/questions/{question}/edit", OWN),
    "desk.delete": ("POST", "/desk/questions/{question}/delete", OWN),
    "reports.index": ("GET", "/reports/", MANAGERS),
    "reports.national": ("GET", "/reports/national", MANAGERS),
    "reports.questions": ("GET", "/reports/questions", MANAGERS),
    "reports.monthly_csv": ("GET", "/reports/monthly.csv", MANAGERS),
    "reports.monthly_xlsx": ("GET", "/reports/monthly.xlsx", MANAGERS),
    "reports.questions_csv": ("GET", "/reports/questions.csv", MANAGERS),
    "reports.municipality": ("GET", "/reports/municipality", MANAGERS),
    # an unknown municipality: 422 for those who may ask, without making a PDF each time
    "reports.municipality_pdf": ("GET", "/reports/municipality.pdf?municipality=x", MANAGERS),
    "admin.index": ("GET", "/admin/", MANAGERS),
    "admin.audit": ("GET", "/admin/audit", MANAGERS),
    "admin.branches": ("GET", "/admin/branches", MANAGERS),
    "admin.libraries": ("GET", "/admin/libraries", {"admin"}),
    "admin.national_form": ("GET", "/admin/national-form", {"admin"}),
    "admin.categories": ("GET", "/admin/categories/agency", MANAGERS),
    # {partner} is a local partner of library A; shared ones are for administrators only
    "admin.category": ("GET", "/admin/categories/agency/{partner}", OWN_MANAGERS),
    "admin.contact": ("GET", "/admin/categories/agency/{partner}/contact", OWN_MANAGERS),
    "admin.library": ("GET", "/admin/libraries/{library}", {"admin"}),
    "admin.work_accounts": ("GET", "/admin/libraries/{library}/work-accounts", {"admin"}),
    "admin.remove_work_accounts": (
        "POST",
        "/admin/libraries/{library}/work-accounts/remove",
        {"admin"},
    ),
    "admin.branch": ("GET", "/admin/branches/{branch}", OWN_MANAGERS),
    "admin.branch_desk": ("GET", "/admin/branches/{branch}/desk", OWN_MANAGERS),
    "admin.people": ("GET", "/admin/people", MANAGERS),
    "admin.person": ("GET", "/admin/people/{person}", OWN_MANAGERS),
    "admin.password_link": ("POST", "/admin/people/{person}/password-link", OWN_MANAGERS),
    "auth.set_password": ("GET", "/auth/set-password/{password_token}", EVERYONE),
    # a work account's sign-in: anyone may start one (422 without an address) and come back
    # (400 without one under way)
    "auth.work_account": ("POST", "/auth/work-account", EVERYONE),
    "auth.work_account_callback": ("GET", "/auth/work-account/callback", EVERYONE),
    "auth.own_password": ("GET", "/auth/profile/password", PEOPLE),
    # the second step of a log-in: without one halfway, it sends to the log-in page
    "auth.second_step": ("GET", "/auth/code", EVERYONE),
    "auth.setup_second_factor": ("GET", "/auth/two-factor/setup", MANAGERS),
    "auth.new_codes": ("POST", "/auth/two-factor/recovery-codes", MANAGERS),
    "auth.turn_off": ("POST", "/auth/two-factor/off", MANAGERS),
    "admin.reset_second_factor": ("POST", "/admin/people/{person}/second-factor/reset", {"admin"}),
    "desk.enrol": ("GET", "/desk/enrol", EVERYONE),
    "admin.devices": ("GET", "/admin/devices", MANAGERS),
    "admin.revoke": ("POST", "/admin/devices/{device}/revoke", OWN_MANAGERS),
    "api.openapi_document": ("GET", "/api/v1/openapi.json", EVERYONE),
    "api.taxonomy": ("GET", "/api/v1/taxonomy", LOGGED_IN),
    "api.create_question": ("POST", "/api/v1/questions", LOGGED_IN),
    "api.create_questions": ("POST", "/api/v1/batch/questions", LOGGED_IN),
    "api.list_questions": ("GET", "/api/v1/questions", LOGGED_IN),
    "api.remove_question": ("DELETE", "/api/v1/questions/{question}", OWN),
    "api.counts": ("GET", "/api/v1/counts", LOGGED_IN),
    # {activity} is a spreekuur at a1 of library A, {session} its session of today
    "admin.activities": ("GET", "/admin/activities", MANAGERS),
    "admin.activity": ("GET", "/admin/activities/{activity}", OWN_MANAGERS),
    "admin.cancel": ("POST", "/admin/sessions/{session}/cancel", OWN_MANAGERS),
    "admin.move": ("GET", "/admin/sessions/{session}/move", OWN_MANAGERS),
    "admin.attendance": ("POST", "/admin/sessions/{session}/attendance", OWN_MANAGERS),
    "desk.attendance": ("POST", "/desk/sessions/{session}/attendance", OWN | {"device"}),
    "reports.activities": ("GET", "/reports/activities", MANAGERS),
    "reports.dismiss": ("POST", "/reports/quiet/{branch}/dismiss", OWN_MANAGERS),
    "reports.activities_csv": ("GET", "/reports/activities.csv", MANAGERS),
    "reports.activities_xlsx": ("GET", "/reports/activities.xlsx", MANAGERS),
    "api.list_sessions": ("GET", "/api/v1/sessions", LOGGED_IN),
    "api.put_attendance": ("PUT", "/api/v1/sessions/{session}/attendance", OWN | {"device"}),
    "api.figures": ("GET", "/api/v1/activities/figures", LOGGED_IN),
}


# A refusal says as little as it can: another library's item, or another person's token, is
# answered as if it did not exist (404); a route the role may not use at all is 403; someone not
# logged in is sent to log in (the API answers 401).
SAME_ROLE_ELSEWHERE = {"volunteer_other": "volunteer", "coordinator_other": "coordinator"}
ONE_PERSONS = {"auth.revoke"}  # a token: its owner's alone


def _refusal(endpoint: str, path: str, role: str, allowed: set) -> int:
    """The one status a refused request gets (302 stands for: sent to log in, with ?next=)."""
    if role == "anonymous":
        return 401 if path.startswith("/api/") else 302
    if SAME_ROLE_ELSEWHERE.get(role) in allowed or (endpoint in ONE_PERSONS and role in PEOPLE):
        return 404
    return 403


# Routes that delete, revoke or replace the item they are given (a new password link ends the
# earlier ones): they run last, each on items of their own.
USES_UP = {
    "desk.delete",
    "api.remove_question",
    "auth.revoke",
    "admin.revoke",
    "admin.password_link",
}


def test_every_route_has_a_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(RULES) == set(), "routes without an authorisation rule"
    assert set(RULES) - endpoints == set(), "rules for routes that no longer exist"


def _partner_of_library_a() -> str:
    from ido.core.taxonomy import save_category

    code = f"partner-{db.session.scalar(db.select(db.func.count()).select_from(Agency))}"
    values = {
        "code": code,
        "name_nl": "Partner A",
        "name_en": "Partner A",
        "kind": "partner",
        "library_id": branch("a1").library_id,
    }
    from ido.core.taxonomy.contacts import save_contact

    partner = save_category("agency", None, values, branch("a1").library_id)
    save_contact(partner, branch("a1").library_id, {"phone": "14 030"}, None)
    return partner.code


def _spreekuur_of_library_a() -> dict:
    from datetime import time

    from ido.core.activities import ActivityData, Rule, save_activity
    from ido.core.models import ActivityKind
    from ido.core.timeutil import now_local

    kind = db.session.scalar(db.select(ActivityKind).where(ActivityKind.code == "ido_spreekuur"))
    rule = Rule("once", now_local().date())
    activity = save_activity(ActivityData(branch("a1"), kind, rule, time(9), time(10)), None)
    return {"activity": activity.id, "session": activity.sessions[0].id}


def _fresh_ids(app) -> dict:
    """A question at a1 saved just now by the volunteer, and a token of coordinator A."""
    from datetime import UTC, datetime

    from .helpers import store_question

    with app.app_context():
        question = store_question("a1", datetime.now(UTC), ["digid"])
        question.logged_by = user("vol@a.example")
        token, _plaintext = create_token(user("coord@a.example"), "matrix")
        db.session.commit()
        from ido.core.organisation.devices import enrol_device
        from ido.core.organisation.passwords import make_password_link

        from .helpers import branch

        device, _code = enrol_device(branch("a1"), "matrix", user("coord@a.example"))
        ids = {
            "question": question.id,
            "token": token.id,
            "branch": branch("a1").id,
            "device": device.id,
            "library": branch("a1").library_id,
            "person": user("vol@a.example").id,
            "password_token": make_password_link(user("vol@a.example"), None),
            "partner": _partner_of_library_a(),
            **_spreekuur_of_library_a(),
        }
        db.session.commit()
        return ids


@pytest.mark.once  # who may do what is decided in Python; the scoped queries run on both
@pytest.mark.parametrize("role", list(ROLES))
def test_matrix(app, org, role, client, auth):
    if role == "device":
        from ido.core.organisation.devices import activate, enrol_device

        from .helpers import branch

        with app.app_context():
            code = enrol_device(branch("a1"), "tablet", user("coord@a.example"))[1]
            client.set_cookie("ido_desk", activate(code)[1])
            db.session.commit()
    elif ROLES[role]:
        assert auth.login(ROLES[role]).status_code == 302
    failures = []
    shared = _fresh_ids(app)  # once per role; a route that uses its item up gets its own
    for endpoint, (method, path, allowed) in sorted(
        RULES.items(), key=lambda rule: rule[0] in USES_UP
    ):
        ids = _fresh_ids(app) if endpoint in USES_UP else shared
        response = client.open(path.format(**ids), method=method)
        response.close()  # static files are streamed from an open file
        # a refusal sends to the log-in page with ?next=; "/" and log-out send there plainly
        to_login = response.status_code == 302 and response.headers["Location"].startswith(
            "/auth/login?next="
        )
        refused = response.status_code in (401, 403, 404) or to_login
        if role in allowed and refused:
            failures.append(f"{method} {path}: {response.status_code} for {role}, allowed")
        expected = None if role in allowed else _refusal(endpoint, path, role, allowed)
        if expected is not None and (response.status_code != expected or not refused):
            got = response.headers.get("Location", response.status_code)
            failures.append(f"{method} {path}: {got} for {role}, expected {expected}")
        if endpoint in ("auth.logout",) and role in allowed and role != "device":
            auth.login(ROLES[role])
    assert failures == []
