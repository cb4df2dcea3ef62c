"""Taking access away holds: a library deactivated and reactivated brings back none of the
sessions and API tokens its people had (they log in again and make new tokens)."""

from ido.core.db import db
from ido.core.models import Library
from ido.core.organisation.tokens import create_token

from .api_client import Api
from .conftest import Auth
from .helpers import committed, user


def _logged_in(app, email: str):
    client = app.test_client()
    response = Auth(client).login(email)
    assert response.status_code == 302
    return client


def test_a_library_deactivated_and_back_revives_no_session_or_token(org, app):
    volunteer = _logged_in(app, "vol@b.example")
    with app.app_context():
        token = committed(create_token(user("coord@b.example"), "script")[1])
        library = db.session.scalar(db.select(Library).where(Library.code == "lib-b"))
        library_id, name = library.id, library.name
    with app.app_context():
        committed_token = committed(create_token(user("coord@a.example"), "a")[1])
    admin = _logged_in(app, "admin@ido.example")
    page = f"/admin/libraries/{library_id}"
    assert admin.post(page, data={"name": name}).status_code == 302  # off
    assert admin.post(page, data={"name": name, "active": "y"}).status_code == 302  # on again
    assert volunteer.get("/desk/branch").status_code == 302  # to the log-in page
    assert Api(app.test_client(), token).get("/api/v1/taxonomy").status_code == 401
    assert Api(app.test_client(), committed_token).get("/api/v1/taxonomy").status_code == 200
    again = _logged_in(app, "vol@b.example")  # logging in again works
    assert again.get("/desk/branch").status_code == 200
    with app.app_context():
        fresh = committed(create_token(user("coord@b.example"), "new")[1])
    assert Api(app.test_client(), fresh).get("/api/v1/taxonomy").status_code == 200
