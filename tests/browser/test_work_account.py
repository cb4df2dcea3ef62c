"""Signing in with a work account in Chromium: the log-in page, the provider's own page (the
real test provider, tests/oidc/) and back, logged in."""

import pytest
from playwright.sync_api import expect

from ..test_work_accounts import give_provider

pytestmark = pytest.mark.once


def test_a_volunteer_signs_in_with_their_work_account(browser, live_url, org, oidc_provider):
    give_provider(org, oidc_provider.issuer)
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_url}/auth/login")
    page.get_by_label("E-mailadres van je werk").fill("vol@a.example")
    page.get_by_role("button", name="Inloggen met je werkaccount").click()
    page.wait_for_url(f"{oidc_provider.issuer}/interaction/**")  # the provider's own page
    page.get_by_label("E-mail").fill("vol@a.example")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_url}/**")
    page.goto(f"{live_url}/auth/profile")
    expect(page.locator("main")).to_contain_text("Vrijwilliger A1")
    context.close()
