"""The national form's mapping: data an administrator edits, in versions from a month on, so
an old month prints as it was reported."""

import re

import pytest

from ido.core.db import db
from ido.core.exceptions import ServiceError
from ido.core.models import AuditEvent, Channel, NationalForm
from ido.core.reporting.national_form import band_label, default_mapping, parse_bands

from .conftest import Auth, messages
from .helpers import store_question


@pytest.mark.once
@pytest.mark.parametrize(
    "text, bands",
    [
        ("", ()),
        ("1-10, 11-30, 31-60, 61+", ((1, 10), (11, 30), (31, 60), (61, 480))),
        ("1–15; 16 - 480", ((1, 15), (16, 480))),  # an en dash, a semicolon, spaces
        ("1+", ((1, 480),)),
    ],
)
def test_duration_bands_are_read(text, bands):
    assert parse_bands(text) == bands


@pytest.mark.once
@pytest.mark.parametrize(
    "text",
    ["0-10, 11+", "1-10, 12+", "1-10, 5-20, 21+", "1-10", "1-10, 11-500", "tien", "١-10, 11+"],
)
def test_duration_bands_with_a_gap_an_overlap_or_no_end_are_refused(text):
    with pytest.raises(ServiceError):
        parse_bands(text)


@pytest.mark.once
def test_the_built_in_mapping_places_every_default_channel_and_topic():
    from ido.core.taxonomy import defaults

    mapping = default_mapping()
    assert {code for code, *_ in defaults.CHANNELS} == set(mapping.channel_of)
    assert mapping.channel_of["online"] == "online" and mapping.channel_of["afspraak"] == "fysiek"
    top = {code for code, _g, parent, *_ in defaults.TOPICS if not parent}
    assert set(mapping.topics) == top
    assert band_label(61, 480) == "61+" and band_label(1, 10) == "1-10"


def _form_data(html: str) -> dict[str, str]:
    """What the browser would send back unchanged: every input's and select's value."""
    data = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', body)
        data[name] = (chosen or re.search(r'<option value="([^"]*)"', body))[1]  # as shown
    data.pop("csrf_token", None)
    return data


def _lines(html: str, branch: str = "a1") -> dict[str, str]:
    return dict(
        re.findall(
            rf'<label for="t-{branch}-[^"]+">([^<]+)</label></th>\s*<td class="num">([\d,]+)</td>',
            html,
        )
    )


def test_an_administrator_changes_the_form_and_old_months_keep_theirs(client, counted, app, auth):
    """A version from January 2026 (the built-in one, saved) and one from March that renames a
    group, moves DigiD, sets bands and calls a referral differently: February prints with the
    first, March with the second."""
    auth.login("admin@ido.example")
    page = client.get("/admin/national-form")
    assert page.status_code == 200
    data = _form_data(page.get_data(as_text=True))
    assert data["group_0_nl"] == "Digitale overheid" and data["channel_telefoon"] == "2"
    assert (
        client.post("/admin/national-form", data={**data, "valid_from": "2026-01"}).status_code
        == 302
    )
    changed = {
        **data,
        "valid_from": "2026-03",
        "group_0_nl": "Overheid digitaal",
        "group_3_nl": "DigiD apart",  # a new line, from a spare row
        "topic_digid": "4",
        "bands": "1-30, 31+",
        "referred_nl": "Ja, doorverwezen",
        "channel_telefoon": "1",  # by phone now counts as in person
    }
    response = client.post("/admin/national-form", data=changed)
    assert response.status_code == 302
    assert "geldt vanaf 2026-03" in " ".join(
        messages(client.get("/admin/national-form").get_data(as_text=True))
    )

    client = app.test_client()
    Auth(client).login("coord@a.example")  # the coordinator of library A
    march = client.get("/reports/national?month=2026-03&branch=a1").get_data(as_text=True)
    lines = _lines(march)
    assert lines["DigiD apart"] == "1" and lines["Overheid digitaal"] == "0"
    assert lines["31+ minuten"] == "1" and lines["1-30 minuten"] == "0"
    assert lines["Ja, doorverwezen"] == "1" and lines["Fysiek"] == "1"
    assert "geldt vanaf maart 2026" in march
    later = _lines(client.get("/reports/national?month=2026-05&branch=a1").get_data(as_text=True))
    assert "DigiD apart" in later  # in force until a later version

    february = client.get("/reports/national?month=2026-02&branch=a1").get_data(as_text=True)
    lines = _lines(february)
    assert lines["Digitale overheid"] == "1"  # the DigiD app question, as reported then
    assert "DigiD apart" not in lines and "45 minuten" in lines and "Doorverwezen" in lines
    assert "geldt vanaf januari 2026" in february

    with app.app_context():
        versions = db.session.scalars(db.select(NationalForm).order_by(NationalForm.id)).all()
        assert [v.valid_from.isoformat() for v in versions] == ["2026-01-01", "2026-03-01"]
        assert versions[1].saved_by.email == "admin@ido.example"
        events = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.entity == "national_form")
        ).all()
        assert len(events) == 2
    client = app.test_client()
    Auth(client).login("admin@ido.example")
    history = client.get("/admin/national-form").get_data(as_text=True)
    assert "maart 2026" in history and "januari 2026" in history
    first = versions[0].id
    old = _form_data(client.get(f"/admin/national-form?version={first}").get_data(as_text=True))
    assert old["group_0_nl"] == "Digitale overheid"  # start from an old version


@pytest.mark.once  # refused in Python before any query
@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"bands": "1-10, 20+"}, "bands", "Niet begrepen: 20+"),
        ({"bands": "1-10, 11-60"}, "bands", "de laatste klasse"),
        ({"valid_from": "2026-13"}, "valid_from", "jjjj-mm"),
        ({"valid_from": "1999-12"}, "valid_from", "vanaf 2000"),
        ({"valid_from": ""}, "valid_from", "Geef de maand"),
        ({"topic_digid": "99"}, "topic_digid", "bestaat niet (meer)"),
        ({"topic_digid": "4"}, "topic_digid", "regel die een naam heeft"),  # an empty row
        ({"group_0_nl": ""}, "topic_digid", "regel die een naam heeft"),  # its line emptied
        ({"group_1_nl": "", "group_1_en": "Library"}, "group_1_nl", "Nederlandse naam"),
        ({"referred_nl": ""}, "referred_nl", "Geef een naam"),
        ({"group_0_nl": "Over\u202eheid"}, "group_0_nl", "teken dat niet"),
        ({"group_0_nl": "x" * 101}, "group_0_nl", "langer zijn dan 100"),
        ({"group_1_nl": "digitale overheid"}, "group_1_nl", "heeft al deze naam"),  # twice
        ({"line_2_nl": "Fysiek"}, "line_2_nl", "heeft al deze naam"),
        ({"valid_from": "\u0662\u0660\u0662\u0666-\u0660\u0663"}, "valid_from", "jjjj-mm"),
        ({"topic_digid": ""}, "topic_digid", "regel die een naam heeft"),
    ],
)
def test_a_mapping_that_cannot_be_right_is_refused_and_nothing_is_saved(
    client, org, app, change, field, message, auth
):
    auth.login("admin@ido.example")
    data = _form_data(client.get("/admin/national-form").get_data(as_text=True))
    response = client.post("/admin/national-form", data={**data, **change})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in " ".join(messages(html))
    assert f'href="#{field}' in html  # the error summary links to the field
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(NationalForm)) == 0


def test_only_administrators_see_the_mapping_and_unknown_versions_are_404(client, org, app, auth):
    auth.login("coord@a.example")
    assert client.get("/admin/national-form").status_code == 403
    assert client.post("/admin/national-form", data={"valid_from": "2026-01"}).status_code == 403
    client = app.test_client()
    Auth(client).login("admin@ido.example")
    for version in ("999", "abc", "1" * 20, "\u0661"):
        assert client.get(f"/admin/national-form?version={version}").status_code == 404


def test_a_channel_added_after_the_mapping_shows_as_not_assigned(client, org, app, auth):
    """The numbers still add up when the mapping lags behind the lists, and the gap shows."""
    from datetime import UTC, datetime

    with app.app_context():
        db.session.add(Channel(code="chat", name_nl="Chat", name_en="Chat", position=99))
        db.session.commit()
        store_question("a1", datetime(2026, 4, 2, 10, tzinfo=UTC), ["digid"], channel="chat")
    auth.login("coord@a.example")
    lines = _lines(client.get("/reports/national?month=2026-04&branch=a1").get_data(as_text=True))
    assert lines["Niet ingedeeld (werk de indeling van het landelijke formulier bij)"] == "1"
    assert lines["Online"] == "0" and lines["Bezoekers (registraties)"] == "1"


def test_a_topic_added_after_the_mapping_must_be_placed_before_saving(client, org, app, auth):
    """The page does not quietly put a new topic on the first line: it shows no line chosen,
    and saving asks for one."""
    from ido.core.models import Topic

    with app.app_context():
        db.session.add(Topic(code="ai_hulp", name_nl="AI-hulp", name_en="AI help", group="overig"))
        db.session.commit()
    auth.login("admin@ido.example")
    page = client.get("/admin/national-form").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="topic_ai_hulp"[^>]*>(.*?)</select>', page, re.S)[1]
    assert "selected" not in select and select.startswith('<option value="">– kies een regel –')
    assert "in force now" not in page and "nu geldig" not in page  # no version saved yet
    data = _form_data(page)
    response = client.post("/admin/national-form", data=data)
    assert response.status_code == 422
    assert "Kies een regel die een naam heeft." in " ".join(
        messages(response.get_data(as_text=True))
    )
    data["topic_ai_hulp"] = "3"
    assert client.post("/admin/national-form", data=data).status_code == 302
    assert "(nu geldig)" in client.get("/admin/national-form").get_data(as_text=True)
