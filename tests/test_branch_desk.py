"""Per branch, a coordinator picks which topics and local partners the desk shows, in order."""

from ido.core.db import db
from ido.core.models import AuditEvent

from .helpers import branch
from .test_admin_people import _login


def _desk_page(client):
    return client.get("/desk/").get_data(as_text=True)


def test_branch_shows_only_its_topics_and_partners_in_its_order(client, org, app):
    _login(client)
    with app.app_context():
        a1 = branch("a1").id
    response = client.post(
        f"/admin/branches/{a1}/desk",
        data={
            "topic-gemeente": "1",
            "topic-gemeente-order": "5",
            "topic-digid": "1",
            "topic-digid-order": "20",
            "partner-taalhuis": "1",
            "partner-taalhuis-order": "1",
        },
    )
    assert response.status_code == 302
    client.post("/auth/logout")
    _login(client, "vol@a.example")  # works at a1
    page = _desk_page(client)
    assert page.index('id="topics-gemeente"') < page.index('id="topics-digid"')
    assert 'id="topics-toeslagen"' not in page
    assert 'id="topics-digid_app"' in page  # follow-ups come with DigiD
    assert 'id="referrals-taalhuis"' in page and 'id="referrals-seniorweb"' not in page
    assert 'id="referrals-uwv"' in page  # Manifestgroep is always there
    with app.app_context():
        event = db.session.scalar(
            db.select(AuditEvent).where(
                AuditEvent.entity == "branch", AuditEvent.action == "update"
            )
        )
        assert "desk_topics" in event.changes
    client.post("/auth/logout")
    _login(client, "vol2@a.example")  # another branch keeps every topic
    client.post("/desk/branch", data={"branch": "2"})
    assert 'id="topics-toeslagen"' in _desk_page(client)


def test_show_all_and_bad_order(client, org, app):
    _login(client)
    with app.app_context():
        a1 = branch("a1").id
    bad = client.post(
        f"/admin/branches/{a1}/desk",
        data={"topic-digid": "1", "topic-digid-order": "eerst", "all-partner": "1"},
    )
    assert bad.status_code == 422 and "geheel getal" in bad.get_data(as_text=True)
    none = client.post(f"/admin/branches/{a1}/desk", data={"all-partner": "1"})
    assert none.status_code == 422
    ok = client.post(f"/admin/branches/{a1}/desk", data={"all-topic": "1", "all-partner": "1"})
    assert ok.status_code == 302
    client.post("/auth/logout")
    _login(client, "coord@b.example")
    assert client.get(f"/admin/branches/{a1}/desk").status_code == 404
