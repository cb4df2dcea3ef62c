"""What the desk script shows is true, in a real browser (Debian's Chromium through
Playwright): counts and lists change in place with each save and undo, a paper tap of "x 5"
is undone whole (on the server too) and does not stay at x 5, a refused save looks like the
server's refusal, and quick mode's confirmation stays in view on a phone. The logic behind
it has unit tests of its own (tests/js/)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from ido.core.timeutil import day_text, now_local

from ..helpers import codes, questions, wait_until
from .pages import AXE_SCRIPT, TABLET, log_in, problems_here

pytestmark = pytest.mark.once  # the page and its script; the API is tested on both databases

PHONE_390 = {"width": 390, "height": 844}
RED = "rgb(176, 0, 32)"  # --ido-color-error


def _desk(browser, live_url, viewport=TABLET):
    """A volunteer's desk (service workers blocked: this is about the page, not offline use),
    with axe-core at hand and a list of the page's script errors."""
    context = browser.new_context(
        viewport=viewport, locale="nl-NL", has_touch=True, service_workers="block"
    )
    context.add_init_script(AXE_SCRIPT)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",  # a refusal (422) is an answer, which Chromium logs as a failed load
        lambda msg: (
            msg.type == "error" and "status of 422" not in msg.text and errors.append(msg.text)
        ),
    )
    log_in(page, live_url, "vol@a.example")
    return page, errors


def _stored(app, page, count: int, what: str):
    def found():
        with app.app_context():
            return len(questions()) == count

    wait_until(found, what, page=page)


def test_counts_and_todays_list_change_in_place_and_the_follow_ups_close(browser, live_url, app):
    page, errors = _desk(browser, live_url)
    count = page.locator(".today-count a")
    expect(count).to_have_text("0 vragen vandaag")
    page.locator("label[for=topics-digid]").click()
    page.locator("label[for=topics-digid_activeren]").click()
    page.get_by_role("button", name="Vraag opslaan").click()
    expect(page.locator(".saved")).to_contain_text("Opgeslagen: DigiD, DigiD activeren")
    expect(count).to_have_text("1 vraag vandaag")
    expect(page.locator("#today-heading")).to_contain_text("(1)")
    row = page.locator("[data-today-rows] tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("uzelf")
    expect(row.get_by_role("link", name="Wijzigen")).to_have_attribute("href", re.compile("/edit"))
    expect(row.get_by_role("button", name="Verwijderen")).to_be_visible()
    expect(page.get_by_text("Hier zijn vandaag nog geen vragen geregistreerd.")).to_be_hidden()
    # the form is empty again and DigiD's follow-ups closed
    expect(page.locator("#topics-digid")).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#followups-digid")).to_be_hidden()
    _stored(app, page, 1, "the question arrived")

    page.locator(".saved").get_by_role("button", name="Ongedaan maken").click()
    expect(page.locator(".saved")).to_contain_text("Ongedaan gemaakt.")
    expect(count).to_have_text("0 vragen vandaag")
    expect(row).to_have_count(0)
    expect(page.get_by_text("Hier zijn vandaag nog geen vragen geregistreerd.")).to_be_visible()
    _stored(app, page, 0, "the undo reached the server")
    assert errors == []
    page.context.close()


def test_a_paper_tap_of_five_is_undone_whole_and_the_tap_returns_to_one(browser, live_url, app):
    """An empty paper day gets its first rows; Enter in the time field logs nothing; "x 5"
    with a time is confirmed as "x 5" and goes back to x 1 without a time; its undo takes back
    all five, on the server too."""
    page, errors = _desk(browser, live_url)
    posts = []  # the questions' requests: "x 5" goes in one batch
    page.on(
        "request",
        lambda r: (
            posts.append(r.url.split("/api/v1/")[1])
            if r.method == "POST" and "/api/v1/" in r.url
            else None
        ),
    )
    yesterday = day_text(now_local().date() - timedelta(days=1))
    page.goto(f"{live_url}/desk/paper")
    page.get_by_role("button", name="Gisteren").click()  # beside the typed day
    expect(page.locator("h1")).to_contain_text(yesterday)
    empty = page.get_by_text("Hier is op deze dag nog niets geregistreerd.")
    expect(empty).to_be_visible()
    page.locator("label[for=times-5]").click()
    page.locator("#at").fill("14:30")
    # Enter (a phone's "Go", to close its keyboard) logs nothing: no first tile by default
    page.locator("#at").press("Enter")
    expect(page.locator("#at")).to_have_value("14:30")
    expect(page.locator("#times-5")).to_be_checked()
    page.locator("button.tile[value=toeslagen]").click()
    saved = page.locator(".saved")
    expect(saved).to_contain_text(f"Opgeslagen: Toeslagen × 5 · {yesterday} 14:30")
    expect(page.locator("#times-1")).to_be_checked()  # the next tap is one, without a time
    expect(page.locator("#at")).to_have_value("")
    expect(page.locator(".today-count a")).to_have_text("5 vragen op deze dag")
    rows = page.locator("[data-today-rows] tr")
    expect(rows).to_have_count(5)
    expect(rows.get_by_role("button", name="Ongedaan maken")).to_have_count(5)
    expect(empty).to_be_hidden()
    _stored(app, page, 5, "five questions arrived")
    assert posts == ["batch/questions"]  # one request for the five
    assert problems_here(page, "the paper page after a tap") == []

    saved.get_by_role("button", name="Ongedaan maken").click()
    expect(page.locator("[data-saved-live]")).to_be_focused()  # not lost with its button
    expect(page.locator(".today-count a")).to_have_text("0 vragen op deze dag")
    expect(rows).to_have_count(0)
    expect(empty).to_be_visible()
    _stored(app, page, 0, "all five undone on the server")
    page.locator("button.tile[value=digid]").click()  # x 1 again
    _stored(app, page, 1, "the next tap logged one")
    with app.app_context():
        [question] = questions()
        assert codes(question.topics) == ["digid"] and question.local_hour is None
    assert errors == []
    page.context.close()


def test_a_refused_save_keeps_the_form_and_says_why_at_the_field_in_red(browser, live_url, app):
    page, errors = _desk(browser, live_url)
    page.locator("label[for=topics-toeslagen]").click()
    page.get_by_text("Eerder tijdstip of een notitie").click()
    note = page.get_by_role("textbox", name="Notitie")
    note.fill("bel terug op 06-12345678")
    page.get_by_role("button", name="Vraag opslaan").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("De vraag is niet opgeslagen")
    expect(
        summary.get_by_role("link", name=re.compile("Notitie.*: .*telefoonnummer"))
    ).to_be_visible()
    assert summary.evaluate("e => getComputedStyle(e).borderTopColor") == RED
    message = page.locator("#note-errors")
    expect(message).to_contain_text("telefoonnummer")
    assert message.evaluate("e => getComputedStyle(e).color") == RED
    expect(note).to_have_value("bel terug op 06-12345678")  # the form as it was typed
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#topics-toeslagen")).to_be_checked()
    expect(page.locator("section.queue")).to_be_hidden()  # not "waiting to be sent"
    expect(page.locator("[data-saved-live]")).not_to_contain_text("Opgeslagen")
    assert problems_here(page, "a refused save") == []

    note.fill("terugbellen afgesproken")
    page.get_by_role("button", name="Vraag opslaan").click()
    expect(page.locator(".saved")).to_contain_text("Opgeslagen: Toeslagen")
    expect(summary).to_have_count(0)
    _stored(app, page, 1, "the corrected question arrived")
    with app.app_context():
        assert questions()[0].note == "terugbellen afgesproken"
    assert errors == []
    page.context.close()


def test_quick_modes_confirmation_stays_in_view_on_a_phone(browser, live_url, app):
    page, errors = _desk(browser, live_url, viewport=PHONE_390)
    page.get_by_role("button", name="Snelle modus").click()
    last = page.locator("button.tile").last  # a lower tile: the page scrolls to it
    last.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 400
    last.tap()
    saved = page.locator(".saved")
    expect(saved).to_contain_text("Opgeslagen")
    for shown in (saved, saved.get_by_role("button", name="Ongedaan maken")):
        box = shown.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE_390["height"], box
    _stored(app, page, 1, "the question arrived")
    assert errors == []
    page.context.close()


def test_the_list_of_questions_fits_a_tablet_and_a_row_is_one_line_on_a_pc(browser, live_url, app):
    """The coordinators' Vragen (the widest list: three actions a row, the same rows as Mijn
    recente vragen): at 768 px every action is inside the window, at 1366 px a row is as tall
    as its buttons; the desk's own links are 44 px tall."""
    from ido.core.db import db

    from ..helpers import store_question

    with app.app_context():
        for topics in (["toeslagen"], ["digid", "digid_activeren"]):
            store_question("a1", now_local() - timedelta(hours=1), topics, referrals=["svb"])
        db.session.commit()
    context = browser.new_context(viewport=TABLET, locale="nl-NL")
    page = context.new_page()
    log_in(page, live_url, "coord@a.example", next_path="/reports/questions")
    for width, height in ((768, 1024), (1366, 768)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_url}/reports/questions")
        rows = page.locator("table.questions tbody tr")
        expect(rows).to_have_count(2)
        for action in rows.locator(".actions .button").all():
            box = action.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, box)
        if width == 1366:
            assert all(row.bounding_box()["height"] <= 60 for row in rows.all())
    page.goto(f"{live_url}/desk/mine")
    assert page.get_by_role("link", name="Terug naar de balie").bounding_box()["height"] >= 44
    page.goto(f"{live_url}/desk/")
    page.get_by_text("A Centrum").click()  # a coordinator chooses a branch first
    page.locator("main form button[type=submit]").first.click()
    assert page.locator(".today-count a").bounding_box()["height"] >= 44
    context.close()
