"""The desk as a volunteer uses it, in Debian's Chromium: taps, what is on screen, script time.

Usage: python benchmarks/bench_desk_script.py [--port N]

Starts a scratch instance as `make run` does (a fresh SQLite database in a temporary folder,
`init-db`, `seed-demo`, Flask's server), logs in the demo volunteer and, at 390x844, 768x1024
and 1366x768, with the CPU slowed 4x (Chrome DevTools' throttling, through Playwright's CDP
session):

- logs the five most common questions of the demo data (DigiD activeren, Computer/tablet,
  Gemeente, Toeslagen, Belastingaangifte) on the desk and in quick mode: the taps each takes
  (a tap on something below the fold counts a scroll too);
- after each save, what is on screen: the confirmation and its undo inside the window, the
  day's count as the server counts, the new row in today's list with Wijzigen/Verwijderen,
  the DigiD follow-ups closed;
- the page's script time per save (CDP Performance.getMetrics ScriptDuration, from the tap
  until the question is stored and the queue is empty), and the wall time from the tap to
  the confirmation;
- on the paper page, a "x 5" tap and its undo: how many of the five the server still counts.

Prints one table per viewport and the medians. Figures are in docs/performance.md.
"""

import argparse
import os
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "ido"]
CHROMIUM = "/usr/bin/chromium"  # the full browser, as at a desk (Debian: apt-get install chromium)
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]
EMAIL, PASSWORD = "vrijwilliger@demo.example", "demo-wachtwoord"
VIEWPORTS = {"phone": (390, 844), "tablet": (768, 1024), "pc": (1366, 768)}
# the five most common questions of the demo data (ido/core/demo.py TOPIC_WEIGHTS), as tiles
COMMON = [
    ("DigiD activeren", ["digid", "digid_activeren"]),  # quick mode: the DigiD tile
    ("Computer/tablet", ["apparaat"]),
    ("Gemeente", ["gemeente"]),
    ("Toeslagen", ["toeslagen"]),
    ("Belastingaangifte", ["belastingaangifte"]),
]
IN_VIEW = """el => { if (!el) return false; const r = el.getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_instance(folder: Path, port: int) -> tuple[subprocess.Popen, Path]:
    """A fresh instance as `make run` makes one: migrated, the demo library seeded, served."""
    database = folder / "ido.sqlite"
    env = dict(
        os.environ,
        FLASK_SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
        FLASK_SECRET_KEY=secrets.token_hex(32),
    )
    for command in ("init-db", "seed-demo"):
        subprocess.run([*FLASK, command], env=env, cwd=ROOT, check=True, capture_output=True)
    server = subprocess.Popen(
        [*FLASK, "run", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, database
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def server_count(database: Path, day: date | None = None) -> int:
    """Questions the server counts at the volunteer's branch on a day (today by default)."""
    with closing(sqlite3.connect(database)) as con:
        return con.execute(
            "SELECT count(*) FROM question JOIN branch ON branch.id = question.branch_id "
            "WHERE branch.code = 'demo-centrum' AND deleted_at IS NULL AND local_date = ?",
            # SQLite keeps a question's day as days since 1970 (ido/core/models/types.py)
            (((day or date.today()) - date(1970, 1, 1)).days,),
        ).fetchone()[0]


class Tapper:
    """Taps as a finger does: counts the taps, and a scroll when the target is out of view."""

    def __init__(self, page):
        self.page, self.taps, self.scrolls = page, 0, 0

    def tap(self, selector: str) -> None:
        target = self.page.locator(selector).first
        if not target.evaluate(IN_VIEW):
            self.scrolls += 1
        target.click()
        self.taps += 1


def script_seconds(cdp) -> float:
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "ScriptDuration")


def settle(page) -> None:
    """Until the confirmation shows and nothing waits in the queue (stored on the server)."""
    page.wait_for_function(
        """() => { const q = document.querySelector('section.queue');
           const s = document.querySelector('[data-saved-live]');
           return s && /Opgeslagen|Saved/.test(s.textContent) && (!q || q.hidden); }""",
        polling=100,
    )


def on_screen(page, database: Path, topics: list[str]) -> dict:
    """What a volunteer sees after a save, checked against the server."""
    return page.evaluate(
        """([inView, count]) => {
          const f = new Function('return ' + inView)();
          const saved = document.querySelector('[data-saved-live]');
          const undo = saved && saved.querySelector('button');
          const shown = (document.querySelector('.today-count a') || {}).textContent || '';
          const row = document.querySelector('[data-today-rows] tr');
          const open = [...document.querySelectorAll('[aria-expanded="true"]')].length;
          return {
            confirmation: f(saved), undo: f(undo),
            count_right: parseInt(shown, 10) === count,
            row_actions: !!(row && row.querySelector('a, button')),
            followups_closed: open === 0,
          };
        }""",
        [IN_VIEW, server_count(database)],
    )


def common_questions(page, cdp, database: Path, quick: bool) -> list[dict]:
    found = []
    for name, topics in COMMON:
        page.evaluate("window.scrollTo(0, 0)")
        tapper = Tapper(page)
        if quick:
            before = script_seconds(cdp)
            started = time.perf_counter()
            tapper.tap(f"button.tile[value={topics[0]}]")
        else:
            for topic in topics:
                tapper.tap(f"label[for=topics-{topic}]")
            before = script_seconds(cdp)
            started = time.perf_counter()
            tapper.tap("form.question-form .save-bar button[type=submit]")
        page.wait_for_function(
            "() => /Opgeslagen|Saved/"
            ".test(document.querySelector('[data-saved-live]').textContent)",
            polling=50,
        )
        wall = time.perf_counter() - started
        settle(page)
        script = script_seconds(cdp) - before
        row = {"question": name, "taps": tapper.taps, "scrolls": tapper.scrolls}
        row |= {"script_ms": round(script * 1000), "to_confirmation_ms": round(wall * 1000)}
        row |= on_screen(page, database, topics)
        found.append(row)
    return found


def paper_batch(page, base: str, database: Path) -> dict:
    """A "x 5" tap on the paper page for yesterday, then its undo: what the server keeps."""
    yesterday = date.today() - timedelta(days=1)
    page.goto(f"{base}/desk/paper?day=change")
    page.locator("#day").fill(yesterday.strftime("%d-%m-%Y"))
    page.locator("main form button[type=submit]").first.click()
    page.locator("label[for=times-5]").click()
    before = server_count(database, yesterday)
    page.locator("button.tile[value=toeslagen]").click()
    deadline = time.monotonic() + 20
    while server_count(database, yesterday) < before + 5 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    stored = server_count(database, yesterday) - before
    reset = page.locator("#times-1").is_checked()
    page.locator("[data-saved-live] button").first.click()
    deadline = time.monotonic() + 20
    while server_count(database, yesterday) > before and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)  # a benchmark, not a test: what stays after the undo
    left = server_count(database, yesterday) - before
    page.locator("form[action$='/paper/done'] button").click()
    return {"stored": stored, "left_after_undo": left, "times_back_to_1": reset}


def run(base: str, database: Path) -> None:
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        medians = {}
        for label, (width, height) in VIEWPORTS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="nl-NL", has_touch=True
            )
            page = context.new_page()
            page.goto(f"{base}/auth/login?next=/desk/")
            page.locator("#email").fill(EMAIL)
            page.locator("#password").fill(PASSWORD)
            page.locator("main form button[type=submit]").first.click()
            page.wait_for_url(lambda url: "/auth/login" not in url)
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            rows = common_questions(page, cdp, database, quick=False)
            page.get_by_role("button", name="Snelle modus").click()
            page.wait_for_selector("form.quick-form")
            rows += [
                dict(r, question=r["question"] + " (quick)")
                for r in common_questions(page, cdp, database, quick=True)
            ]
            page.get_by_role("button", name="Snelle modus").click()
            page.wait_for_selector("form.question-form")
            print(f"\n{label} {width}x{height}, CPU 4x slower")
            keys = list(rows[0])
            print("  " + " | ".join(keys))
            for row in rows:
                print("  " + " | ".join(str(row[k]) for k in keys))
            print("  paper x 5 then undo:", paper_batch(page, base, database))
            medians[label] = statistics.median(r["script_ms"] for r in rows)
            context.close()
        browser.close()
    print("\nmedian script time per save (ms, CPU 4x slower):", medians)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    port = args.port or free_port()
    with tempfile.TemporaryDirectory() as folder:
        server, database = start_instance(Path(folder), port)
        try:
            run(f"http://127.0.0.1:{port}", database)
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
