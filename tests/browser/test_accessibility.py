"""Accessibility in a real browser: axe-core on every page, for every role and language, with
error and empty states; and what axe cannot see (sideways scrolling at 320 px, focus hidden
under the save bar, where feedback appears, where focus goes after a refused save)."""

import itertools
import re
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from ido.core.activities import ActivityData, Rule, save_activity
from ido.core.db import db
from ido.core.models import ActivityKind
from ido.core.organisation.devices import activate, enrol_device
from ido.core.timeutil import now_local

from ..helpers import branch, log_on_days, store_question, user, weekdays
from .pages import AXE_SCRIPT, log_in, open_desk, problems_here, small_targets

pytestmark = pytest.mark.once
NARROW = {"width": 320, "height": 640}  # WCAG 1.4.10: content reflows at 320 CSS pixels
REPORT_YEAR = now_local().year  # the municipality report of this year holds the test data


@pytest.fixture
def places(org, app):
    """The ids the pages need: a question logged by the volunteer today, a tablet's secret;
    and for the landing page's notices, branch a2 quiet for ten days after weeks of questions,
    with a spreekuur ended without a count."""
    with app.app_context():
        last = now_local().date() - timedelta(days=10)
        log_on_days("a2", weekdays(last - timedelta(weeks=12), last), 3)
        kind = db.session.scalar(
            db.select(ActivityKind).where(ActivityKind.code == "belastinghulp")
        )
        save_activity(ActivityData(branch("a2"), kind, Rule("once", last), time(9), time(11)), None)
        question = store_question("a1", None, ["digid"], referrals=["uwv"])
        question.logged_by_id = user("vol@a.example").id
        code = enrol_device(branch("a1"), "Tablet balie", None)[1]
        secret = activate(code)[1]
        db.session.commit()
        return {
            "question": question.id,
            "a1": branch("a1").id,
            "vol": user("vol@a.example").id,
            "library": branch("a1").library_id,
            "secret": secret,
        }


def _context(
    browser, live_url, language: str, email: str | None = None, secret=None, viewport=NARROW
):
    locale = "nl-NL" if language == "nl" else "en-GB"
    context = browser.new_context(viewport=viewport, locale=locale)
    context.add_cookies([{"name": "ido_lang", "value": language, "url": live_url}])
    if secret:
        context.add_cookies([{"name": "ido_desk", "value": secret, "url": live_url}])
    context.add_init_script(AXE_SCRIPT)  # axe-core in every page, before its own script
    page = context.new_page()
    page.set_default_timeout(5000)
    if email:
        log_in(page, live_url, email, next_path=None)
    return page


def _submit(button) -> None:
    """Press a button that sends a form, and wait for the page that answers it."""
    with button.page.expect_navigation():
        button.click()


def _visit_all(page, base, paths: list[str], check=problems_here) -> list[str]:
    found = []
    for path in paths:
        response = page.goto(base + path)
        found += check(page, f"{path} ({response.status})")
    return found


def _submit_empty(page, base, path: str, form: str) -> list[str]:
    """Send a form as it is (left empty or at its defaults): the refused page with errors."""
    page.goto(base + path)
    _submit(page.locator(f"{form} button[type=submit]").first)
    page.wait_for_load_state()
    return problems_here(page, f"{path} refused")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_for_every_role_has_no_violations(browser, live_url, places, language):
    q, a1, vol, library = places["question"], places["a1"], places["vol"], places["library"]
    found = []

    page = _context(browser, live_url, language)  # nobody logged in
    found += _visit_all(
        page,
        live_url,
        [
            "/auth/login",
            "/privacy",
            "/toegankelijkheid",
            "/desk/enrol",
            "/nergens",
            "/auth/set-password/verlopen",
        ],
    )
    page.goto(live_url + "/auth/login")
    page.locator("#email").fill("vol@a.example")
    page.locator("#password").fill("not the password")
    _submit(page.locator("main form button[type=submit]").first)
    found += problems_here(page, "log-in refused")
    found += _submit_empty(page, live_url, "/desk/enrol", "main form")
    page.context.close()

    page = _context(browser, live_url, language, "vol@a.example")
    found += _visit_all(
        page,
        live_url,
        ["/desk/", f"/desk/questions/{q}/edit", "/auth/profile", "/auth/profile/password"],
    )
    found += _submit_empty(page, live_url, "/desk/", "form.question-form")  # no topic
    found += _visit_all(page, live_url, ["/desk/paper"])  # the day to choose
    page.locator("#day").fill("01-01-2001")  # refused: before the desk's earliest day
    _submit(page.locator("main form button[type=submit]").first)
    found += problems_here(page, "paper day refused")
    page.locator("#day").fill(f"{now_local():%d-%m-%Y}")
    _submit(page.locator("main form button[type=submit]").first)
    page.locator("button.tile").first.click()  # one question typed in from paper (no reload)
    expect(page.locator("[data-saved-live]")).to_contain_text(
        "Opgeslagen:" if language == "nl" else "Saved:"
    )
    found += problems_here(page, "/desk/paper with a line saved")
    page.context.close()

    page = _context(browser, live_url, language, "vol2@a.example")  # two branches, none today
    found += _visit_all(page, live_url, ["/desk/mine", "/desk/branch"])  # none of their own
    _submit(page.locator("form button[type=submit]").last)
    found += problems_here(page, "desk of an empty day")
    page.context.close()

    page = _context(browser, live_url, language, "coord@a.example")
    found += _visit_all(
        page,
        live_url,
        [
            "/reports/",
            "/reports/national",
            "/reports/municipality",  # two municipalities: choose one first
            f"/reports/municipality?municipality=Astad&period={REPORT_YEAR}",
            "/admin/",
            "/admin/audit",
            "/admin/branches",
            f"/admin/branches/{a1}",
            f"/admin/branches/{a1}/desk",
            "/admin/people",
            f"/admin/people/{vol}",
            "/admin/devices",
            "/admin/categories/agency",
        ],
    )
    found += _submit_empty(page, live_url, "/admin/people", "form[action='/admin/people']")
    found += _submit_empty(page, live_url, "/admin/branches", "form[action='/admin/branches']")
    page.goto(f"{live_url}/admin/people/{vol}")  # a new password link, shown once
    page.once("dialog", lambda dialog: dialog.accept())  # "Make a new password link?"
    _submit(page.locator(f"form[action='/admin/people/{vol}/password-link'] button"))
    found += problems_here(page, "password link made")
    set_password = (page.locator("main code.token").text_content() or "").strip()
    if set_password.startswith("/"):
        set_password = live_url + set_password
    page.goto(live_url + "/admin/devices")  # an enrolment code, shown once
    enrol = page.locator("form:has(input[name=name])")  # not a tablet's revoke button
    enrol.locator(".toggle label").first.click()  # the first branch
    _submit(enrol.locator("button[type=submit]"))
    found += problems_here(page, "enrolment code made")
    page.context.close()

    page = _context(browser, live_url, language)  # the password link, opened by its owner
    page.goto(set_password)
    found += problems_here(page, "set a password")
    _submit(page.locator("main form button[type=submit]").first)  # left empty: refused
    found += problems_here(page, "set a password, refused")
    page.context.close()

    page = _context(browser, live_url, language, "coord@b.example")  # a library without data
    found += _visit_all(
        page,
        live_url,
        [
            "/reports/",
            "/reports/national",
            "/reports/questions",
            "/reports/municipality",
            "/admin/audit",
        ],
    )
    page.context.close()

    page = _context(browser, live_url, language, "admin@ido.example")
    found += _visit_all(
        page,
        live_url,
        [
            "/admin/libraries",
            f"/admin/libraries/{library}",
            "/admin/categories/topic",
            "/admin/categories/topic/digid",
            "/admin/national-form",
        ],
    )
    page.fill("#bands", "1-10, 20+")  # the mapping page refused: a gap between the bands
    _submit(page.locator("main form button[type=submit]").first)
    found += problems_here(page, "national form mapping, refused")
    page.context.close()

    page = _context(browser, live_url, language, secret=places["secret"])  # a desk tablet
    found += _visit_all(page, live_url, ["/desk/"])
    page.context.close()
    assert found == [], "\n".join(found)


SIZES = [
    {"width": 1024, "height": 768},
    {"width": 768, "height": 1024},
    {"width": 390, "height": 844},
]


def _in_view(page, locator) -> bool:
    """Whether the element lies within the window and above the sticky save bar."""
    box = locator.bounding_box()
    bar = page.locator(".save-bar").bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= bar["y"] + 1


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s['width']}x{s['height']}")
def test_follow_ups_open_under_their_tile_in_view_and_are_announced(browser, live_url, size):
    page, problems = open_desk(browser, live_url, viewport=size)
    digid = page.locator("#topics-digid")
    assert digid.get_attribute("aria-expanded") == "false"
    page.get_by_text("DigiD", exact=True).click()
    follow_ups = page.locator("#followups-digid")
    assert digid.get_attribute("aria-expanded") == "true"
    assert _in_view(page, follow_ups.locator("legend"))  # seen at once, not under the bar
    first = follow_ups.locator(".toggle").first
    assert _in_view(page, first)
    tile = page.locator("label[for=topics-digid]").bounding_box()
    assert follow_ups.bounding_box()["y"] >= tile["y"] + tile["height"] - 1  # right under it
    news = page.locator("[data-followup-news]")
    assert news.inner_text() == "DigiD: daaronder zijn preciezere keuzes verschenen."
    assert problems == []
    page.context.close()


def test_a_refused_save_moves_focus_to_an_error_summary_linking_each_field(browser, live_url):
    page, problems = open_desk(browser, live_url, viewport=SIZES[2])
    page.get_by_text("Eerder tijdstip of een notitie").click()
    page.locator("#asked_date").fill("31-02-2026")
    page.locator("#note").fill("Bel 06-12345678 terug")
    page.get_by_role("button", name="Vraag opslaan").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert summary.get_attribute("role") == "alert"
    assert _in_view(page, summary.locator("h2"))
    assert "De vraag is niet opgeslagen" in summary.locator("h2").inner_text()
    links = summary.locator("a")
    texts = links.all_inner_texts()
    assert any(text.startswith("Onderwerp") for text in texts)  # no topic chosen
    assert any("Deze datum bestaat niet." in text for text in texts)
    assert any("telefoonnummer" in text for text in texts)
    summary.get_by_role("link", name="Datum: Deze datum bestaat niet.").click()
    assert page.evaluate("document.activeElement.id") == "asked_date"  # straight to the field
    assert page.locator("#asked_date").input_value() == "31-02-2026"  # as typed
    page.locator("a[href='#topics-fieldset']").click()
    assert page.evaluate("document.activeElement.id") == "topics-fieldset"
    assert [p for p in problems if "status of 422" not in p] == []  # the refusal itself
    page.context.close()


# the focused control: what the eye sees of it (a toggle's input is hidden, its label shows the
# focus), where the sticky save bar begins, and whether it is the save button itself
FOCUSED = """(() => {
  const e = document.activeElement, bar = document.querySelector(".save-bar");
  return {id: e.id, save: bar.contains(e), bar: bar.getBoundingClientRect().top,
          bottom: (e.closest(".toggle") || e).getBoundingClientRect().bottom};
})()"""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s['width']}x{s['height']}")
def test_keyboard_focus_is_never_hidden_under_the_save_bar(browser, live_url, size):
    """Tab through the whole desk form: every focused control shows above the sticky bar
    (WCAG 2.2, 2.4.11 Focus not obscured)."""
    page, problems = open_desk(browser, live_url, viewport=size)
    page.get_by_text("Andere doorverwijzing, of een vraag over een andere instantie").click()
    page.get_by_text("Eerder tijdstip of een notitie").click()
    page.locator("#topics-apparaat").focus()
    hidden, seen = [], 0
    for _ in range(150):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["save"]:
            break
        seen += 1
        if focused["bottom"] > focused["bar"] + 1:
            hidden.append(focused["id"])
    assert seen > 40 and hidden == []
    assert problems == []
    page.context.close()


def test_the_disclosures_show_whether_they_are_open(browser, live_url):
    page, problems = open_desk(browser, live_url)
    summary = page.get_by_text("Eerder tijdstip of een notitie")
    marker = "el => getComputedStyle(el, '::before').content"
    assert summary.evaluate(marker) == '"▸"'
    summary.click()
    assert summary.evaluate(marker) == '"▾"'
    assert problems == []
    page.context.close()


# every text of every chart: its box in the chart's own units, and the chart's width
CHART_TEXTS = """[...document.querySelectorAll("svg.bars, svg.columns")].map(svg => ({
  width: svg.viewBox.baseVal.width,
  texts: [...svg.querySelectorAll("text")].map(t => {
    const b = t.getBBox();
    return {text: t.textContent, label: t.classList.contains("chart-label"),
            x: b.x, y: b.y, right: b.x + b.width, bottom: b.y + b.height,
            title: t.closest("g")?.querySelector("title")?.textContent || ""};
  }),
}))"""


@pytest.mark.parametrize("width", [320, 1920])
def test_chart_labels_are_never_cut_off_or_on_top_of_each_other(browser, live_url, org, app, width):
    """Long topic names and weekday names: each label lies inside its chart, no two labels
    overlap, and a shortened one carries its whole name in a <title>."""
    from datetime import timedelta

    with app.app_context():
        at = now_local() - timedelta(minutes=5)
        long_topics = ["zorg", "gemeente", "mijnoverheid", "toeslagen", "werk_uitkering"]
        for day in range(7):  # every weekday has questions: seven column labels
            store_question("a1", at - timedelta(days=day), long_topics, referrals=["uwv"])
    page = _context(browser, live_url, "nl", "coord@a.example")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_url}/reports/")
    charts = page.evaluate(CHART_TEXTS)
    assert len(charts) >= 5
    problems = []
    for chart in charts:
        labels = [t for t in chart["texts"] if t["label"]]
        for text in chart["texts"]:
            if text["x"] < -0.5 or text["right"] > chart["width"] + 0.5:
                problems.append(f"cut off: {text['text']!r}")
        for one, other in itertools.combinations(labels, 2):
            apart = (
                one["right"] <= other["x"] + 0.5
                or other["right"] <= one["x"] + 0.5
                or one["bottom"] <= other["y"] + 0.5
                or other["bottom"] <= one["y"] + 0.5
            )
            if not apart:
                problems.append(f"overlap: {one['text']!r} and {other['text']!r}")
        for text in labels:
            if text["text"].endswith(("…", ".")):
                assert text["title"].startswith(text["text"][:3]), text
    assert problems == []
    assert "Zorg en Wmo (CAK, CIZ, zorgverzekering)" in page.content()  # whole, in the table
    page.context.close()


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_the_national_form_prints_one_branch_on_one_a4_page(browser, live_url, org, app):
    """Before, one branch took five half-empty pages. Chromium prints it as a PDF here."""
    from datetime import timedelta

    with app.app_context():
        at = now_local() - timedelta(minutes=5)
        store_question("a1", at, ["digid", "zorg"], referrals=["uwv", "taalhuis"])
        store_question("a2", at, ["toeslagen"], agencies=["toeslagen"])
    page = _context(browser, live_url, "nl", "coord@a.example")
    page.goto(f"{live_url}/reports/national?branch=a1")
    one = page.pdf(format="A4", print_background=False)
    assert _pdf_pages(one) == 1
    page.goto(f"{live_url}/reports/national")  # both branches: a page each
    assert _pdf_pages(page.pdf(format="A4")) == 2
    page.context.close()


# each word of the tiles' labels and hints that runs onto the next line: whether it breaks at
# a soft hyphen (drawn as a hyphen) or its own hyphen (ID-|check), or between two letters
# without one
BROKEN_WORDS = """[...document.querySelectorAll(".toggle-label, .toggle-hint")].flatMap(el => {
  const found = [], walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of node.data.matchAll(/\\S+/g)) {
      let top = null;
      for (let i = word.index; i < word.index + word[0].length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rects = range.getClientRects();  // after a break: an empty one on the line before
        const rect = rects[rects.length - 1];
        if (!rect || !rect.height) continue;
        if (top !== null && rect.top > top + 1) {
          const hyphen = "\\u00ad-".includes(node.data[i - 1]);
          found.push({word: word[0].replaceAll("\\u00ad", ""), hyphen});
        }
        top = rect.top;
      }
    }
  }
  return found;
})"""


@pytest.mark.parametrize("width", [320, 390])
def test_a_tile_breaks_a_long_word_with_a_hyphen(browser, live_url, width):
    """Chromium on Linux hyphenates nothing by `hyphens: auto` (it has no dictionaries), so
    the server puts soft hyphens in long words: Bibliotheek-|dienstverlening, never
    Bibliotheekdienstver|lening. On the desk (follow-ups open) and the paper page's tiles."""
    page, problems = open_desk(browser, live_url, viewport={"width": width, "height": 844})
    page.get_by_text("DigiD", exact=True).click()  # its follow-ups: Activeringscode invoeren
    broken = page.evaluate(BROKEN_WORDS)
    page.goto(f"{live_url}/desk/paper")
    page.locator("#day").fill(f"{now_local():%d-%m-%Y}")
    _submit(page.locator("main form button[type=submit]").first)
    assert page.locator("button.tile").count() > 5
    broken += page.evaluate(BROKEN_WORDS)
    assert [b["word"] for b in broken if not b["hyphen"]] == []
    assert "Bibliotheekdienstverlening" in [b["word"] for b in broken]  # the case is tested
    assert problems == []
    page.context.close()


TAP_SIZES = [{"width": 390, "height": 844}, {"width": 1366, "height": 768}]


@pytest.mark.parametrize("size", TAP_SIZES, ids=lambda s: f"{s['width']}x{s['height']}")
def test_every_link_and_button_is_at_least_24_px(browser, live_url, app, places, size):
    """WCAG 2.5.8 (Target size, minimum): every link, button and disclosure on the main pages
    of each role is at least 24 × 24 px, on a phone and on a PC, unless it is a link inside a
    sentence. The questions list has a second page, so its pager shows."""
    from datetime import timedelta

    with app.app_context():
        at = now_local() - timedelta(minutes=30)
        for n in range(55):  # more than a page of the questions list (50)
            store_question("a1", at - timedelta(minutes=n), ["toeslagen"])
    a1, vol = places["a1"], places["vol"]
    found = []
    page = _context(browser, live_url, "nl", viewport=size)
    found += _visit_all(page, live_url, ["/auth/login", "/privacy", "/nergens"], small_targets)
    page.context.close()
    page = _context(browser, live_url, "nl", "vol@a.example", viewport=size)
    found += _visit_all(page, live_url, ["/auth/profile"], small_targets)
    page.context.close()
    page = _context(browser, live_url, "nl", "coord@a.example", viewport=size)
    pages = [
        "/reports/",
        "/reports/questions",
        "/reports/questions?page=2",
        "/reports/national",
        f"/reports/municipality?municipality=Astad&period={REPORT_YEAR}",
        "/admin/",
        "/admin/audit",
        "/admin/branches",
        f"/admin/branches/{a1}",
        f"/admin/branches/{a1}/desk",
        "/admin/people",
        f"/admin/people/{vol}",
        "/admin/devices",
        "/admin/categories/agency",
    ]
    found += _visit_all(page, live_url, pages, small_targets)
    page.goto(f"{live_url}/reports/questions")
    assert page.locator("nav.pager a").count() == 1  # the pager was measured: Older
    page.context.close()
    page = _context(browser, live_url, "nl", "admin@ido.example", viewport=size)
    admin = ["/admin/libraries", "/admin/categories/topic", "/admin/national-form"]
    found += _visit_all(page, live_url, admin, small_targets)
    page.context.close()
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("size", TAP_SIZES, ids=lambda s: f"{s['width']}x{s['height']}")
def test_the_desks_links_are_at_least_24_px(browser, live_url, places, size):
    """The same on the desk's pages (test_desk_script.py holds the desk's own links to 44 px);
    at 390 px before: *N vragen vandaag* 173×19, *Terug naar de balie* 154×19, *1 vraag op
    deze dag* 183×19."""
    q = places["question"]
    page = _context(browser, live_url, "nl", "vol@a.example", viewport=size)
    desk = ["/desk/", "/desk/mine", f"/desk/questions/{q}/edit", "/desk/paper"]
    found = _visit_all(page, live_url, desk, small_targets)
    page.locator("#day").fill(f"{now_local():%d-%m-%Y}")
    _submit(page.locator("main form button[type=submit]").first)
    found += small_targets(page, "/desk/paper (a day chosen)")
    page.context.close()
    assert found == [], "\n".join(found)
