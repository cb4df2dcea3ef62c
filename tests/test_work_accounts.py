"""Signing in with a work account, against a real OpenID Connect provider (tests/oidc/) and the
app served on a port: the happy path, and every way it must fail (a 4xx page, nobody logged
in, nothing changed)."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from joserfc.jwk import ECKey, KeySet

from ido.auth import oidc
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

from .conftest import free_port
from .oidc_provider import SECRET, at_provider, give_provider

# plain reads and writes through the ORM, which other modules run on both databases: this
# module runs in one pass (`once`, tests/conftest.py)
pytestmark = pytest.mark.once

ENGLISH = {"Accept-Language": "en"}


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


# --- The relying party (ido/auth/oidc.py): what no provider may answer, and none at all ---

ISSUER = "https://id.example"
DOCUMENT = {
    "issuer": ISSUER,
    "authorization_endpoint": f"{ISSUER}/authorize",
    "token_endpoint": f"{ISSUER}/token",
    "jwks_uri": f"{ISSUER}/jwks",
}


def keep(monkeypatch, url: str, document: dict) -> None:
    """What the process keeps of `url` (as if fetched a moment ago); restored after the test."""
    monkeypatch.setitem(oidc._kept, url, (time.monotonic(), document))


def keep_discovery(monkeypatch, **changes) -> None:
    document = {k: v for k, v in {**DOCUMENT, **changes}.items() if v is not None}
    keep(monkeypatch, f"{ISSUER}/.well-known/openid-configuration", document)


def closed_address() -> str:
    """An address on this machine where nothing listens: refused at once."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"authorization_endpoint": "https://evil.example/authorize"}, "another host"),
        ({"issuer": "https://other.example"}, "names another issuer"),
        ({"token_endpoint": 7}, "has no token_endpoint"),
        ({"jwks_uri": None}, "has no jwks_uri"),
    ],
)
def test_a_discovery_document_no_provider_may_answer_is_refused(monkeypatch, changes, message):
    keep_discovery(monkeypatch, **changes)
    with pytest.raises(oidc.ProviderError, match=message):
        oidc.discovery(ISSUER)
    keep_discovery(monkeypatch)
    assert oidc.discovery(ISSUER) == DOCUMENT


class Answer:
    def __init__(self, body):
        self.body = body

    def raise_for_status(self):
        pass

    def json(self):
        if isinstance(self.body, Exception):
            raise self.body
        return self.body


@pytest.mark.parametrize(
    "body, message", [([DOCUMENT], "not a JSON object"), (ValueError("<html>"), "ValueError")]
)
def test_a_provider_answering_no_json_object_is_refused_and_not_kept(monkeypatch, body, message):
    monkeypatch.setattr(oidc.requests, "get", lambda url, timeout: Answer(body))
    with pytest.raises(oidc.ProviderError, match=message):
        oidc.discovery(ISSUER)
    assert f"{ISSUER}/.well-known/openid-configuration" not in oidc._kept


def test_a_provider_out_of_reach_is_a_provider_error():
    issuer = closed_address()
    with pytest.raises(oidc.ProviderError, match="ConnectionError"):
        oidc.discovery(issuer)
    assert f"{issuer}/.well-known/openid-configuration" not in oidc._kept


def test_a_token_endpoint_out_of_reach_or_without_an_id_token_ends_the_sign_in(monkeypatch):
    client = oidc.Client(ISSUER, "ido", SECRET, "http://127.0.0.1/auth/work-account/callback")
    pending = {"state": "s", "nonce": "n", "verifier": "v" * 64}
    keep_discovery(monkeypatch, token_endpoint=f"{closed_address()}/token")
    with pytest.raises(oidc.ProviderError, match="token endpoint: ConnectionError"):
        oidc.finish(client, "code", pending)
    keep_discovery(monkeypatch)
    answer = {"access_token": "a", "token_type": "Bearer"}  # no ID token
    monkeypatch.setattr(oidc.OAuth2Session, "fetch_token", lambda *a, **k: answer)
    with pytest.raises(oidc.TokenRefused) as refusal:
        oidc.finish(client, "code", pending)
    assert refusal.value.reason == "no id_token"


def test_a_token_signed_with_a_key_the_kept_set_lacks_fetches_the_set_again(
    provided, oidc_provider, app_url, monkeypatch
):
    """The provider rotated its keys since the set was kept: fetched again once, and kept."""
    jwks_uri = oidc.discovery(oidc_provider.issuer)["jwks_uri"]
    old = ECKey.generate_key("P-256", parameters={"kid": "old-key", "use": "sig"}, private=True)
    keep(monkeypatch, jwks_uri, KeySet([old]).as_dict(private=False))
    browser, answer = sign_in(app_url, "vol@a.example")
    assert answer.status_code == 302 and logged_in(browser, app_url)
    assert [key["kid"] for key in oidc._kept[jwks_uri][1]["keys"]] == ["test-key-1"]


def test_an_unusable_key_set_ends_the_sign_in_for_now(
    provided, oidc_provider, app_url, monkeypatch
):
    jwks_uri = oidc.discovery(oidc_provider.issuer)["jwks_uri"]
    keep(monkeypatch, jwks_uri, {"keys": []})
    events = audit_count(provided)
    browser, answer = sign_in(app_url, "vol@a.example")
    refused(provided, browser, answer, 502, "not possible right now")
    assert not logged_in(browser, app_url) and audit_count(provided) == events


# --- The web layer (ido/auth/work_account.py) ----------------------------------------------


def test_the_language_chosen_outlives_the_sign_in(provided, app_url):
    browser = requests.Session()  # no Accept-Language: Dutch unless chosen
    browser.post(f"{app_url}/language", data={"lang": "en"}, allow_redirects=False)
    browser.cookies.set("ido_lang", None)  # only the session remembers it
    response = start(browser, app_url, "vol@a.example")
    callback = at_provider(browser, response.headers["Location"], "vol@a.example", app_url)
    assert browser.get(callback, allow_redirects=False).status_code == 302
    assert '<html lang="en">' in browser.get(f"{app_url}/auth/profile").text


def pending_for(app, client) -> None:
    """A sign-in under way with library A's provider, as the start leaves it."""
    with app.app_context():
        provider = provider_of(library_of("lib-a"))
        pending = {"state": "s", "nonce": "n", "verifier": "v" * 64}
        pending.update(provider=provider.id, issuer=provider.issuer)
    with client.session_transaction() as session:
        session["work_account"] = pending


def not_now(app, client, answer, events) -> None:
    assert answer.status_code == 502 and "not possible right now" in answer.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "work_account" not in session and "_user_id" not in session
    assert audit_count(app) == events


def _sign_in_ends_for_now(app, client) -> None:
    """Both the start and the provider's answer end the sign-in for now, changing nothing."""
    events = audit_count(app)
    answer = client.post(
        "/auth/work-account", data={"work-email": "vol@a.example"}, headers=ENGLISH
    )
    not_now(app, client, answer, events)
    pending_for(app, client)
    not_now(
        app,
        client,
        client.get("/auth/work-account/callback?code=c&state=s", headers=ENGLISH),
        events,
    )


def test_a_client_secret_that_no_longer_opens_ends_the_sign_in_for_now(provided, client, caplog):
    """SECRET_KEY changed since the secret was sealed: no sign-in, a warning in the log."""
    with provided.app_context():
        provider_of(library_of("lib-a")).client_secret_sealed = "sealed-with-another-key"
        db.session.commit()
    _sign_in_ends_for_now(provided, client)
    assert "cannot be opened" in caplog.text


def test_a_provider_out_of_reach_ends_the_sign_in_for_now(org, client, caplog):
    give_provider(org, closed_address())
    _sign_in_ends_for_now(org, client)
    assert "ConnectionError" in caplog.text


# --- The administrator's page (ido/admin/work_accounts.py) ---------------------------------


def provider_form(**changes) -> dict:
    form = {**GOOD, "required": "y", **changes}
    return {k: v for k, v in form.items() if v is not None}


def test_an_administrator_sets_changes_and_removes_a_provider(org, client, auth):
    auth.login("admin@ido.example")
    with org.app_context():
        page = f"/admin/libraries/{library_of('lib-a').id}/work-accounts"
    answer = client.post(page, data=provider_form(), headers=ENGLISH)
    assert answer.status_code == 302 and answer.headers["Location"] == page
    assert "Work accounts of" in client.get(page, headers=ENGLISH).get_data(as_text=True)
    answer = client.post(page, data=provider_form(client_secret="", required=None))
    assert answer.status_code == 302
    with org.app_context():
        provider = provider_of(library_of("lib-a"))
        assert provider.required is False and client_secret(provider) == SECRET
    assert client.post(f"{page}/remove").status_code == 302
    with org.app_context():
        assert provider_of(library_of("lib-a")) is None


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"issuer": "http://id.example"}, "https://"),
        ({"domains": "vol@a.example!"}, "e-mail domains"),
        ({"client_secret": ""}, "Give the client secret"),
    ],
)
def test_the_administrators_page_refuses_bad_settings(org, client, auth, changes, message):
    auth.login("admin@ido.example")
    with org.app_context():
        page = f"/admin/libraries/{library_of('lib-a').id}/work-accounts"
    answer = client.post(page, data=provider_form(**changes), headers=ENGLISH)
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    with org.app_context():
        assert provider_of(library_of("lib-a")) is None
    assert provider_events(org) == []
