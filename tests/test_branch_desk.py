"""Per branch, a coordinator picks which topics and local partners the desk shows, in order."""

from ido.core.db import db
from ido.core.models import AuditEvent

from .conftest import form_fields
from .helpers import branch


def _desk_page(client):
    return client.get("/desk/").get_data(as_text=True)


def test_branch_shows_only_its_topics_and_partners_in_its_order(client, org, app, auth):
    auth.login("coord@a.example")
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
    auth.login("vol@a.example")  # works at a1
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
    auth.login("vol2@a.example")  # another branch keeps every topic
    client.post("/desk/branch", data={"branch": "2"})
    assert 'id="topics-toeslagen"' in _desk_page(client)


def test_show_all_and_bad_order(client, org, app, auth):
    auth.login("coord@a.example")
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
    auth.login("coord@b.example")
    assert client.get(f"/admin/branches/{a1}/desk").status_code == 404


def test_a_failure_half_way_leaves_both_lists_unchanged(client, org, app, auth):
    """The topics are written (flushed) before the partners are refused: one transaction, so
    the request's rollback takes the topics back too."""
    from sqlalchemy import event

    from ido.core.models import BranchCategory
    from ido.core.taxonomy import branch_selection

    auth.login("coord@a.example")
    with app.app_context():
        a1 = branch("a1").id
        engine = db.engine
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731  (the SQL text)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.post(
            f"/admin/branches/{a1}/desk",
            data={
                "topic-digid": "1",
                "topic-digid-order": "5",
                "partner-taalhuis": "1",
                "partner-taalhuis-order": "999999999",  # a whole number, but past 100000
            },
        )
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Een volgorde is een geheel getal van 0 tot en met 100000." in page
    assert any(s.startswith("INSERT INTO branch_category") for s in statements)  # half-way
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(BranchCategory)) == 0
        assert branch_selection(branch("a1"), "topic") == {}
        assert (
            db.session.scalars(
                db.select(AuditEvent).where(
                    AuditEvent.entity == "branch", AuditEvent.action == "update"
                )
            ).all()
            == []
        )
    assert "checked" not in page.split('id="topic-digid"')[1].split(">")[0]  # as saved: none


def test_the_edit_page_and_the_api_offer_only_the_branchs_choices(client, org, app, auth):
    """What the branch's desk leaves out, its edit page and the API refuse too; a question
    that already holds it (logged before the choice) keeps it when corrected."""
    from ido.core.organisation.tokens import create_token
    from ido.core.taxonomy import active_categories, save_branch_desk

    from .api_client import Api
    from .helpers import committed, questions, store_question, user

    with app.app_context():
        old = store_question("a1", None, ["zorg"]).id  # before a1 chose its topics
        topics = active_categories().by_code("topics")
        chosen = {topics["digid"].id: 1, topics["toeslagen"].id: 2}
        save_branch_desk(branch("a1"), {"topic": chosen})
        token = committed(create_token(user("coord@a.example"), "t")[1])
    api = Api(client, token)
    body = {"branch": "a1", "topics": ["studie"]}
    response = api.post("/api/v1/questions", json=body)
    assert response.status_code == 422
    assert response.get_json()["errors"]["topics"][0]["code"] == "unknown_code"
    assert api.post("/api/v1/questions", json={**body, "branch": "a2"}).status_code == 201
    assert api.post("/api/v1/questions", json={**body, "topics": ["digid"]}).status_code == 201

    auth.login("coord@a.example")
    url = f"/desk/questions/{old}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="zorg" checked' in page and 'value="studie"' not in page
    fields = form_fields(page, url)
    fields["duration_minutes"] = ["20"]
    assert client.post(url, data=fields).status_code == 302  # zorg is kept
    fields["topics"] = ["zorg", "studie"]
    response = client.post(url, data=fields)
    assert response.status_code == 422
    with app.app_context():
        stored = next(q for q in questions() if q.id == old)
        assert [t.code for t in stored.topics] == ["zorg"] and stored.duration_minutes == 20
