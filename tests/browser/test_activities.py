"""The desk's session tile in Chromium: two taps record how many people came, also without a
connection (through the desk's queue), and axe finds nothing on the tile, the coordinator's
activity pages and the activities report."""

from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from ..helpers import wait_until
from .pages import AXE_SCRIPT, TABLET, log_in, problems_here

pytestmark = pytest.mark.once


def _weekly_digicafe(app) -> tuple[int, int]:
    """A weekly digicafé at branch a1 (which takes part in the convenant this year), last week
    and today: its id and today's session's."""
    from ido.core.activities import ActivityData, Rule, save_activity
    from ido.core.db import db
    from ido.core.models import ActivityKind
    from ido.core.organisation import update_branch
    from ido.core.timeutil import now_local

    from ..helpers import branch

    with app.test_request_context():
        kind = db.session.scalar(db.select(ActivityKind).where(ActivityKind.code == "digicafe"))
        today = now_local().date()
        a1 = branch("a1")
        update_branch(a1, a1.name, a1.municipality, a1.in_library, True, None, [today.year])
        rule = Rule("weekly", today - timedelta(weeks=1), until=today)
        data = ActivityData(branch("a1"), kind, rule, time(9), time(11), convenant=True)
        activity = save_activity(data, None)
        db.session.commit()
        return activity.id, activity.sessions[-1].id


def test_two_taps_on_a_session_tile_record_attendance(browser, live_url, app):
    from ido.core.db import db
    from ido.core.models import ActivitySession

    activity_id, session_id = _weekly_digicafe(app)
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


def test_a_session_counted_offline_arrives_once_after_a_reload(browser, live_url, app, seen):
    from ido.core.db import db
    from ido.core.models import ActivitySession

    session_id = _weekly_digicafe(app)[1]
    context = browser.new_context(viewport=TABLET, locale="nl-NL")
    page = context.new_page()
    log_in(page, live_url, "vol@a.example")
    page.wait_for_function("() => !!navigator.serviceWorker.controller")  # kept for offline
    context.set_offline(True)
    tile = page.locator(f"#session-{session_id}")
    tile.locator("summary").click()
    tile.get_by_role("button", name="7", exact=True).click()
    count, queue = tile.locator("[data-session-count]"), page.locator("#queue-heading")
    expect(count).to_have_text("7 mensen (nog niet verzonden)")
    expect(queue).to_have_text("1 telling wacht op verzending")
    page.reload()  # offline: the desk from the service worker, the count from IndexedDB
    expect(count).to_have_text("7 mensen (nog niet verzonden)")
    expect(queue).to_have_text("1 telling wacht op verzending")
    with app.app_context():
        assert db.session.get(ActivitySession, session_id).attendance is None

    context.set_offline(False)  # the connection returns: the queue goes by itself

    def counted():
        with app.app_context():
            return db.session.get(ActivitySession, session_id).attendance == 7

    wait_until(counted, "the count arrived", page=page)
    expect(count).to_have_text("7 mensen")
    expect(page.locator("section.queue")).to_be_hidden()  # it left the queue: never sent again
    assert seen.count(f"/api/v1/sessions/{session_id}/attendance") == 1
    context.close()
