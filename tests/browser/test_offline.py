"""The desk without a connection, in a real browser (Debian's Chromium through Playwright):
entries wait in the browser's queue through reloads and a closed browser, and each arrives
exactly once when the connection returns, even when an answer was lost on the way."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from ..helpers import codes, questions, wait_until
from .pages import AXE_SCRIPT, CHROMIUM, CHROMIUM_ARGS, TABLET, log_in, problems_here

pytestmark = pytest.mark.once  # the browser and its queue; the API's idempotency is tested on both


def _tablet(browser, **options):
    """A tablet's browser: a context of its own (cookies, IndexedDB, service worker, caches)."""
    return browser.new_context(viewport=TABLET, locale="nl-NL", **options)


def _profile(playwright, folder, **options):
    """A browser with a profile on disk: closing and opening it again keeps its IndexedDB,
    its service worker and its cookies, as a tablet's browser does."""
    return playwright.chromium.launch_persistent_context(
        str(folder),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        viewport=TABLET,
        locale="nl-NL",
        **options,
    )


def _enrol_tablet(page, live_url, app):
    """A desk tablet of branch a1, enrolled with a code as a coordinator hands it out: its
    cookie outlives a closed browser, as a tablet at the desk needs."""
    from ido.core.db import db
    from ido.core.organisation.devices import enrol_device

    from ..helpers import branch, user

    with app.app_context():
        code = enrol_device(branch("a1"), "tablet", user("coord@a.example"))[1]
        db.session.commit()
    page.goto(f"{live_url}/desk/enrol")
    page.get_by_label("Code van uw IDO-coördinator").fill(code)
    page.get_by_role("button", name="Instellen").click()
    page.wait_for_url(re.compile(r"/desk/$"))


def _kept_for_offline(page):
    """Wait until the service worker has installed (it keeps the desk, the paper page and
    their files as it does) and controls this page, the first one it saw: no reload needed."""
    page.wait_for_function("() => !!navigator.serviceWorker.controller")


def _wait_until_kept(page, path: str):
    """Wait until the service worker has kept `path` (wait_for_function would not wait for a
    promise: it takes the promise itself for true)."""
    script = f"caches.open('ido-desk-v1').then(c => c.match('{path}')).then(Boolean)"
    wait_until(lambda: page.evaluate(script), f"{path} kept", page=page)


def _desk(browser, live_url):
    """A volunteer's desk in a browser of its own, kept for offline use."""
    context = _tablet(browser)
    page = context.new_page()
    log_in(page, live_url, "vol@a.example")
    _kept_for_offline(page)
    return context, page


def _arrived(app, page, count: int):
    """Wait until `count` questions are stored (the queue goes by itself after a page load;
    the queue area starts hidden, so waiting for it to hide proves nothing)."""

    def stored():
        with app.app_context():
            return len(questions()) >= count

    wait_until(stored, f"{count} questions arrived", page=page)


def _save(page, topic: str):
    page.locator("label").get_by_text(topic, exact=True).click()
    page.get_by_role("button", name="Vraag opslaan").click()


def test_five_questions_logged_offline_arrive_once_after_reloads_and_a_restart(
    playwright, live_url, app, tmp_path
):
    context = _profile(playwright, tmp_path / "profile")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    _enrol_tablet(page, live_url, app)
    _kept_for_offline(page)

    context.set_offline(True)
    for topic in ("DigiD", "Toeslagen", "Belastingaangifte", "DigiD", "Overig"):
        _save(page, topic)
    queue = page.locator("#queue-heading")
    expect(queue).to_have_text("5 vragen wachten op verzending")
    page.reload()  # offline: the desk comes from the service worker, the queue from IndexedDB
    expect(page.get_by_role("button", name="Vraag opslaan")).to_be_visible()
    expect(queue).to_have_text("5 vragen wachten op verzending")
    context.close()  # the browser is closed, still without a connection

    context = _profile(playwright, tmp_path / "profile", offline=True)
    page = context.new_page()
    page.goto(f"{live_url}/desk/")
    queue = page.locator("#queue-heading")
    expect(queue).to_have_text("5 vragen wachten op verzending")
    with app.app_context():
        assert questions() == []  # nothing reached the server yet

    context.set_offline(False)  # the connection returns: the queue goes by itself
    expect(page.locator("section.queue")).to_be_hidden(timeout=15_000)
    with app.app_context():
        found = questions()
        assert sorted(codes(q.topics)[0] for q in found) == [
            "belastingaangifte",
            "digid",
            "digid",
            "overig",
            "toeslagen",
        ]
    assert problems == []
    context.close()


def test_an_answer_lost_on_the_way_is_not_counted_twice(browser, live_url, app):
    """The server stores the entry but its answer never arrives: the entry stays in the
    queue, is sent again, and the server answers that it has it already."""
    context = _tablet(browser, service_workers="block")
    page = context.new_page()
    log_in(page, live_url, "vol@a.example")
    lost = []

    def lose_the_first_answer(route):
        if not lost:
            lost.append(route.fetch().status)  # it reached the server...
            route.abort("connectionreset")  # ...but the answer did not reach the desk
        else:
            route.continue_()

    page.route("**/api/v1/questions", lose_the_first_answer)
    _save(page, "Toeslagen")
    wait_until(lambda: lost, "the first answer was lost", page=page)
    assert lost == [201]
    expect(page.locator("#queue-heading")).to_have_text("1 vraag wacht op verzending")
    with app.app_context():
        assert len(questions()) == 1
    page.get_by_role("button", name="Nu verzenden").click()
    expect(page.locator("section.queue")).to_be_hidden()
    expect(page.locator(".saved")).to_contain_text("Opgeslagen: Toeslagen")
    with app.app_context():
        assert len(questions()) == 1  # sent twice, stored once
    context.close()


def test_a_session_that_ended_offline_asks_to_log_in_then_sends(browser, live_url, app):
    context, page = _desk(browser, live_url)
    context.set_offline(True)
    _save(page, "DigiD")
    _save(page, "Overig")
    context.clear_cookies()  # the session ends while the desk is offline
    context.set_offline(False)
    page.get_by_role("button", name="Nu verzenden").click()
    login = page.get_by_role("link", name="Log opnieuw in om ze te verzenden")
    expect(login).to_be_visible()
    with app.app_context():
        assert questions() == []
    login.click()
    page.wait_for_load_state()
    # the log-in page drops the desk kept for offline use (a shared computer's next user)
    assert page.evaluate("caches.has('ido-desk-v1')") is False
    log_in(page, live_url, "vol@a.example")  # on the log-in page the link opened
    assert "/desk/" in page.url
    _arrived(app, page, 2)  # sent on the page load
    expect(page.locator("section.queue")).to_be_hidden()
    with app.app_context():
        assert sorted(codes(q.topics)[0] for q in questions()) == ["digid", "overig"]
    # the desk opened after the log-in page keeps everything again: the paper page, unopened
    _wait_until_kept(page, "/desk/paper")
    context.set_offline(True)
    page.goto(f"{live_url}/desk/paper")
    expect(page.get_by_role("button", name="Begin met deze dag")).to_be_visible()
    context.close()


def test_a_refused_entry_shows_why_and_can_be_corrected(browser, live_url, app):
    """Personal data typed into a note offline is refused when it arrives: the entry stays
    with the reason, goes back into the form, and is saved once corrected, with the moment it
    was logged (this tablet's clock runs an hour behind, so that moment cannot be mistaken
    for the moment of the correction)."""
    context = _tablet(browser)
    context.clock.install(time=datetime.now(UTC) - timedelta(hours=1))
    context.add_init_script(AXE_SCRIPT)  # axe-core, past the page's script policy
    page = context.new_page()
    log_in(page, live_url, "vol@a.example")
    _kept_for_offline(page)
    context.set_offline(True)
    page.locator("label").get_by_text("DigiD", exact=True).click()
    page.get_by_text("Eerder tijdstip of een notitie").click()
    page.get_by_role("textbox", name="Notitie").fill("bel terug op 06-12345678")
    page.get_by_role("button", name="Vraag opslaan").click()
    logged_at = datetime.fromtimestamp(page.evaluate("Date.now()") / 1000, UTC)
    assert logged_at < datetime.now(UTC) - timedelta(minutes=50)  # the tablet's clock
    context.set_offline(False)
    page.get_by_role("button", name="Nu verzenden").click()
    refused = page.locator('[data-queue-list] li[data-state="refused"]')
    expect(refused).to_contain_text("telefoonnummer")
    expect(page.locator("#queue-heading")).to_have_text("1 vraag geweigerd")  # not "waiting"
    expect(page.locator("[data-queue-waiting-note]")).to_be_hidden()  # nor "sent by itself"
    assert problems_here(page, "the queue with a refused entry") == []  # axe, at this width
    refused.get_by_role("button", name="Aanpassen").click()
    note = page.get_by_role("textbox", name="Notitie")
    expect(note).to_have_value("bel terug op 06-12345678")
    note.fill("terugbellen afgesproken")
    page.get_by_role("button", name="Vraag opslaan").click()
    expect(page.locator(".saved")).to_contain_text("Opgeslagen: DigiD")
    with app.app_context():
        [question] = questions()
        assert question.note == "terugbellen afgesproken"
        assert abs(question.asked_at - logged_at) < timedelta(seconds=5)  # when it was logged
    context.close()


def test_undo_of_an_entry_not_yet_sent_takes_it_out_of_the_queue(browser, live_url, app):
    context, page = _desk(browser, live_url)
    page.get_by_role("button", name="Snelle modus").click()  # quick mode works offline too
    context.set_offline(True)
    page.locator("button.tile[value=toeslagen]").click()
    page.locator("button.tile[value=overig]").click()
    expect(page.locator("#queue-heading")).to_have_text("2 vragen wachten op verzending")
    page.locator("[data-queue-list] li").filter(has_text="Toeslagen").get_by_role(
        "button", name="Ongedaan maken"
    ).click()  # not the tap the message confirms: focus goes to the list's heading, not to it
    heading = page.locator("#queue-heading")
    expect(heading).to_have_text("1 vraag wacht op verzending")
    expect(heading).to_be_focused()
    expect(page.locator(".saved")).to_contain_text("Overig")
    context.set_offline(False)
    expect(page.locator("section.queue")).to_be_hidden(timeout=15_000)
    with app.app_context():
        assert [codes(q.topics) for q in questions()] == [["overig"]]
    context.close()


def test_a_long_outage_keeps_the_moment_each_entry_was_logged(browser, live_url, app):
    """Sixty entries over ten minutes without a connection (on Playwright's clock, so it
    takes seconds), with reloads in between: each arrives once, with the moment it was
    logged, not the moment it was sent."""
    context = _tablet(browser)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    context.clock.install(time=start)
    page = context.new_page()
    log_in(page, live_url, "vol@a.example")
    _kept_for_offline(page)
    page.get_by_role("button", name="Snelle modus").click()
    context.set_offline(True)
    logged, queue = [], page.locator("#queue-heading")
    for n in range(1, 61):
        if n % 20 == 1 and n > 1:
            page.reload()
        page.locator("button.tile[value=toeslagen]").click()
        logged.append(page.evaluate("Date.now()"))
        # in the queue before the next visitor taps (a tap while the last one is still being
        # stored is taken for a double tap and ignored; a busy browser can take that long)
        waiting = "1 vraag wacht" if n == 1 else f"{n} vragen wachten"
        expect(queue).to_have_text(f"{waiting} op verzending")
        page.clock.fast_forward(10_000)  # ten seconds between visitors
    context.set_offline(False)
    expect(page.locator("section.queue")).to_be_hidden(timeout=30_000)
    with app.app_context():
        found = sorted(q.asked_at for q in questions())
    assert len(found) == 60
    expected = [datetime.fromtimestamp(ms / 1000, UTC) for ms in logged]
    assert all(abs(a - b) < timedelta(seconds=2) for a, b in zip(found, expected, strict=True))
    assert found[-1] - found[0] >= timedelta(minutes=9, seconds=50)
    context.close()


def test_pages_that_need_a_connection_say_so_and_that_nothing_was_saved(browser, live_url):
    context, page = _desk(browser, live_url)
    page.get_by_role("link", name="Invoeren van papier").click()  # online: the real page
    day = page.get_by_role("button", name="Begin met deze dag")
    expect(day).to_be_visible()
    context.set_offline(True)
    day.click()  # a form sent without a connection
    expect(page.get_by_role("heading", name="Geen verbinding")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Dit is niet opgeslagen.")
    page.get_by_role("link", name="Naar de balie").click()  # and the desk still opens
    expect(page.get_by_role("button", name="Vraag opslaan")).to_be_visible()
    context.close()


def test_paper_mode_and_undo_work_offline(browser, live_url, app):
    """Typing in a tally sheet offline: a time that cannot be read is said on the page (the
    tap and its time kept), three strokes at once without a time (the time stays unknown) and
    one with a time, through a reload; and the undo of a question already sent, tapped
    without a connection, is carried out once there is one."""
    from datetime import date

    from ido.core.timeutil import day_text, now_local

    context, page = _desk(browser, live_url)
    _save(page, "Overig")  # online: sent at once
    expect(page.locator(".saved")).to_contain_text("Opgeslagen: Overig")
    context.set_offline(True)
    page.locator(".saved").get_by_role("button", name="Ongedaan maken").click()
    expect(page.locator("#queue-heading")).to_have_text("1 vraag wacht op verzending")
    context.set_offline(False)
    expect(page.locator("section.queue")).to_be_hidden(timeout=15_000)
    with app.app_context():
        assert questions() == [] and len(questions(include_deleted=True)) == 1

    yesterday = now_local().date() - timedelta(days=1)
    page.goto(f"{live_url}/desk/paper")
    page.locator("#day").fill(day_text(yesterday))
    page.get_by_role("button", name="Begin met deze dag").click()
    expect(page.get_by_role("button", name="Toeslagen")).to_be_visible()
    page.reload()  # the paper page is kept for offline use as the desk is
    context.set_offline(True)
    page.locator("label[for=times-3]").click()
    page.locator("#at").fill("25:00")  # a time that cannot be read: said here, nothing lost
    page.locator("button.tile[value=toeslagen]").click()
    expect(page.locator(".refused")).to_have_text("Schrijf de tijd als uu:mm, bijvoorbeeld 14:30.")
    expect(page.locator("#at")).to_have_value("25:00")
    expect(page.locator("#times-3")).to_be_checked()
    expect(page.locator("section.queue")).to_be_hidden()
    page.locator("#at").fill("")
    page.locator("button.tile[value=toeslagen]").click()
    expect(page.locator("#queue-heading")).to_have_text("3 vragen wachten op verzending")
    page.locator("label[for=times-1]").click()
    page.locator("#at").fill("14.30")
    page.locator("button.tile[value=digid]").click()
    expect(page.locator("#queue-heading")).to_have_text("4 vragen wachten op verzending")
    page.reload()
    expect(page.locator("#queue-heading")).to_have_text("4 vragen wachten op verzending")
    page.locator("button.tile[value=zorg]").click()  # one more after the reload
    saved = page.locator(".saved")
    expect(saved).to_contain_text("Zorg en Wmo")
    context.set_offline(False)
    expect(page.locator("section.queue")).to_be_hidden(timeout=15_000)
    # the confirmation of the last tap, with its undo, stays when the earlier ones are sent
    expect(saved).to_contain_text("Zorg en Wmo")
    expect(saved.get_by_role("button", name="Ongedaan maken")).to_be_visible()
    with app.app_context():
        found = sorted((codes(q.topics)[0], q.local_date, q.local_hour) for q in questions())
    assert found == [
        ("digid", yesterday, 14),
        *[("toeslagen", yesterday, None)] * 3,  # no time on the paper: unknown, not guessed
        ("zorg", yesterday, None),
    ]
    assert isinstance(yesterday, date)
    context.close()


def test_the_desk_is_kept_from_the_first_visit_and_a_fast_clock_is_corrected(
    browser, live_url, app
):
    """A tablet enrolled and used without ever reloading still opens offline; and its clock,
    ten minutes fast, does not get questions refused as being in the future: the server's
    clock (from its answer) sets the moment back."""
    context = _tablet(browser)
    context.clock.install(time=datetime.now(UTC) + timedelta(minutes=10))
    page = context.new_page()
    _enrol_tablet(page, live_url, app)
    _wait_until_kept(page, "/desk/")
    _save(page, "Toeslagen")
    expect(page.locator(".saved")).to_contain_text("Opgeslagen: Toeslagen")
    with app.app_context():
        [question] = questions()
        assert abs(question.asked_at - datetime.now(UTC)) < timedelta(minutes=1)
    context.set_offline(True)
    page.reload()  # never reloaded online: the copy of the first visit opens
    expect(page.get_by_role("button", name="Vraag opslaan")).to_be_visible()
    context.close()


def test_questions_wait_for_the_person_who_saved_them(browser, live_url, app, seen, down):
    """Saved offline by one volunteer, who then logs out (warned): the next person on this
    browser does not send them under their own name; they go when the volunteer is back."""
    context, page = _desk(browser, live_url)
    context.set_offline(True)
    _save(page, "DigiD")
    expect(page.locator("#queue-heading")).to_have_text("1 vraag wacht op verzending")
    down.add("/api/v1/")  # still no way through: the API answers 503
    context.set_offline(False)  # the desk tries at once ("online"), and waits
    wait_until(lambda: "/api/v1/questions" in seen, "the desk tried to send", page=page)
    expect(page.locator("#queue-heading")).to_have_text("1 vraag wacht op verzending")
    warnings = []

    def accept(dialog):
        warnings.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.get_by_role("button", name=re.compile("Uitloggen")).click()
    page.wait_for_url(re.compile(r"/auth/login"))
    assert warnings and warnings[0].startswith(
        "Nog niet verzonden vanaf dit apparaat: 1 vraag wacht op verzending. Uitloggen?"
    )
    down.clear()
    log_in(page, live_url, "vol2@a.example")  # another volunteer of branch a1 (and a2)
    page.get_by_text("A Centrum").click()
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("[data-queue-others]")).to_contain_text("iemand anders")
    sent = []
    page.on("request", lambda request: "/api/v1/" in request.url and sent.append(request.url))
    page.get_by_role("button", name="Nu verzenden").click()
    # the log-out reads the queue first, after the sending the button began (or not)
    page.get_by_role("button", name=re.compile("Uitloggen")).click()
    page.wait_for_url(re.compile(r"/auth/login"))
    assert sent == []  # not sent under the other volunteer's name
    with app.app_context():
        assert questions() == []
    log_in(page, live_url, "vol@a.example")  # the volunteer who saved it
    _arrived(app, page, 1)
    with app.app_context():
        [question] = questions()
        assert question.logged_by.email == "vol@a.example"
    context.close()


# what the stylesheet gives: a custom property, and a topic tile's label as a 64 px button
STYLED = 'getComputedStyle(document.documentElement).getPropertyValue("--ido-color-primary")'
TILE = 'getComputedStyle(document.querySelector(".toggle label")).minHeight'


def test_the_first_visit_keeps_the_desk_and_its_files_for_offline_use(browser, live_url):
    """Straight after the first visit, without a connection and without a reload in between:
    the desk opens with its stylesheet and scripts (tiles, not bare checkboxes; the queue
    takes a question), and so does the paper page, never opened before."""
    context, page = _desk(browser, live_url)
    context.set_offline(True)
    page.reload()
    assert page.evaluate(STYLED) == "#154273" and page.evaluate(TILE) == "64px"
    expect(page.locator("input[aria-expanded]").first).to_be_attached()  # ido.js ran
    _save(page, "Toeslagen")  # the desk's own script ran
    expect(page.locator("#queue-heading")).to_have_text("1 vraag wacht op verzending")
    page.goto(f"{live_url}/desk/paper")
    expect(page.get_by_role("button", name="Begin met deze dag")).to_be_visible()
    assert page.evaluate(STYLED) == "#154273"
    context.close()


def test_a_desk_page_never_visited_says_offline_in_english_with_a_way_back(browser, live_url):
    """In English, a desk page never opened before, opened without a connection: a page of
    the app in English (styled) that says so, whose link opens the desk, offline."""
    context = browser.new_context(viewport=TABLET, locale="en-GB")
    page = context.new_page()
    log_in(page, live_url, "vol@a.example")
    _kept_for_offline(page)
    context.set_offline(True)
    page.goto(f"{live_url}/desk/mine")
    expect(page.get_by_role("heading", name="No connection")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.evaluate(STYLED) == "#154273"
    page.get_by_role("link", name="To the desk").click()
    expect(page.get_by_role("button", name="Save question")).to_be_visible()
    context.close()
