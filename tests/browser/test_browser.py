"""The desk in a real browser (Debian's Chromium through Playwright): taps, no-JS, phone width."""

import pytest
from playwright.sync_api import expect

from ..helpers import codes, questions, user, wait_until
from .pages import PHONE, TABLET, open_desk

# The pages and scripts do not depend on the database: one pass is enough.
pytestmark = pytest.mark.once


def test_two_taps_on_a_tablet(browser, live_url, app):
    page, problems = open_desk(browser, live_url)
    page.get_by_text("Toeslagen", exact=True).tap()  # tap 1
    save = page.get_by_role("button", name="Vraag opslaan")
    assert save.is_visible() and save.bounding_box()["y"] < TABLET["height"]  # no scrolling
    save.tap()  # tap 2
    status = page.locator(".saved")
    expect(status).to_contain_text("Opgeslagen: Toeslagen")  # no new page: the script saved it
    assert status.get_by_role("button", name="Ongedaan maken").is_visible()
    assert problems == []  # no script errors, no CSP violations
    with app.app_context():
        [question] = questions()
        assert codes(question.topics) == ["toeslagen"]
        assert question.channel.code == "balie" and question.duration_minutes == 10
    page.context.close()


def test_digid_follow_ups_appear_when_digid_is_chosen(browser, live_url, app):
    page, problems = open_desk(browser, live_url)
    follow_up = page.get_by_text("DigiD-app", exact=True)
    assert not follow_up.is_visible()
    page.get_by_text("DigiD", exact=True).click()
    assert follow_up.is_visible()
    follow_up.click()
    page.get_by_role("button", name="Vraag opslaan").click()
    expect(page.locator(".saved")).to_contain_text("Opgeslagen: DigiD, DigiD-app")
    assert problems == []
    with app.app_context():
        [question] = questions()
        assert codes(question.topics) == ["digid", "digid_app"]
    page.context.close()


def test_desk_works_without_javascript(browser, live_url, app):
    page, _ = open_desk(browser, live_url, javascript=False)
    assert page.get_by_text("DigiD-app", exact=True).is_visible()  # follow-ups simply shown
    page.get_by_text("Gemeentelijke regelingen en dienstverlening", exact=True).click()
    page.get_by_text("Per e-mail", exact=True).click()
    page.get_by_role("button", name="Vraag opslaan").click()
    assert "Opgeslagen" in page.locator(".saved").inner_text()
    with app.app_context():
        [question] = questions()
        assert codes(question.topics) == ["gemeente"] and question.channel.code == "email"
    page.context.close()


def test_quick_mode_one_tap_then_undo(browser, live_url, app):
    page, problems = open_desk(browser, live_url)
    quick = page.get_by_role("button", name="Snelle modus")
    assert quick.get_attribute("aria-pressed") == "false"
    quick.click()
    assert page.get_by_role("button", name="Snelle modus", pressed=True).is_visible()
    page.get_by_role("button", name="Computer, tablet of smartphone").tap()  # the one tap
    expect(page.locator(".saved")).to_contain_text("Opgeslagen: Computer, tablet of smartphone")
    # the confirmation's button (while the save is on its way, the queue shows one too)
    page.locator(".saved").get_by_role("button", name="Ongedaan maken").tap()
    expect(page.locator(".saved")).to_contain_text("Ongedaan gemaakt.")

    def undone():  # the undo goes to the server through the queue
        with app.app_context():
            return questions() == [] and len(questions(include_deleted=True)) == 1

    wait_until(undone, "the undo reached the server", page=page)
    assert problems == []
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
def test_no_sideways_scrolling(browser, live_url, app, viewport):
    page, problems = open_desk(browser, live_url, viewport=viewport)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    for n in (1, 2):
        page.locator("label").get_by_text("Belastingaangifte", exact=True).tap()
        page.get_by_role("button", name="Vraag opslaan").tap()
        expect(page.locator("[data-today-rows] tr")).to_have_count(n)  # today's list
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert problems == []
    page.context.close()


def test_switching_someone_off_asks_first(browser, live_url, app):
    page, problems = open_desk(browser, live_url, email="coord@a.example")
    with app.app_context():
        person = user("vol@a.example").id
    page.goto(f"{live_url}/admin/people/{person}")
    page.get_by_label("Mag inloggen").uncheck()
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("button", name="Opslaan").click()
    assert dialogs == ["Opslaan? Vrijwilliger A1 kan dan niet meer inloggen."]
    with app.app_context():
        assert user("vol@a.example").active  # dismissed: nothing changed
    assert problems == []
    page.context.close()


def test_the_desk_is_light_first_time_and_one_request_after(browser, live_url, seen, app):
    """A tablet that opens the desk with an empty cache transfers at most 45 KB (the page, its
    style, its scripts, the desk's nine modules among them, and its icon; 41.6 KB with the
    session tiles and the referral slip); the server is asked
    once for each, for the service worker, and for what that keeps as it installs (the desk
    page once more and the paper page; the files come from the browser's cache); opening it
    again asks only for the page (the rest is cached for a year under its content hash)."""
    from ido.desk.offline import desk_files

    page, _ = open_desk(browser, live_url)
    state = page.context.storage_state()
    page.context.close()
    context = browser.new_context(viewport=TABLET, storage_state=state, locale="nl-NL")
    page = context.new_page()
    sizes: list[int] = []
    page.on(
        "requestfinished",
        lambda request: sizes.append(
            request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
        ),
    )
    seen.clear()
    page.goto(f"{live_url}/desk/")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => !!navigator.serviceWorker.controller")  # installed: all kept
    files = [f"/static/{name}" for name in desk_files(app.static_folder)]
    expected = ["/desk/", "/desk/sw.js", *files, "/desk/", "/desk/paper"]
    assert seen[0] == "/desk/" and set(seen) <= set(expected), seen
    assert len(seen) <= len(expected), seen
    assert sum(sizes) <= 45_000, sizes
    seen.clear()
    page.goto(f"{live_url}/desk/")  # as following a link or the redirect after a save does
    page.wait_for_load_state("networkidle")
    assert seen == ["/desk/"]
    context.close()
