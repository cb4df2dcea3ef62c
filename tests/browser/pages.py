"""What the browser tests do in a page: Debian's Chromium and its settings, logging in as a
person does, and axe-core's check of the page as it is."""

from axe_playwright_python.sync_playwright import Axe

from ..conftest import PASSWORD

# Debian's chromium-headless-shell: Blink of Debian's Chromium in the old headless mode, as
# Playwright itself runs headless tests (it cannot download browsers here). The full browser in
# its new headless mode cost the browser pass twice the processor time (117 against 51 s).
CHROMIUM = "/usr/lib/chromium/chromium-headless-shell"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 360, "height": 740}


def log_in(page, live_url: str, email: str, next_path: str | None = "/desk/") -> None:
    """Log in on the log-in page (opened unless the page shows it), by the fields' ids, which
    read the same in every language; returns once the page after it has loaded."""
    if "/auth/login" not in page.url:
        page.goto(f"{live_url}/auth/login" + (f"?next={next_path}" if next_path else ""))
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def open_desk(browser, live_url, viewport=TABLET, javascript=True, email="vol@a.example"):
    """A new browser context, logged in, on the desk; and the list its script errors go to."""
    context = browser.new_context(
        viewport=viewport, java_script_enabled=javascript, locale="nl-NL", has_touch=True
    )
    page = context.new_page()
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, live_url, email)
    if "/desk/" not in page.url:  # a person with two branches chooses one first
        page.goto(f"{live_url}/desk/")
    return page, problems


AXE_SCRIPT = Axe().axe_script  # axe-core as axe-playwright-python ships it (no download)
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe-core tags its rules
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
    "iframes": False,  # the app has none
    "preload": False,  # the stylesheet need not be fetched again: computed styles suffice
}
# what sticks out past the window's right edge, innermost first (for the failure message)
WIDEST = """[...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest(".table-region"))
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > innerWidth + 1))
  .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "")
    + " " + (e.textContent || "").trim().slice(0, 30))"""


def problems_here(page, label: str) -> list[str]:
    """Sideways scrolling and axe-core's violations on the page as it is now (the context
    must have AXE_SCRIPT as an init script)."""
    found = []
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        culprits = page.evaluate(WIDEST)
        found.append(f"{label}: scrolls sideways ({width[0]} px at {width[1]} px): {culprits}")
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    for violation in results["violations"]:
        targets = [node["target"] for node in violation["nodes"]][:3]
        found.append(f"{label}: {violation['id']} ({violation['help']}) at {targets}")
    return found


# every link, button and disclosure a finger can tap that is smaller than 24 × 24 CSS pixels
# (WCAG 2.2, 2.5.8), except a link inline in a sentence (the criterion's own exception: text
# around it on its line); hidden and off-screen ones (the skip link until focused) are left out
SMALL_TARGETS = """[...document.querySelectorAll("a[href], button, summary, [role=button]")]
  .filter(e => !e.closest(".visually-hidden") && getComputedStyle(e).visibility !== "hidden")
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, box]) => box.width && box.height && box.right > 0 && box.bottom > 0)
  .filter(([e, box]) => box.width < 23.5 || box.height < 23.5)
  .filter(([e]) => {
    if (getComputedStyle(e).display !== "inline") return true;
    let block = e.parentElement;
    while (getComputedStyle(block).display === "inline") block = block.parentElement;
    return !block.textContent.replace(e.textContent, "").trim();  // alone: not in a sentence
  })
  .map(([e, box]) => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 40)}" `
    + `${Math.round(box.width)}x${Math.round(box.height)}`)"""


def small_targets(page, label: str) -> list[str]:
    """The page's tap targets under 24 × 24 px, as "where: tag "text" WxH"."""
    return [f"{label}: {target}" for target in page.evaluate(SMALL_TARGETS)]
