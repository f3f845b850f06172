"""Claims, presence and live refresh in the inbox, as an operator sees them."""

from __future__ import annotations

from console.desk import Desk
from console.store import open_store
from console.store import notifications as notes
from console.tui.app import make_app
from console.tui.screens.modals import TakeOver
from console.tui.widgets.account_list import AccountList
from console.tui.widgets.notice_list import NoticeList

from .conftest import build

SIZE = (120, 40)


def notices(app) -> NoticeList:
    return app.screen.query_one(NoticeList)


def row_line(app, index: int) -> str:
    lst = notices(app)
    return "".join(seg.text for seg in lst.render_line(index - int(lst.scroll_y)))


def detail(app) -> str:
    return str(app.screen.query_one("#detail-body").render())


def other(demo, name, clock, config):
    return Desk(open_store(demo.store.path, name, clock), config, clock)


async def _to_unclaimed(app, pilot) -> int:
    lst = notices(app)
    index = next(i for i in range(lst.total) if not lst.row(i)["assignee"])
    lst.move_to(index)
    await pilot.pause()
    return lst.current["id"]


async def test_o_claims_then_releases(demo):
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        nid = await _to_unclaimed(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        assert demo.notification(nid).assignee == "tester"
        assert notices(app).current["id"] == nid  # the cursor stays on it
        assert "@tester" in row_line(app, notices(app).cursor)
        assert "claimed by you" in detail(app)
        assert any(f"#{nid} claimed by you" in str(n.message) for n in app._notifications)
        await pilot.press("o")
        await pilot.pause()
        assert demo.notification(nid).assignee is None
        assert "@tester" not in row_line(app, notices(app).cursor)


async def test_claimed_by_someone_else_offers_a_take_over(demo, clock, config):
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        nid = await _to_unclaimed(app, pilot)
        maria = other(demo, "maria", clock, config)
        maria.claim(nid)  # after the screen showed it unclaimed
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, TakeOver)
        shown = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert f"#{nid} is already claimed by maria since 2026-11-27 08:00 UTC." in shown
        await pilot.press("n")
        await pilot.pause()
        assert demo.notification(nid).assignee == "maria"
        assert "@maria" in row_line(app, notices(app).cursor)  # refreshed to what the others see
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert demo.notification(nid).assignee == "tester"
        assert any("taken over from maria" in str(n.message) for n in app._notifications)
        maria.store.close()


async def test_others_presence_shows_on_the_row_and_in_the_detail(demo, clock, config):
    app = make_app(demo, live_refresh=True, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        nid = notices(app).current["id"]
        maria = other(demo, "maria", clock, config)
        maria.beat(nid)
        await pilot.pause(1.6)
        assert "◉maria" in row_line(app, notices(app).cursor)
        assert "Here now: maria (viewing)" in detail(app)
        maria.claim(nid)
        await pilot.pause(1.6)
        assert "@maria" in row_line(app, notices(app).cursor)
        assert "claimed by maria" in detail(app)
        assert "11-27 08:00 maria claimed" in detail(app)  # the history in the detail pane
        maria.store.close()
        # This session says where it is, for the others to see.
        await pilot.press("j")
        await pilot.pause(0.9)
        seen = Desk(open_store(demo.store.path, "jonas", clock), config, clock)
        assert seen.others_present().get(notices(app).current["id"]) == [("tester", "viewing")]
        seen.store.close()


async def test_live_refresh_keeps_the_cursor_and_the_typing(demo, clock, config):
    app = make_app(demo, live_refresh=True, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "j", "j", "j")
        nid = notices(app).current["id"]
        await pilot.press("slash")
        await pilot.press(*"trade")
        maria = other(demo, "maria", clock, config)
        notes.mark_read(maria.store, notices(app).row(0)["id"])  # a row above the cursor leaves the unread block
        maria.store.close()
        await pilot.pause(1.6)
        assert app.screen.query_one(AccountList).entries[0].unread == 17
        assert notices(app).current["id"] == nid
        box = app.screen.query_one("#filter")
        assert box.value == "trade" and box.has_focus
        await pilot.press(*"mark")
        assert box.value == "trademark"
