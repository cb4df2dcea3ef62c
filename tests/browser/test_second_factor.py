"""Two-step log-in in Chromium: an administrator whose role requires it sets it up straight
after the password (the QR code on screen), then logs in with the app's code; axe-core finds
nothing on the set-up and code pages."""

import re
import time

import pyotp
import pytest

from .pages import AXE_SCRIPT, log_in, problems_here

pytestmark = pytest.mark.once


def test_set_up_with_the_qr_code_then_log_in_with_a_code(browser, live_url, org):
    org.config["IDO_REQUIRE_2FA"] = "admin"
    context = browser.new_context()
    context.add_init_script(AXE_SCRIPT)
    page = context.new_page()
    log_in(page, live_url, "admin@ido.example", next_path="/admin/")
    assert page.url.endswith("/auth/two-factor/setup")
    qr = page.locator(".qr svg[role=img]")
    box = qr.bounding_box()
    assert qr.is_visible() and box["width"] >= 120 and box["height"] >= 120
    problems = problems_here(page, "set-up")
    secret = re.sub(r"\s", "", page.locator("#secret").inner_text())
    page.locator("#code").fill("000000")
    page.locator("main form button[type=submit]").click()
    problems += problems_here(page, "set-up, a wrong code")
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").click()
    assert page.locator(".recovery-codes li").count() == 10
    page.locator("main a.button.primary").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.locator("form[action$='/auth/logout'] button").click()
    log_in(page, live_url, "admin@ido.example", next_path="/admin/")
    assert page.url.endswith("/auth/code")
    problems += problems_here(page, "code")
    # the next step's code: one step of drift is allowed, and it is later than the set-up's
    page.locator("#code").fill(pyotp.TOTP(secret).at(time.time(), counter_offset=1))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/auth/" not in url)  # logged in
    context.close()
    assert problems == []
