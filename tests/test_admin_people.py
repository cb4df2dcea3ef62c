"""Management of branches and people by coordinators, password links, own password change."""

import re

from ido.core.db import db
from ido.core.models import AuditEvent, Branch, PasswordLink, User

from .conftest import PASSWORD, messages
from .helpers import user

NEW_PASSWORD = "zomer fiets bibliotheek"


def test_coordinator_adds_and_changes_a_branch(client, org, app, auth):
    auth.login("coord@a.example")
    response = client.post(
        "/admin/branches",
        data={"code": "a3", "name": "A Bibliobus", "municipality": "Adorp", "in_library": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        branch = db.session.scalar(db.select(Branch).where(Branch.code == "a3"))
        assert branch.library.code == "lib-a" and branch.active
        branch_id = branch.id
    response = client.post(
        f"/admin/branches/{branch_id}", data={"name": "A Bus", "municipality": "Astad"}
    )  # unchecked boxes: outside, inactive
    assert response.status_code == 302
    with app.app_context():
        branch = db.session.get(Branch, branch_id)
        assert (branch.name, branch.municipality, branch.in_library, branch.active) == (
            "A Bus",
            "Astad",
            False,
            False,
        )
        event = db.session.scalar(
            db.select(AuditEvent).where(
                AuditEvent.entity == "branch", AuditEvent.action == "update"
            )
        )
        assert event.changes["name"] == ["A Bibliobus", "A Bus"]
        assert event.user_id == user("coord@a.example").id
    assert "A Bus (Astad)" not in client.get("/desk/branch").get_data(as_text=True)  # inactive


def test_branch_input_is_checked(client, org, app, auth):
    auth.login("coord@a.example")
    for data, message in (
        (
            {"code": "a1", "name": "X", "municipality": "M"},
            "Er bestaat al een vestiging met code a1.",
        ),
        ({"code": "Met Spatie", "name": "X", "municipality": "M"}, "Een code bestaat uit"),
        ({"code": "x9", "name": "", "municipality": "M"}, "Geef een naam."),
        ({"code": "x9", "name": "X", "municipality": ""}, "Geef de gemeente."),
    ):
        response = client.post("/admin/branches", data=data)
        assert response.status_code == 422
        assert any(message in m for m in messages(response.get_data(as_text=True))), message
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Branch.id))) == 3


def test_coordinator_cannot_touch_another_library(client, org, app, auth):
    auth.login("coord@b.example")
    with app.app_context():
        a1 = db.session.scalar(db.select(Branch).where(Branch.code == "a1")).id
        volunteer = user("vol@a.example").id
    assert client.get(f"/admin/branches/{a1}").status_code == 404
    assert (
        client.post(f"/admin/branches/{a1}", data={"name": "X", "municipality": "Y"}).status_code
        == 404
    )
    assert client.get(f"/admin/people/{volunteer}").status_code == 404
    assert client.post(f"/admin/people/{volunteer}/password-link").status_code == 404
    page = client.get("/admin/people").get_data(as_text=True)
    assert "vol@a.example" not in page and "vol@b.example" in page


def test_new_volunteer_gets_access_through_a_password_link(client, org, app, auth):
    auth.login("coord@a.example")
    response = client.post(
        "/admin/people",
        data={
            "email": "Nieuw@A.example",
            "name": "Nieuwe vrijwilliger",
            "role": "volunteer",
            "branches": ["a2"],
        },
    )
    assert response.status_code == 200
    [link] = re.findall(r'<code class="token">([^<]+)</code>', response.get_data(as_text=True))
    path = link.split("localhost", 1)[1]
    client.post("/auth/logout")
    assert auth.login("nieuw@a.example", NEW_PASSWORD).status_code == 200  # not yet
    page = client.get(path)
    assert page.status_code == 200 and "nieuw@a.example" in page.get_data(as_text=True)
    weak = client.post(path, data={"password": "welkom123456"})
    assert weak.status_code == 422
    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302
    assert client.get(path).status_code == 404  # used: it works once
    assert auth.login("nieuw@a.example", NEW_PASSWORD).status_code == 302
    assert "Vandaag in A Dorp" in client.get("/desk/").get_data(as_text=True)


def test_password_link_expires_after_24_hours(client, org, app):
    from datetime import timedelta

    from ido.core.organisation.passwords import make_password_link

    with app.app_context():
        token = make_password_link(user("vol@a.example"), None)
        db.session.commit()
        link = db.session.scalar(db.select(PasswordLink))
        link.expires_at -= timedelta(hours=25)
        db.session.commit()
    response = client.get(f"/auth/set-password/{token}")
    assert response.status_code == 404 and "verlopen" in response.get_data(as_text=True)


def test_coordinator_changes_role_branches_and_deactivates(client, org, app, auth):
    auth.login("coord@a.example")
    with app.app_context():
        volunteer = user("vol@a.example").id
    response = client.post(
        f"/admin/people/{volunteer}",
        data={"name": "Vrijwilliger A", "role": "coordinator", "branches": ["a1", "a2"]},
    )
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(User, volunteer)
        assert person.role == "coordinator" and not person.active
        assert sorted(b.code for b in person.branches) == ["a1", "a2"]
    # a coordinator may not make administrators nor give branches of another library
    response = client.post(
        f"/admin/people/{volunteer}", data={"name": "X", "role": "admin", "active": "y"}
    )
    assert response.status_code == 422
    response = client.post(
        f"/admin/people/{volunteer}",
        data={"name": "X", "role": "volunteer", "branches": ["b1"], "active": "y"},
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(User, volunteer).role == "coordinator"


def test_coordinator_cannot_lock_themselves_out(client, org, app, auth):
    auth.login("coord@a.example")
    with app.app_context():
        me = user("coord@a.example").id
    response = client.post(f"/admin/people/{me}", data={"name": "C", "role": "volunteer"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(User, me).role == "coordinator"


def test_user_changes_own_password(client, org, app, auth):
    auth.login("vol@a.example")
    wrong = client.post(
        "/auth/profile/password", data={"current": "nope nope nope", "password": NEW_PASSWORD}
    )
    assert wrong.status_code == 422
    assert "Het huidige wachtwoord klopt niet." in messages(wrong.get_data(as_text=True))
    ok = client.post("/auth/profile/password", data={"current": PASSWORD, "password": NEW_PASSWORD})
    assert ok.status_code == 302
    client.post("/auth/logout")
    assert auth.login("vol@a.example", NEW_PASSWORD).status_code == 302


def test_volunteers_cannot_manage(client, org, auth):
    auth.login("vol@a.example")
    for path in ("/admin/people", "/admin/branches"):
        assert client.get(path).status_code == 403
        assert client.post(path, data={}).status_code == 403


def test_admin_adds_renames_and_deactivates_a_library(client, org, app, auth):
    from ido.core.models import Library

    auth.login("admin@ido.example")
    assert (
        client.post("/admin/libraries", data={"code": "lib-c", "name": "Bibliotheek C"}).status_code
        == 302
    )
    duplicate = client.post("/admin/libraries", data={"code": "lib-a", "name": "Dubbel"})
    assert duplicate.status_code == 422
    with app.app_context():
        library_id = db.session.scalar(db.select(Library.id).where(Library.code == "lib-c"))
    assert (
        client.post(f"/admin/libraries/{library_id}", data={"name": "Bibliotheek Cee"}).status_code
        == 302
    )
    with app.app_context():
        library = db.session.get(Library, library_id)
        assert library.name == "Bibliotheek Cee" and not library.active
    # the admin gives the new library a coordinator on the people page
    response = client.post(
        "/admin/people",
        data={
            "email": "coord@c.example",
            "name": "Coördinator C",
            "role": "coordinator",
            "library": "lib-c",
        },
    )
    assert response.status_code == 200
    with app.app_context():
        assert user("coord@c.example").library.code == "lib-c"
    client.post("/auth/logout")
    auth.login("coord@a.example")  # a coordinator may not manage libraries
    assert client.get("/admin/libraries").status_code == 403


def test_adding_a_person_with_another_librarys_address_does_not_say_it_exists(
    client, org, app, auth
):
    """A coordinator learns nothing of another library's people: the refusal neither says the
    address exists nor names the library."""
    auth.login("coord@a.example")  # coordinator of library A
    data = {"email": "vol@b.example", "name": "Iemand", "role": "volunteer", "branches": ["a1"]}
    refused = client.post("/admin/people", data=data)
    assert refused.status_code == 422
    text = " ".join(messages(refused.get_data(as_text=True)))
    assert "vol@b.example" in text
    for telling in ("bestaat", "exists", "Bibliotheek B", "lib-b", "Vrijwilliger B"):
        assert telling not in text
    own = client.post("/admin/people", data={**data, "email": "vol2@a.example"})
    assert own.status_code == 422  # one's own library's people are no secret
    assert "vol2@a.example" in " ".join(messages(own.get_data(as_text=True)))
