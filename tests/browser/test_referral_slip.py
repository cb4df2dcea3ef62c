"""The referral slip (Verwijskaart) in Chromium: ticking a referral offers it, it opens from
what the page holds (also offline), axe finds nothing, and print shows the slip alone."""

import pytest
from playwright.sync_api import expect

from .pages import AXE_SCRIPT, TABLET, log_in, problems_here

pytestmark = pytest.mark.once


def test_a_ticked_referral_opens_its_slip_offline_and_prints_alone(browser, live_url, app):
    from ido.core.db import db
    from ido.core.models import Agency
    from ido.core.taxonomy.contacts import save_contact

    with app.app_context():
        uwv = db.session.scalar(db.select(Agency).where(Agency.code == "uwv"))
        details = {"website": "https://www.uwv.nl", "phone": "088 898 92 94", "bring": "DigiD"}
        save_contact(uwv, None, details, None)
        db.session.commit()
    context = browser.new_context(viewport=TABLET, locale="nl-NL", service_workers="block")
    context.add_init_script(AXE_SCRIPT)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_url, "vol@a.example")

    context.set_offline(True)  # from here on, only what the page already holds
    offer = page.locator("[data-slip-offer]")
    expect(offer).to_be_hidden()
    page.locator("label[for=referrals-uwv]").click()
    button = offer.get_by_role("button", name="Verwijskaart: UWV")
    button.click()
    dialog = page.get_by_role("dialog", name="UWV")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".slip-name")).to_have_text("UWV")
    expect(dialog).to_contain_text("088 898 9294")
    expect(dialog).to_contain_text("www.uwv.nl")
    expect(dialog).to_contain_text("DigiD")
    assert (
        dialog.locator(".slip-name").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 32
    )
    assert problems_here(page, "the slip") == []

    page.emulate_media(media="print")
    expect(page.locator("main")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(dialog.locator(".slip-name")).to_be_visible()
    expect(dialog.get_by_role("button", name="Afdrukken op A6")).to_be_hidden()
    page.emulate_media(media="screen")
    dialog.get_by_role("button", name="Sluiten").click()
    expect(dialog).to_be_hidden()
    page.locator("label[for=referrals-uwv]").click()  # unticked: no slip offered
    expect(offer).to_be_hidden()
    assert errors == []
    context.close()
