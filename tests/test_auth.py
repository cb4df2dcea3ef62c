"""Log-in, log-out, passwords and the safe redirect."""

import pytest

from ido.core.db import db

from .conftest import PASSWORD, Auth, messages
from .helpers import user


def test_start_page_sends_visitor_to_login(client, org):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'type="email"' in page and 'type="password"' in page
    assert '<label for="email">E-mailadres</label>' in page


def test_login_and_logout(auth, client):
    response = auth.login("VOL@A.example ")  # case and spaces do not matter
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/desk/"
    assert client.get("/auth/logout").status_code == 405  # never by GET
    assert auth.logout().headers["Location"] == "/auth/login"
    assert client.get("/desk/").status_code == 302


@pytest.mark.parametrize(
    ("email", "password"), [("vol@a.example", "wrong password!"), ("nobody@a.example", PASSWORD)]
)
def test_wrong_password_and_unknown_user_get_the_same_message(auth, client, email, password):
    response = auth.login(email, password)
    assert response.status_code == 200
    assert messages(response.get_data(as_text=True)) == ["E-mailadres of wachtwoord klopt niet."]
    assert client.get("/desk/").status_code == 302


@pytest.mark.once  # refused in Python before any query
def test_empty_fields_are_explained(client, org, auth):
    response = auth.login("", "")
    assert response.status_code == 422
    found = messages(response.get_data(as_text=True))
    assert "Vul uw e-mailadres in." in found and "Vul uw wachtwoord in." in found


def test_deactivated_user_cannot_log_in_and_is_logged_out(auth, client, app):
    auth.login("vol@a.example")
    with app.app_context():
        user("vol@a.example").active = False
        db.session.commit()
    assert client.get("/desk/").status_code == 302
    assert auth.login("vol@a.example").status_code == 200


def test_password_is_stored_as_argon2_hash(org, app):
    with app.app_context():
        stored = user("vol@a.example").password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.once  # redirects
def test_next_redirect_within_the_site(auth):
    response = auth.login("vol@a.example", query_string={"next": "/desk/branch"})
    assert response.headers["Location"] == "/desk/branch"


@pytest.mark.once  # redirects
@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_next_redirect_never_leaves_the_site(auth, evil):
    response = auth.login("vol@a.example", query_string={"next": evil})
    assert response.headers["Location"] == "/", evil


@pytest.mark.once  # a cookie
def test_language_switch_to_english_and_back(client, org):
    client.post("/language", data={"lang": "en", "next": "/auth/login"})
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "E-mail address" in page
    client.post("/language", data={"lang": "nl"})
    assert '<html lang="nl">' in client.get("/auth/login").get_data(as_text=True)
    client.post("/language", data={"lang": "xx"})  # unknown: ignored
    assert '<html lang="nl">' in client.get("/auth/login").get_data(as_text=True)


@pytest.mark.once  # a cookie
def test_the_first_visit_follows_the_browser_and_a_choice_outlives_log_out(client, org, auth):
    english = {"Accept-Language": "en-GB,en;q=0.9,nl;q=0.5"}
    assert '<html lang="en">' in client.get("/auth/login", headers=english).get_data(as_text=True)
    french = {"Accept-Language": "fr-FR,fr;q=0.9"}  # neither: Dutch
    assert '<html lang="nl">' in client.get("/auth/login", headers=french).get_data(as_text=True)
    auth.login("vol@a.example")
    response = client.post("/language", data={"lang": "en", "next": "/desk/"})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("ido_lang=en;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    client.post("/auth/logout")
    dutch = {"Accept-Language": "nl-NL"}  # the choice made here wins over the browser's
    page = client.get("/auth/login", headers=dutch).get_data(as_text=True)
    assert '<html lang="en">' in page and "You are logged out." in page


@pytest.mark.once  # the throttle's own store
def test_failed_logins_are_throttled_per_account(auth, client, app):
    for _ in range(5):
        assert auth.login("vol@a.example", "wrong password!").status_code == 200
    locked = auth.login("vol@a.example")  # even the right password, for a while
    assert locked.status_code == 429
    assert "Te veel pogingen. Wacht even en probeer het opnieuw." in locked.get_data(as_text=True)
    assert auth.login("vol2@a.example").status_code == 302  # other accounts at this desk go on


@pytest.mark.once  # the throttle's own store
def test_the_address_ceiling_is_loose(database_url, org):
    from ido import create_app

    from .conftest import dispose, make_config

    app = create_app(make_config(database_url, IDO_LOGIN_LIMIT_ADDRESS="8 per hour"))
    auth = Auth(app.test_client())
    for number in range(8):  # eight accounts, one failure each: under every account limit
        assert auth.login(f"nobody{number}@a.example", "wrong password!").status_code == 200
    assert auth.login("vol@a.example").status_code == 429
    dispose(app)


@pytest.mark.once  # cookies and headers
def test_cookies_are_secure_over_https_and_headers_strict(auth):
    response = auth.login("vol@a.example", base_url="https://ido.example")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    plain = auth.login("vol2@a.example")
    assert "Secure" not in plain.headers.get("Set-Cookie", "Secure-less")


def test_new_session_on_login(client, org, auth):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login("vol@a.example")
    with client.session_transaction() as session:
        assert "planted" not in session and "_user_id" in session


def test_deactivate_user_command(runner, client, org, app, auth):
    from ido.core.organisation.tokens import create_token

    from .api_client import Api

    with app.app_context():
        token = create_token(user("vol@a.example"), "t")[1]
        db.session.commit()
    auth.login("vol@a.example")
    result = runner.invoke(args=["deactivate-user", "VOL@a.example"])
    assert result.exit_code == 0, result.output
    assert client.get("/desk/").status_code == 302  # logged out at once
    assert Api(app.test_client(), token).get("/api/v1/taxonomy").status_code == 401
    bad = runner.invoke(args=["deactivate-user", "nobody@a.example"])
    assert bad.exit_code != 0 and "Er is geen gebruiker" in bad.output
