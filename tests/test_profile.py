"""The profile page: API tokens are made, shown once, listed by prefix and revoked."""

import re

import pytest

from ido.core.db import db
from ido.core.models import ApiToken

from .api_client import Api

# plain reads and writes through the ORM, which other modules run on both databases: this
# module runs in one pass (`once`, tests/conftest.py)
pytestmark = pytest.mark.once


def test_make_use_and_revoke_a_token(auth, client, app):
    auth.login("coord@a.example")
    page = client.get("/auth/profile").get_data(as_text=True)
    assert "Coördinator A" in page and "coördinator" in page
    response = client.post("/auth/profile/tokens", data={"name": "maandexport"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    [plaintext] = re.findall(r'<code class="token">([^<]+)</code>', html)
    assert "maandexport" in html and plaintext[:10] in html
    assert plaintext not in client.get("/auth/profile").get_data(as_text=True)  # shown once
    assert Api(app.test_client(), plaintext).get("/api/v1/taxonomy").status_code == 200
    with app.app_context():
        token_id = db.session.scalar(db.select(ApiToken.id))
    assert client.post(f"/auth/profile/tokens/{token_id}/revoke").status_code == 302
    assert Api(app.test_client(), plaintext).get("/api/v1/taxonomy").status_code == 401
    assert "maandexport" not in client.get("/auth/profile").get_data(as_text=True)


def test_cannot_revoke_someone_elses_token(auth, client, app):
    auth.login("coord@a.example")
    client.post("/auth/profile/tokens", data={"name": "mijn"})
    with app.app_context():
        token_id = db.session.scalar(db.select(ApiToken.id))
    auth.logout()
    auth.login("vol@a.example")
    assert client.post(f"/auth/profile/tokens/{token_id}/revoke").status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None


def test_profile_needs_login(client, org):
    assert client.get("/auth/profile").status_code == 302
    assert client.post("/auth/profile/tokens").status_code == 302
