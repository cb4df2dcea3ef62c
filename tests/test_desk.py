"""The desk page: logging a question, its defaults, validation, quick mode and today's list."""

import json
import os
import re
import uuid
from datetime import timedelta

import pytest
from flask import url_for

from ido.core.timeutil import now_local

from .conftest import form_fields, messages
from .helpers import audit, codes, desk_form, questions, typed


def test_defaults_are_preselected_so_a_topic_and_save_is_enough(auth, client, app):
    auth.login("vol@a.example")
    data = desk_form(client)
    assert data["channel"] == ["balie"]
    assert data["outcome"] == ["geholpen"]
    assert data["duration_minutes"] == ["10"]
    assert "topics" not in data
    uuid.UUID(data["id"][0])
    data["topics"] = ["digid"]  # tap one: a topic; tap two: save
    response = client.post("/desk/", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/desk/"
    with app.app_context():
        [question] = questions()
        assert codes(question.topics) == ["digid"]
        assert (question.channel.code, question.outcome.code) == ("balie", "geholpen")
        assert question.duration_minutes == 10
        assert question.branch.code == "a1"
        assert question.logged_by.email == "vol@a.example"
        assert abs(question.asked_at - question.created_at) < timedelta(minutes=1)
        assert question.local_date == now_local().date()
        assert question.local_month == now_local().date().replace(day=1)
        assert [e.action for e in audit()] == ["create"]
    page = client.get("/desk/").get_data(as_text=True)
    assert "<strong>Opgeslagen:</strong>" in page and "Ongedaan maken</button>" in page
    assert "Vandaag in A Centrum" in page


def test_a_back_dated_question_is_confirmed_with_undo(auth, client, app):
    """Not in today's list, it is looked up by its id for the confirmation; the next page
    shows no confirmation, and an undone one none either."""
    auth.login("vol@a.example")
    data = desk_form(client)
    earlier = now_local() - timedelta(days=3)
    data.update(topics=["zorg"], **typed(earlier))
    assert client.post("/desk/", data=data).status_code == 302
    page = client.get("/desk/").get_data(as_text=True)
    when = earlier.strftime("%d-%m-%Y %H:%M")  # not today: the date too
    assert f"Opgeslagen:</strong> Zorg en Wmo (CAK, CIZ, zorgverzekering) · {when}" in page
    assert "Ongedaan maken</button>" in page
    assert "Hier zijn vandaag nog geen vragen geregistreerd." in page  # not among today's
    assert "<strong>Opgeslagen:</strong>" not in client.get("/desk/").get_data(as_text=True)


def test_every_field_is_stored(auth, client, app):
    auth.login("vol@a.example")
    data = desk_form(client)
    earlier = now_local() - timedelta(hours=2)
    data.update(
        topics=["digid_app", "toeslagen"],
        agencies=["toeslagen"],
        referrals=["uwv", "juridisch_loket"],
        help=["uitleg", "samen"],
        channel=["telefoon"],
        outcome=["vervolg"],
        duration_minutes=["45"],
        note=["Vervolg over de app volgende week"],
        **typed(earlier),
    )
    assert client.post("/desk/", data=data).status_code == 302
    with app.app_context():
        [q] = questions()
        assert codes(q.topics) == ["digid", "digid_app", "toeslagen"]  # follow-up implies DigiD
        assert codes(q.agencies) == ["toeslagen"]
        assert codes(q.referrals) == ["juridisch_loket", "uwv"]
        assert codes(q.help) == ["samen", "uitleg"]
        assert (q.channel.code, q.outcome.code, q.duration_minutes) == ("telefoon", "vervolg", 45)
        assert q.asked_at == earlier
        assert q.note == "Vervolg over de app volgende week"


def _post_invalid(client, app, **changes):
    data = desk_form(client)
    data.update(topics=["digid"])
    data.update(changes)
    response = client.post("/desk/", data=data)
    assert response.status_code == 422
    with app.app_context():
        assert questions() == []
    return messages(response.get_data(as_text=True))


FUTURE = "in an hour"  # filled in when the test runs
INVALID_INPUT = {
    "Kies minstens één onderwerp.": {"topics": []},
    "Deze keuze bestaat niet (meer). Laad de pagina opnieuw.": {"topics": ["astrologie"]},
    "Kies een kanaal.": {"channel": []},
    "Kies een uitkomst.": {"outcome": []},
    "Kies hoe lang het duurde.": {"duration_minutes": []},
    "De duur moet tussen 1 en 480 minuten liggen.": {"duration_minutes": ["481"]},
    "Het tijdstip kan niet in de toekomst liggen.": {
        "asked_date": [FUTURE],
        "asked_time": [FUTURE],
    },
    "De notitie mag hoogstens 500 tekens lang zijn.": {"note": ["x" * 501]},
    "Dit formulier is beschadigd. Laad de pagina opnieuw.": {"id": ["niet-een-uuid"]},
}


@pytest.mark.once  # refused in Python before any query
@pytest.mark.parametrize(("expected", "change"), INVALID_INPUT.items())
def test_validation_messages_and_nothing_stored(auth, client, app, expected, change):
    auth.login("vol@a.example")
    future = typed(now_local() + timedelta(hours=1))
    change = {key: future[key] if values == [FUTURE] else values for key, values in change.items()}
    found = _post_invalid(client, app, **change)
    assert expected in found, (expected, found)
    assert "De vraag is niet opgeslagen. Kijk naar deze velden:" in found


def test_unknown_referral_and_zero_duration_are_refused(auth, client, app):
    auth.login("vol@a.example")
    assert _post_invalid(client, app, referrals=["nergens"])
    assert "De duur moet tussen 1 en 480 minuten liggen." in _post_invalid(
        client, app, duration_minutes=["0"]
    )
    assert _post_invalid(client, app, duration_minutes=["tien"])


def test_resent_form_stores_one_question(auth, client, app):
    auth.login("vol@a.example")
    data = desk_form(client)
    data["topics"] = ["gemeente"]
    assert client.post("/desk/", data=data).status_code == 302
    assert client.post("/desk/", data=data).status_code == 302  # double tap or resend
    page = client.get("/desk/").get_data(as_text=True)
    assert "Deze vraag was al opgeslagen; hij is niet dubbel geteld." in messages(page)
    with app.app_context():
        assert len(questions()) == 1
        assert len(audit("create")) == 1


def test_same_id_with_other_content_is_refused(auth, client, app):
    auth.login("vol@a.example")
    data = desk_form(client)
    data["topics"] = ["gemeente"]
    client.post("/desk/", data=data)
    data["topics"] = ["toeslagen"]
    client.post("/desk/", data=data)
    page = client.get("/desk/").get_data(as_text=True)
    assert (
        "Dit formulier is al gebruikt voor een andere vraag. Er is niets toegevoegd."
        in messages(page)
    )
    with app.app_context():
        [q] = questions()
        assert codes(q.topics) == ["gemeente"]


def test_each_page_load_gets_a_new_question_id(auth, client):
    auth.login("vol@a.example")
    assert desk_form(client)["id"] != desk_form(client)["id"]


def test_quick_mode_one_tap_and_undo(auth, client, app):
    auth.login("vol@a.example")
    client.post("/desk/mode")
    page = client.get("/desk/").get_data(as_text=True)
    pressed = 'class="button toggle-button pressed" aria-pressed="true">Snelle modus</button>'
    assert pressed in page
    assert ">1 vraag vandaag<" not in page and ">0 vragen vandaag<" in page  # the day's count
    data = form_fields(page, "/desk/quick")
    data.setdefault("topic", []).append("apparaat")  # the tapped tile is a submit button
    assert client.post("/desk/quick", data=data).status_code == 302
    assert client.post("/desk/quick", data=data).status_code == 302  # double tap: still one
    with app.app_context():
        [q] = questions()
        assert codes(q.topics) == ["apparaat"]
        assert (q.channel.code, q.outcome.code, q.duration_minutes) == ("balie", "geholpen", 10)
        question_id = q.id
    page = client.get("/desk/").get_data(as_text=True)
    assert f"/desk/questions/{question_id}/delete" in page  # the undo button
    assert client.post(f"/desk/questions/{question_id}/delete").status_code == 302
    with app.app_context():
        assert questions() == []
        assert len(questions(include_deleted=True)) == 1
        assert [e.action for e in audit()] == ["create", "delete"]
    client.post("/desk/mode")
    assert 'aria-pressed="false">Snelle modus</button>' in client.get("/desk/").get_data(
        as_text=True
    )


@pytest.mark.once  # refused in Python before any query
def test_quick_mode_refuses_unknown_topic(auth, client, app):
    auth.login("vol@a.example")
    response = client.post("/desk/quick", data={"id": str(uuid.uuid4()), "topic": "astrologie"})
    assert response.status_code == 302
    assert "Kies een onderwerp." in messages(client.get("/desk/").get_data(as_text=True))
    with app.app_context():
        assert questions() == []


def test_todays_list_shows_only_this_branch_and_today(auth, client, app):
    auth.login("vol2@a.example")
    client.post("/desk/branch", data={"branch": "2"})  # a2
    data = desk_form(client)
    data.update(topics=["zorg"])
    client.post("/desk/", data=data)
    data = desk_form(client)
    data.update(topics=["studie"], **typed(now_local() - timedelta(days=1)))
    client.post("/desk/", data=data)
    page = client.get("/desk/").get_data(as_text=True)
    assert "Vandaag in A Dorp" in page and "Zorg en Wmo" in page
    assert "Studiefinanciering (DUO)</td>" not in page  # yesterday's entry is not today's
    client.post("/desk/branch", data={"branch": "1"})  # a1
    page = client.get("/desk/").get_data(as_text=True)
    assert "Hier zijn vandaag nog geen vragen geregistreerd." in page


def test_followup_topics_are_on_the_page_with_hints(auth, client):
    auth.login("vol@a.example")
    page = client.get("/desk/").get_data(as_text=True)
    assert 'data-followups-for="topics-digid"' in page
    assert 'value="digid_machtigen"' in page
    assert "Activeringscode uit de brief invoeren" in page.replace("\u00ad", "")  # soft hyphens
    # Manifestgroep agencies come first among the referrals
    assert page.index('id="referrals-uwv"') < page.index('id="referrals-juridisch_loket"')


@pytest.mark.once  # refused in Python before any query
def test_non_numeric_duration_gets_one_clear_message(auth, client, app):
    auth.login("vol@a.example")
    found = _post_invalid(client, app, duration_minutes=["tien"])
    assert "Vul de duur in hele minuten in." in found
    assert not any("480" in message for message in found)  # one clear message, not two


def test_english_desk_shows_english_labels(auth, client):
    auth.login("vol@a.example")
    client.post("/language", data={"lang": "en"})
    page = client.get("/desk/").get_data(as_text=True)
    assert "Save question" in page and "Benefits (toeslagen)" in page
    assert "At the desk" in page and "Referred to a national agency" in page
    data = form_fields(page, "/desk/")
    data["topics"] = []
    response = client.post("/desk/", data=data)
    assert "Choose at least one topic." in messages(response.get_data(as_text=True))


def test_todays_list_shows_the_latest_twenty_and_links_to_all(auth, client, app):
    from datetime import UTC, datetime

    from ido.core.questions.desk_rows import TODAY_SHOWN

    from .helpers import store_question

    assert TODAY_SHOWN == 20
    with app.app_context():
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        for minutes in range(25):
            moment = now - timedelta(minutes=minutes)
            if moment.astimezone(now_local().tzinfo).date() == now_local().date():
                store_question("a1", moment, ["digid"])
        today = len(questions())
    auth.login("vol@a.example")
    page = client.get("/desk/").get_data(as_text=True)
    assert page.count('<td class="actions">') == min(today, 20) + 1  # and a new row's template
    assert f">{today}</span>)" in page  # the heading's count
    if today > 20:
        latest = re.sub(r"<[^>]+>", "", re.search(r"De laatste .*?\.", page).group(0))
        assert latest == f"De laatste 20 van {today}." and "/desk/?all=1" in page
        # both numbers are marked for the desk script, which moves them with each save
        assert "<span data-today-shown>20</span>" in page
        assert f'<span data-count="{today}" data-one="1" data-many="%(n)s">{today}</span>.' in page
    everything = client.get("/desk/?all=1").get_data(as_text=True)
    assert everything.count('<td class="actions">') == today + 1


def test_a_renamed_topic_and_another_language_show_at_once(auth, client, app):
    """The desk's fields are rendered once per process for what they show: a category changed
    by an administrator, or another language, is on the very next page."""
    from ido.core.db import db
    from ido.core.models import Topic
    from ido.core.taxonomy import save_category

    auth.login("vol@a.example")
    assert "Toeslagen" in client.get("/desk/").get_data(as_text=True)
    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.code == "toeslagen"))
        save_category("topic", topic, {"name_nl": "Toeslagen en huur"}, None)
        db.session.commit()
    page = client.get("/desk/").get_data(as_text=True)
    assert "Toeslagen en huur" in page
    client.post("/language", data={"lang": "en", "next": "/desk/"})
    page = client.get("/desk/").get_data(as_text=True)
    assert "Choose how long it took" not in page and "Another referral" in page


def _deactivate_topic(app, code: str) -> None:
    from ido.core.db import db
    from ido.core.models import Topic
    from ido.core.taxonomy import save_category

    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.code == code))
        save_category("topic", topic, {"active": False}, None)
        db.session.commit()


def test_a_follow_up_of_a_switched_off_topic_is_saved_and_changed(auth, client, app):
    """The reference lists are shared, session-less objects: a follow-up whose parent an
    administrator switched off is still stored (with its parent, as always) and can be
    corrected, through the desk and the API alike."""
    from ido.core.organisation.tokens import create_token

    from .api_client import Api
    from .helpers import committed, user

    _deactivate_topic(app, "digid")
    auth.login("vol@a.example")
    data = desk_form(client)
    data["topics"] = ["digid_app"]
    assert client.post("/desk/", data=data).status_code == 302
    with app.app_context():
        [question] = questions()
        assert codes(question.topics) == ["digid", "digid_app"]
        question_id = question.id
        token = committed(create_token(user("vol@a.example"), "t")[1])
    body = {"id": str(uuid.uuid4()), "branch": "a1", "topics": ["digid_app"]}
    assert Api(client, token).post("/api/v1/questions", json=body).status_code == 201
    edit = f"/desk/questions/{question_id}/edit"
    fields = {
        "id": str(question_id),
        "topics": ["digid_app", "toeslagen"],
        "channel": "balie",
        "outcome": "geholpen",
        "duration_minutes": "15",
    }
    assert client.post(edit, data=fields).status_code == 302


def _service_worker_setup(response) -> dict:
    """What the served service worker keeps: the SETUP the server writes into desk-sw.js."""
    script = response.get_data(as_text=True)
    return json.JSONDecoder().raw_decode(script.split("const SETUP = ", 1)[1])[0]


def test_offline_service_worker_keeps_every_desk_file_under_its_hash(client, app):
    """The service worker learns the desk's files from the server: the stylesheet, the
    scripts (every file under js/desk/ too), the icon, each under its current hash, and the
    desk and paper pages; the browser checks it for a new version on every visit."""
    from ido.desk.offline import desk_files

    response = client.get("/desk/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    setup = _service_worker_setup(response)
    names = desk_files(app.static_folder)
    assert {"css/ido.css", "js/ido.js", "favicon.svg"} <= set(names)
    modules = os.path.join(app.static_folder, "js", "desk")
    for root, _dirs, files in os.walk(modules):
        assert {os.path.relpath(os.path.join(root, f), app.static_folder) for f in files} <= set(
            names
        )
    with app.test_request_context():
        assert setup["assets"] == [url_for("static", filename=name) for name in names]
    assert all(re.search(r"\?v=[0-9a-f]{12}$", url) for url in setup["assets"])
    assert setup["pages"] == ["/desk/", "/desk/paper"]
    assert re.fullmatch(r"[0-9a-f]{12}", setup["version"])
    for url in setup["assets"]:
        with client.get(url) as file:
            assert file.status_code == 200


def test_offline_service_worker_is_new_when_a_file_or_the_language_is(app):
    """A changed file (a new hash), a new module or another language gives other bytes and
    another version, so the browser installs it; the same list gives the same bytes."""
    from flask_babel import force_locale

    from ido.desk.offline import _service_worker_script

    folder = app.static_folder
    assets = ("/static/css/ido.css?v=aaaaaaaaaaaa", "/static/js/ido.js?v=bbbbbbbbbbbb")
    with app.test_request_context():
        with force_locale("nl"):
            first = _service_worker_script(folder, "nl", assets)
            again = _service_worker_script(folder, "nl", tuple(list(assets)))
            changed = _service_worker_script(folder, "nl", (assets[0], assets[1][:-1] + "c"))
            more = _service_worker_script(folder, "nl", (*assets, "/static/js/desk/x.js?v=1"))
        with force_locale("en"):
            english = _service_worker_script(folder, "en", assets)
    assert first == again
    scripts = [first, changed, more, english]
    versions = {re.search(rb'"version": "(\w+)"', script)[1] for script in scripts}
    assert len(set(scripts)) == 4 and len(versions) == 4


def test_offline_desk_files_are_the_fixed_ones_and_every_module(tmp_path):
    from ido.desk.offline import desk_files

    for name in ("css/ido.css", "js/ido.js", "favicon.svg", "js/desk/b.js", "js/desk/a.js"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "js/desk/lib").mkdir()
    (tmp_path / "js/desk/lib/c.js").write_text("x")
    (tmp_path / "js/desk/.a.js.swp").write_text("x")  # an editor's, not the desk's
    assert desk_files(str(tmp_path)) == [  # no js/desk-offline.js: gone once split up
        "css/ido.css",
        "js/ido.js",
        "favicon.svg",
        "js/desk/a.js",
        "js/desk/b.js",
        "js/desk/lib/c.js",
    ]


@pytest.mark.parametrize(
    ("lang", "heading", "link", "not_saved"),
    [
        ("nl", "Geen verbinding", "Naar de balie", "Dit is niet opgeslagen."),
        ("en", "No connection", "To the desk", "This was not saved."),
    ],
)
def test_offline_page_is_in_the_desks_language_with_a_link_back(
    client, lang, heading, link, not_saved
):
    """Without a connection, a desk page that needs one answers a page of the app in the
    desk's language (the desk registers the worker with it), with a link back to the desk;
    a form sent offline is said not to be saved."""
    desk = client.get("/desk/sw.js", query_string={"lang": lang})
    offline = _service_worker_setup(desk)["offline"]
    for page in offline.values():
        assert f'<html lang="{lang}">' in page and f"<h1>{heading}</h1>" in page
        assert f'<a class="button primary" href="/desk/">{link}</a>' in page
        assert "/static/css/ido.css?v=" in page
    assert not_saved not in offline["page"] and not_saved in offline["sent"]
