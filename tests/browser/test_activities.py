"""The desk's session tile in Chromium: two taps record how many people came, and axe finds
nothing on the tile, the coordinator's activity pages and the activities report."""

from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from .pages import AXE_SCRIPT, TABLET, log_in, problems_here

pytestmark = pytest.mark.once


def test_two_taps_on_a_session_tile_record_attendance(browser, live_url, app):
    from ido.core.activities import ActivityData, Rule, save_activity
    from ido.core.db import db
    from ido.core.models import ActivityKind, ActivitySession
    from ido.core.timeutil import now_local

    from ..helpers import branch

    with app.test_request_context():
        kind = db.session.scalar(db.select(ActivityKind).where(ActivityKind.code == "digicafe"))
        today = now_local().date()
        rule = Rule("weekly", today - timedelta(weeks=1), until=today)
        data = ActivityData(branch("a1"), kind, rule, time(9), time(11), convenant=True)
        activity = save_activity(data, None)
        activity_id, session_id = activity.id, activity.sessions[-1].id
        db.session.commit()
    context = browser.new_context(viewport=TABLET, locale="nl-NL", service_workers="block")
    context.add_init_script(AXE_SCRIPT)
    page = context.new_page()
    log_in(page, live_url, "vol@a.example")
    tile = page.locator(f"#session-{session_id}")
    tile.locator("summary").click()  # tap one: the tile opens
    tile.get_by_role("button", name="7", exact=True).click()  # tap two: the number
    expect(page.locator(f"#session-{session_id} [data-session-count]")).to_have_text("7 mensen")
    with app.app_context():
        assert db.session.get(ActivitySession, session_id).attendance == 7
    page.locator(f"#session-{session_id - 1} summary").click()
    found = problems_here(page, "the desk with a session tile")
    context.close()
    context = browser.new_context(viewport=TABLET, locale="nl-NL", service_workers="block")
    context.add_init_script(AXE_SCRIPT)
    page = context.new_page()
    log_in(page, live_url, "coord@a.example", next_path=None)
    # the list page shares its form with the activity page
    for path in (f"/admin/activities/{activity_id}", "/reports/activities"):
        page.goto(live_url + path)
        found += problems_here(page, path)
    expect(page.get_by_text("2 van 4 — nog 2 nodig")).to_be_visible()
    assert found == []
    context.close()
