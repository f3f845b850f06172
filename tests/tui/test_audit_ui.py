"""The audit screen: paging by id, the keys, the filter, the row detail (shown literally), live refresh."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Input, Static

from console.core.clock import FrozenClock, parse_iso
from console.core.model import Status
from console.store import audit_log
from console.store.db import open_store
from console.tui.app import make_app
from console.tui.screens.audit import AuditDetail, AuditList, AuditScreen
from console.tui.widgets.page_cache import PAGE

from .conftest import build

SIZE = (120, 32)
NOW = "2026-11-27T08:00:00Z"


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    monkeypatch.setenv("FLAGDESK_TZ", "UTC")


def many(demo, n: int) -> None:
    with demo.store.write():
        for i in range(n):
            demo.store.audit("notification.edit", "notifications", 1 + i % 40, {"assignee": [None, f"op{i}"]})


async def open_audit(app, pilot) -> AuditScreen:
    app.action_audit()
    await pilot.pause()
    assert isinstance(app.screen, AuditScreen)
    return app.screen


def title(screen) -> str:
    return str(screen.query_one("#audit-title", Static).render())


async def test_palette_action_opens_the_log_newest_first_and_esc_goes_back(app, demo):
    demo.mark_read(3)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_audit(app, pilot)
        audit = screen.query_one(AuditList)
        total = audit_log.count(demo.store)
        assert audit.total == total and f"{total} changes, newest first" in title(screen)
        assert (audit.current.action, audit.current.row_id) == ("notification.status", 3)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AuditScreen)


async def test_command_palette_offers_the_audit_log(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Audit log")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)


async def test_keys_move_and_pages_load_by_id_not_all_at_once(app, demo):
    many(demo, 1000)
    ids = [r["id"] for r in demo.store.rows("SELECT id FROM audit ORDER BY id DESC")]
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_audit(app, pilot)
        audit = screen.query_one(AuditList)
        assert audit.total == len(ids) > 1000
        await pilot.press("j", "j", "j", "k")
        assert audit.current.id == ids[2]
        await pilot.press("pagedown")
        assert audit.cursor == 2 + audit.size.height - 1 and audit.current.id == ids[audit.cursor]
        await pilot.press("pageup", "g")
        assert audit.cursor == 0 and audit.current.id == ids[0]
        await pilot.press("G")
        await pilot.pause()
        assert audit.current.id == ids[-1]
        assert audit.loaded_rows <= 3 * PAGE  # the newest page, the last page, at most one more
        for _ in range(PAGE + 5):
            await pilot.press("k")
        assert audit.current.id == ids[-PAGE - 6]


async def test_filter_by_account_actor_since_and_words(app, demo):
    bob = open_store(demo.store.path, "bob", FrozenClock(parse_iso(NOW) - timedelta(hours=1)), os_user="bob")
    from console.store import notifications as notes

    notes.set_status(bob, 20, Status.DISMISSED)
    bob.close()
    n20 = demo.notification(20)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_audit(app, pilot)
        audit = screen.query_one(AuditList)

        async def apply(text):
            await pilot.press("slash")
            box = screen.query_one("#audit-filter", Input)
            box.value = text
            await pilot.press("enter")
            await pilot.pause()

        await apply("actor:bob")
        assert audit.total == 1 and audit.current.actor == "bob" and "filter: actor:bob" in title(screen)
        await apply(f'account:"{n20.account}" dismissed')
        assert audit.total == 1 and audit.current.row_id == 20
        await apply(f"account:{n20.account.split()[0][:4].lower()}")
        assert audit.total == audit_log.count(demo.store, account_id=n20.account_id) > 1
        await apply("since:2h")
        assert audit.total == audit_log.count(demo.store) - 0  # demo rows are at 08:00, bob's at 07:00
        await apply("since:30m")
        assert audit.total == audit_log.count(demo.store) - 1
        await apply("since:whenever")
        assert "filter: since:30m" in title(screen)  # a bad filter leaves the last one in force
        await pilot.press("escape")  # the box has focus: clears the filter
        await pilot.pause()
        assert audit.total == audit_log.count(demo.store) and "filter" not in title(screen)
        assert isinstance(app.screen, AuditScreen)


async def test_enter_shows_the_row_in_full_literally(app, demo):
    with demo.store.write():
        demo.store.audit("notification.edit", "notifications", 7,
                         {"subject": ["[b]old[/b]", "[@click=app.quit]x[/] \x1b[31mred"]})
    async with app.run_test(size=SIZE) as pilot:
        await open_audit(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditDetail)
        body = str(app.screen.query_one("#audit-detail-body", Static).render())
        assert "[@click=app.quit]x[/]" in body and "[b]old[/b]" in body
        assert "\x1b" not in body and "Who      tester" in body and "notification.edit" in body
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)


async def test_live_refresh_keeps_the_cursor_on_its_row(demo):
    app = make_app(demo, live_refresh=True, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_audit(app, pilot)
        audit = screen.query_one(AuditList)
        await pilot.press("j", "j")
        row, total = audit.current.id, audit.total
        other = open_store(demo.store.path, "colleague", FrozenClock(NOW), os_user="colleague")
        from console.store import notifications as notes

        unread = [r["id"] for r in other.rows("SELECT id FROM notifications WHERE status = 'new' LIMIT 2")]
        for nid in unread:
            assert notes.mark_read(other, nid)
        other.close()
        screen.poll_writes()  # what the 1 s timer runs
        await pilot.pause()
        assert audit.total == total + 2 and audit.current.id == row
        await pilot.press("g")
        assert audit.current.actor == "colleague"


def test_snapshot_audit_log(snap_compare, demo):
    """The audit log at 120x32: the title counts the changes; newest first: tester's case opened by phone
    (case #1 · Northwind Home · US), bob's dismissal of notification #20 with "status read → dismissed",
    tester's read of #3, then the demo seed's notification.add rows with their subjects; cursor on the
    top row."""
    from console.store import contacts as cs
    from console.store import notifications as notes

    demo.mark_read(3)
    bob = open_store(demo.store.path, "bob", FrozenClock(NOW), os_user="bob")
    notes.set_status(bob, 20, Status.DISMISSED)
    bob.close()
    cs.open_case(demo.store, demo.account("Northwind Home").id, "phone", "Called about the listing",
                 marketplace="US", case_ref="1234567890")
    app = build(demo)

    async def run_before(pilot):
        app.action_audit()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
