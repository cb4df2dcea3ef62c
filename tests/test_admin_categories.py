"""Categories: admins manage every list; coordinators add and change local partners."""

import re

import pytest

from ido.core.db import db
from ido.core.models import Agency, AuditEvent, Topic

from .conftest import messages


def test_coordinator_adds_a_local_partner_that_shows_on_the_desk(client, org, app, auth):
    auth.login("coord@a.example")
    response = client.post(
        "/admin/categories/agency",
        data={
            "code": "repair_cafe",
            "name_nl": "Repair Café Astad",
            "name_en": "Repair café Astad",
            "position": "500",
            "active": "y",
            "kind": "partner",
        },
    )
    assert response.status_code == 302
    desk = client.get("/desk/branch")  # coordinator A picks a branch first
    assert desk.status_code == 200
    client.post("/desk/branch", data={"branch": "1"})
    assert "Repair Café Astad" in client.get("/desk/").get_data(as_text=True)
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity == "category"))
        assert event.entity_id == "agency:lib-a.repair_cafe" and event.action == "create"


def test_coordinator_may_not_change_shared_lists(client, org, app, auth):
    auth.login("coord@a.example")
    assert client.get("/admin/categories/topic").status_code == 403
    assert client.get("/admin/categories/agency/uwv").status_code == 403  # the network's
    response = client.post(
        "/admin/categories/agency",
        data={"code": "nieuw", "name_nl": "Nieuw", "name_en": "New", "kind": "manifestgroep"},
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(db.select(Agency).where(Agency.code == "nieuw")) is None


def test_a_topics_page_shows_the_topic_it_follows_up(client, auth):
    """The edit page of a follow-up preselects the topic it belongs under; a topic of its own
    preselects none."""
    auth.login("admin@ido.example")
    selected = re.compile(r'<option selected value="([^"]*)">')
    page = client.get("/admin/categories/topic/digid_app").get_data(as_text=True)
    assert selected.findall(page.split('name="parent"')[1].split("</select>")[0]) == ["digid"]
    page = client.get("/admin/categories/topic/digid").get_data(as_text=True)
    assert selected.findall(page.split('name="parent"')[1].split("</select>")[0]) == [""]


def test_admin_renames_reorders_and_deactivates_a_topic(client, org, app, auth):
    auth.login("admin@ido.example")
    response = client.post(
        "/admin/categories/topic/studie",
        data={
            "code": "ignored",
            "name_nl": "Studie en DUO",
            "name_en": "Study and DUO",
            "hint_nl": "Studiefinanciering",
            "hint_en": "Student finance",
            "group": "overheid",
            "parent": "",
            "position": "5",
        },
    )  # no "active": deactivated
    assert response.status_code == 302
    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.code == "studie"))
        assert (topic.name_nl, topic.position, topic.active) == ("Studie en DUO", 5, False)
        event = db.session.scalar(
            db.select(AuditEvent).where(
                AuditEvent.entity == "category", AuditEvent.action == "update"
            )
        )
        assert event.changes["name_nl"] == ["Studiefinanciering (DUO)", "Studie en DUO"]
    client.post("/auth/logout")
    auth.login("vol@a.example")
    assert "Studie en DUO" not in client.get("/desk/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "digid", "name_nl": "X", "name_en": "X"}, "De code digid is al in gebruik."),
        ({"code": "Fout Code", "name_nl": "X", "name_en": "X"}, "Een code bestaat uit"),
        ({"code": "x1", "name_nl": "", "name_en": "X"}, "Geef een label."),
        ({"code": "x1", "name_nl": "Bel 06-12345678", "name_en": "X"}, "persoonsgegevens"),
        (
            {"code": "x1", "name_nl": "X", "name_en": "X", "parent": "bestaat_niet"},
            "Deze keuze bestaat niet",
        ),
    ],
)
def test_category_input_is_checked(client, org, app, data, message, auth):
    auth.login("admin@ido.example")
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count(Topic.id)))
    response = client.post("/admin/categories/topic", data={"group": "overheid", **data})
    assert response.status_code == 422, data
    assert any(message in m for m in messages(response.get_data(as_text=True))), message
    with app.app_context():  # nothing was added
        assert db.session.scalar(db.select(db.func.count(Topic.id))) == before


def test_unknown_kind_of_category_is_404(client, org, auth):
    auth.login("admin@ido.example")
    assert client.get("/admin/categories/planeet").status_code == 404


def _add_partner(client, code: str, name: str):
    return client.post(
        "/admin/categories/agency",
        data={
            "code": code,
            "name_nl": name,
            "name_en": name,
            "position": "500",
            "active": "y",
            "kind": "partner",
        },
    )


def test_local_partners_belong_to_one_library(client, org, app, auth):
    from .helpers import desk_form

    auth.login("coord@a.example")  # coordinator of library A
    assert _add_partner(client, "buurthuis_a", "Buurthuis Astad").status_code == 302
    with app.app_context():
        partner = db.session.scalar(db.select(Agency).where(Agency.code == "lib-a.buurthuis_a"))
        library_a = partner.library_id
        event = db.session.scalar(
            db.select(AuditEvent).where(AuditEvent.entity_id == "agency:lib-a.buurthuis_a")
        )
        assert library_a is not None and event.library_id == library_a
    # A may not change the partners every library shares; an administrator may
    assert client.get("/admin/categories/agency/taalhuis").status_code == 403
    client.post("/auth/logout")

    auth.login("coord@b.example")
    assert "Buurthuis Astad" not in client.get("/admin/categories/agency").get_data(as_text=True)
    assert client.get("/admin/categories/agency/lib-a.buurthuis_a").status_code == 404
    rename = {"name_nl": "Overgenomen", "name_en": "Taken", "position": "1", "kind": "partner"}
    assert client.post("/admin/categories/agency/lib-a.buurthuis_a", data=rename).status_code == 404
    client.post("/auth/logout")

    auth.login("vol@b.example")
    form = desk_form(client)
    assert "buurthuis_a" not in str(form) and "Buurthuis Astad" not in client.get(
        "/desk/"
    ).get_data(as_text=True)
    refused = client.post(
        "/desk/", data={**form, "topics": ["digid"], "referrals": ["lib-a.buurthuis_a"]}
    )
    assert refused.status_code == 422
    with app.app_context():
        partner = db.session.scalar(db.select(Agency).where(Agency.code == "lib-a.buurthuis_a"))
        assert partner.name_nl == "Buurthuis Astad" and partner.active
    client.post("/auth/logout")

    auth.login("admin@ido.example")
    assert client.get("/admin/categories/agency/taalhuis").status_code == 200


def test_a_label_with_a_control_character_is_refused(client, org, app, auth):
    auth.login("coord@a.example")
    response = _add_partner(client, "bel_partner", "Partner\x07Astad")
    assert response.status_code == 422
    assert "Deze tekst bevat een teken dat niet kan worden opgeslagen." in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalar(db.select(Agency).where(Agency.code == "bel_partner")) is None


def test_an_administrator_adds_an_agency_of_the_network_with_its_level(client, org, app, auth):
    """The kind is npd now; the old code (manifestgroep) is still taken for a release."""
    auth.login("admin@ido.example")
    data = {"code": "kvk", "name_nl": "KVK", "name_en": "Chamber of Commerce"}
    response = client.post(
        "/admin/categories/agency", data={**data, "kind": "manifestgroep", "level": "uitvoering"}
    )
    assert response.status_code == 302
    page = client.get("/admin/categories/agency").get_data(as_text=True)
    assert "Netwerk van Publieke Dienstverleners (NPD)" in page
    with app.app_context():
        kvk = db.session.scalar(db.select(Agency).where(Agency.code == "kvk"))
        assert (kvk.kind, kvk.level) == ("npd", "uitvoering")
    bad = {**data, "code": "kvk2", "kind": "npd", "level": "wereld"}
    assert client.post("/admin/categories/agency", data=bad).status_code == 422


def test_each_library_has_partner_codes_of_its_own(client, org, app, auth):
    """Adding a partner never tells whether another library has one of that code: the code
    is stored under the library's own code, so B's "schuldhulp" and A's never meet."""
    auth.login("coord@b.example")
    assert _add_partner(client, "schuldhulp", "Schuldhulp Bstad").status_code == 302
    client.post("/auth/logout")
    auth.login("coord@a.example")  # coordinator A: the same code as B's is simply A's own
    page = client.get("/admin/categories/agency").get_data(as_text=True)
    assert "lib-a.code" in page  # the form says how the code is stored
    assert _add_partner(client, "schuldhulp", "Schuldhulp Astad").status_code == 302
    assert "lib-b" not in client.get("/admin/categories/agency").get_data(as_text=True)
    again = _add_partner(client, "schuldhulp", "Nog een")  # A's own code is A's to know
    assert again.status_code == 422 and "lib-a.schuldhulp" in again.get_data(as_text=True)
    too_long = _add_partner(client, "x" * 40, "Lang")
    assert too_long.status_code == 422
    assert any("34" in m for m in messages(too_long.get_data(as_text=True)))
    with app.app_context():
        found = db.session.scalars(db.select(Agency.code).where(Agency.kind == "partner"))
        assert {"lib-a.schuldhulp", "lib-b.schuldhulp"} <= set(found)


def test_a_library_with_a_long_code_still_has_room_for_partner_codes(client, org, app):
    """Library codes may have 40 characters: a long one is shortened with a hash of it, so
    two long codes alike at the start still give partner codes of their own."""
    from ido.core.organisation import create_library
    from ido.core.taxonomy import save_category

    with app.app_context():
        codes = [
            "bibliotheek-rotterdam-noord-en-omstreken",
            "bibliotheek-rotterdam-zuid-en-omstreken",
        ]
        made = []
        for code in codes:
            library = create_library(code, code)
            values = {"code": "schuld-budget", "name_nl": "S", "name_en": "S"}
            values |= {"kind": "partner", "library_id": library.id}
            made.append(save_category("agency", None, values, library.id).code)
        db.session.commit()
    assert made[0] != made[1] and all(len(code) <= 40 for code in made)
    assert all(code.endswith(".schuld-budget") for code in made)
    assert made[0].startswith("bibliotheek-rotte")
