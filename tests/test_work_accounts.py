"""Signing in with a work account, against a real OpenID Connect provider (tests/oidc/) and the
app served on a port: the happy path, and every way it must fail (a 4xx page, nobody logged
in, nothing changed)."""

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from ido.core.db import db
from ido.core.exceptions import ServiceError
from ido.core.models import AuditEvent, Library, User
from ido.core.organisation.work_accounts import (
    WorkAccountRefused,
    client_secret,
    match_person,
    provider_of,
    remove_provider,
    set_provider,
)

from .oidc_provider import SECRET

ENGLISH = {"Accept-Language": "en"}


def give_provider(
    app, issuer, client_id="ido", required=False, library="lib-a", domains="a.example"
):
    with app.app_context():
        lib = db.session.scalar(db.select(Library).where(Library.code == library))
        set_provider(lib, issuer, client_id, SECRET, domains, "email_verified", required, None)
        db.session.commit()


@pytest.fixture
def provided(org, oidc_provider):
    """Library A signs in with the test provider, which vouches for a.example."""
    give_provider(org, oidc_provider.issuer)
    return org


def english() -> requests.Session:
    browser = requests.Session()
    browser.headers.update(ENGLISH)
    return browser


def start(browser: requests.Session, app_url: str, email: str) -> requests.Response:
    """Post the work e-mail address on the log-in page; the answer sends to the provider."""
    return browser.post(
        f"{app_url}/auth/work-account", data={"work-email": email}, allow_redirects=False
    )


def at_provider(browser: requests.Session, url: str, login: str, app_url: str) -> str:
    """Sign in at the provider as `login`; the address it sends back to the app (not
    followed)."""
    for _ in range(10):
        response = browser.get(url, allow_redirects=False)
        if response.status_code == 200 and 'name="login"' in response.text:
            action = re.search(r'action="([^"]+)"', response.text)[1]
            response = browser.post(
                urljoin(url, action), data={"login": login}, allow_redirects=False
            )
        assert response.status_code in (302, 303), response.text[:500]
        url = urljoin(url, response.headers["Location"])
        if url.startswith(app_url):
            return url
    raise AssertionError("the provider never sent back")


def sign_in(app_url: str, email: str, login: str | None = None):
    """A whole sign-in with a plain HTTP client: its session and the app's last answer."""
    browser = english()
    response = start(browser, app_url, email)
    assert response.status_code == 302, response.text[:500]
    callback = at_provider(browser, response.headers["Location"], login or email, app_url)
    return browser, browser.get(callback, allow_redirects=False)


def logged_in(browser: requests.Session, app_url: str) -> bool:
    return browser.get(f"{app_url}/auth/profile", allow_redirects=False).status_code == 200


def audit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))


def test_a_person_signs_in_with_their_work_account(provided, app_url):
    browser = english()
    response = start(browser, app_url, "Vol@A.example")
    assert response.status_code == 302
    sent = parse_qs(urlsplit(response.headers["Location"]).query)
    assert sent["code_challenge_method"] == ["S256"] and sent["code_challenge"][0]
    assert sent["state"][0] and sent["nonce"][0] and sent["login_hint"] == ["vol@a.example"]
    before = browser.cookies.get("session")
    callback = at_provider(browser, response.headers["Location"], "vol@a.example", app_url)
    answer = browser.get(callback, allow_redirects=False)
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert browser.cookies.get("session") != before  # a new session
    assert "Vrijwilliger A1" in browser.get(f"{app_url}/auth/profile").text
    with provided.app_context():
        event = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.action, event.entity, event.changes) == (
            "login",
            "user",
            {"method": "work account"},
        )


def refused(app, browser, answer, status, text):
    """A page that says why, nobody logged in."""
    assert answer.status_code == status, answer.text[:500]
    assert text in answer.text
    assert "Back to the log-in page" in answer.text or "Terug naar" in answer.text


def test_a_wrong_state_is_refused(provided, app_url):
    events = audit_count(provided)
    browser = english()
    response = start(browser, app_url, "vol@a.example")
    callback = at_provider(browser, response.headers["Location"], "vol@a.example", app_url)
    answer = browser.get(re.sub(r"state=[^&]+", "state=forged", callback))
    refused(provided, browser, answer, 400, "expired or is not yours")
    assert not logged_in(browser, app_url)
    assert browser.get(callback).status_code == 400  # the sign-in under way ended with it
    assert not logged_in(browser, app_url) and audit_count(provided) == events


def test_a_replayed_code_is_refused(provided, app_url):
    browser, answer = sign_in(app_url, "vol@a.example")
    assert answer.status_code == 302
    first_callback = answer.request.url
    code = parse_qs(urlsplit(first_callback).query)["code"][0]
    events = audit_count(provided)
    thief = english()  # someone who copied the address, with a sign-in of their own
    response = start(thief, app_url, "vol@a.example")
    state = parse_qs(urlsplit(response.headers["Location"]).query)["state"][0]
    answer = thief.get(f"{app_url}/auth/work-account/callback?code={code}&state={state}")
    refused(provided, thief, answer, 401, "did not sign you in")
    assert not logged_in(thief, app_url) and audit_count(provided) == events
    assert thief.get(first_callback).status_code == 400  # nothing pending any more


@pytest.mark.parametrize("client", ["ido-audience", "ido-expired"])
def test_a_token_for_another_audience_or_expired_is_refused(org, oidc_provider, app_url, client):
    give_provider(org, oidc_provider.issuer, client_id=client)
    events = audit_count(org)
    browser, answer = sign_in(app_url, "vol@a.example")
    refused(org, browser, answer, 401, "did not sign you in")
    assert not logged_in(browser, app_url) and audit_count(org) == events


@pytest.mark.parametrize(
    "login",
    [
        "vol@b.example",  # another library's person, of a domain this provider does not vouch for
        "stranger@a.example",  # nobody of that address in the app
        "vol2@a.example",  # the provider does not say the address is verified
    ],
)
def test_a_person_the_library_does_not_know_is_refused(provided, app_url, login):
    events = audit_count(provided)
    browser, answer = sign_in(app_url, "vol@a.example", login=login)
    refused(provided, browser, answer, 403, "does not give access")
    assert not logged_in(browser, app_url) and audit_count(provided) == events


def test_a_deactivated_person_or_library_is_refused(provided, app_url):
    with provided.app_context():
        db.session.scalar(db.select(User).where(User.email == "vol@a.example")).active = False
        db.session.commit()
    browser, answer = sign_in(app_url, "vol@a.example")
    refused(provided, browser, answer, 403, "does not give access")
    assert not logged_in(browser, app_url)
    browser = english()
    response = start(browser, app_url, "coord@a.example")
    with provided.app_context():
        db.session.scalar(db.select(Library).where(Library.code == "lib-a")).active = False
        db.session.commit()
    callback = at_provider(browser, response.headers["Location"], "coord@a.example", app_url)
    refused(provided, browser, browser.get(callback), 403, "does not give access")
    assert not logged_in(browser, app_url)
    answer = start(english(), app_url, "coord@a.example")  # no longer offered
    assert answer.status_code == 422 and "No library signs in" in answer.text


def test_a_library_that_requires_work_accounts_refuses_passwords(org, oidc_provider, app_url):
    give_provider(org, oidc_provider.issuer, required=True)
    browser = english()
    for email in ("vol@a.example", "nobody@a.example"):  # the same answer for both
        answer = browser.post(
            f"{app_url}/auth/login",
            data={"email": email, "password": "wrong-or-right"},
            allow_redirects=False,
        )
        assert answer.status_code == 403 and "signs you in with your work account" in answer.text
    from .conftest import PASSWORD

    answer = browser.post(
        f"{app_url}/auth/login",
        data={"email": "vol@a.example", "password": PASSWORD},
        allow_redirects=False,
    )
    assert answer.status_code == 403 and not logged_in(browser, app_url)
    ok = browser.post(  # another library's people log in with their password as before
        f"{app_url}/auth/login",
        data={"email": "vol@b.example", "password": PASSWORD},
        allow_redirects=False,
    )
    assert ok.status_code == 302
    browser, answer = sign_in(app_url, "vol@a.example")
    assert answer.status_code == 302 and logged_in(browser, app_url)


@pytest.mark.parametrize(
    "email, text",
    [
        ("", "Enter your e-mail address"),
        ("vol@b.example", "No library signs in"),
        ("not an address", "No library signs in"),
        ("vol@a.example\x00", ""),  # refused before any view (ido/web/lifecycle.py)
        ("vol@a.example\x07", "cannot be stored"),
    ],
)
def test_the_work_account_form_refuses_bad_input(provided, client, email, text):
    answer = client.post("/auth/work-account", data={"work-email": email}, headers=ENGLISH)
    assert answer.status_code == 422
    assert text in answer.get_data(as_text=True)


def test_the_log_in_page_offers_work_accounts_only_when_a_library_has_a_provider(
    org, client, oidc_provider
):
    assert "work-email" not in client.get("/auth/login").get_data(as_text=True)
    give_provider(org, oidc_provider.issuer)
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'name="work-email"' in page and "Inloggen met je werkaccount" in page
    page = client.get("/auth/login", headers=ENGLISH).get_data(as_text=True)
    assert "Log in with your work account" in page


def test_a_callback_without_a_sign_in_under_way_or_with_an_error_is_refused(provided, client):
    assert client.get("/auth/work-account/callback?code=x&state=y").status_code == 400
    with client.session_transaction() as session:
        session["work_account"] = {"state": "s", "nonce": "n", "verifier": "v", "provider": 1}
    answer = client.get("/auth/work-account/callback?code=x&state=s")
    assert answer.status_code == 400  # the provider's settings changed since
    with provided.app_context():
        provider = provider_of(db.session.get(Library, 1))
        pending = {"state": "s", "nonce": "n", "verifier": "v"}
        pending.update(provider=provider.id, issuer=provider.issuer)
    with client.session_transaction() as session:
        session["work_account"] = pending
    answer = client.get("/auth/work-account/callback?error=access_denied&state=s")
    assert answer.status_code == 401


# --- The provider's settings (ido/core/organisation/work_accounts.py) ---------------------

GOOD = {
    "issuer": "https://id.example",
    "client_id": "ido",
    "client_secret": SECRET,
    "domains": "a.example",
    "verified_claim": "email_verified",
    "required": False,
}


def library_of(code: str) -> Library:
    return db.session.scalar(db.select(Library).where(Library.code == code))


def provider_events(app) -> list[tuple[str, dict]]:
    with app.app_context():
        events = db.session.scalars(
            db.select(AuditEvent)
            .where(AuditEvent.entity == "work_account_provider")
            .order_by(AuditEvent.id)
        )
        return [(e.action, e.changes) for e in events]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("issuer", "ftp://id.example", "https://"),
        ("issuer", "http://id.example", "https://"),  # plain http only on this machine
        ("issuer", "https://id.example/?tenant=x", "https://"),
        ("client_id", "  ", "Give the client id"),
        ("domains", "not a domain", "e-mail domains"),
        ("domains", "", "e-mail domains"),
        ("verified_claim", "email verified!", "name of a claim"),
        ("client_secret", "", "Give the client secret"),  # a new provider needs one
        ("client_secret", None, "Give the client secret"),
    ],
)
def test_a_provider_with_bad_settings_is_refused_and_nothing_stored(org, field, value, message):
    with org.test_request_context(headers=ENGLISH):
        with pytest.raises(ServiceError, match=message):
            set_provider(library_of("lib-a"), **{**GOOD, field: value}, actor=None)
        db.session.rollback()
        assert provider_of(library_of("lib-a")) is None
    assert provider_events(org) == []


def test_a_domain_another_librarys_provider_vouches_for_is_refused(org):
    give_provider(org, "https://id.example", domains="a.example")
    give_provider(org, "https://id-b.example", library="lib-b", domains="b.example")
    with org.test_request_context(headers=ENGLISH):
        settings = {**GOOD, "issuer": "https://id-b.example", "domains": "b.example @A.example"}
        with pytest.raises(ServiceError, match="Another library's provider vouches for a.example"):
            set_provider(library_of("lib-b"), **settings, actor=None)
        db.session.rollback()
        assert provider_of(library_of("lib-b")).domains == "b.example"


def test_changing_a_provider_keeps_its_secret_and_audits_what_changed(org):
    give_provider(org, "https://id.example")
    with org.test_request_context(headers=ENGLISH):
        lib = library_of("lib-a")
        set_provider(lib, **{**GOOD, "client_id": "ido-2", "client_secret": ""}, actor=None)
        db.session.commit()
        provider = provider_of(lib)
        assert provider.client_id == "ido-2" and client_secret(provider) == SECRET
        set_provider(
            lib, **{**GOOD, "client_id": "ido-2", "client_secret": "new-s3cret"}, actor=None
        )
        set_provider(lib, **{**GOOD, "client_id": "ido-2", "client_secret": None}, actor=None)
        db.session.commit()  # the last one changed nothing, and says nothing
        assert client_secret(provider_of(lib)) == "new-s3cret"
    events = provider_events(org)
    assert [action for action, _ in events] == ["create", "update", "update"]
    assert events[1][1] == {"client_id": ["ido", "ido-2"]}
    assert events[2][1] == {"client_secret": ["…", "…"]}
    assert "new-s3cret" not in repr(events) and SECRET not in repr(events)


def test_removing_a_provider_audits_it_and_twice_is_harmless(org):
    give_provider(org, "https://id.example")
    with org.app_context():
        remove_provider(library_of("lib-a"), None)
        remove_provider(library_of("lib-a"), None)  # nothing left: nothing done
        db.session.commit()
        assert provider_of(library_of("lib-a")) is None
    assert [action for action, _ in provider_events(org)] == ["create", "delete"]


@pytest.mark.parametrize("claims", [{}, {"email": "  "}, {"email": 7}])
def test_an_id_token_without_an_email_address_is_refused(org, claims):
    give_provider(org, "https://id.example")
    with org.test_request_context(headers=ENGLISH), pytest.raises(WorkAccountRefused) as refusal:
        match_person(provider_of(library_of("lib-a")), {**claims, "email_verified": True})
    assert refusal.value.reason == "no e-mail"
