"""Claims, presence and live refresh in the inbox, as an operator sees them."""

from __future__ import annotations

from console.desk import Desk
from console.store import notifications as notes
from console.store.db import open_store
from console.tui.app import make_app
from console.tui.screens.modals import TakeOver
from console.tui.widgets.account_list import AccountList
from console.tui.widgets.detail import DetailPane
from console.tui.widgets.notice_list import NoticeList

from .conftest import build

SIZE = (120, 40)


def notices(app) -> NoticeList:
    return app.screen.query_one(NoticeList)


def row_line(app, index: int) -> str:
    lst = notices(app)
    return "".join(seg.text for seg in lst.render_line(index - int(lst.scroll_y)))


def detail(app) -> str:
    return app.screen.query_one(DetailPane).plain


def other(demo, name, clock, config):
    return Desk(open_store(demo.store.path, name, clock, os_user=name), config, clock)


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
        seen = Desk(open_store(demo.store.path, "jonas", clock, os_user="jonas"), config, clock)
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
        sidebar = app.screen.query_one(AccountList)
        assert sidebar.entries[0].unread == 17
        assert " 17 " in "".join(seg.text for seg in sidebar.render_line(0))  # the badge as drawn
        assert notices(app).current["id"] == nid
        box = app.screen.query_one("#filter")
        assert box.value == "trade" and box.has_focus
        await pilot.press(*"mark")
        assert box.value == "trademark"


async def test_contact_log_shows_another_operators_case_live(demo, clock, config):
    from console.store import contacts as cs
    from console.tui.screens.contacts import ContactsScreen

    app = make_app(demo, live_refresh=True, cursor_blink=False)
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        before = len(app.screen.cases)
        maria = other(demo, "maria", clock, config)
        account = maria.accounts()[0]
        cs.open_case(maria.store, account.id, "chat", "Live refresh: asked about the deposit method",
                     case_ref="5550001111")
        maria.store.close()
        await pilot.pause(1.6)
        assert len(app.screen.cases) == before + 1
        assert any(c.case_ref == "5550001111" for c in app.screen.cases)


async def test_appeal_editor_follows_another_sessions_save_unless_typing(demo, clock, config):
    from textual.widgets import TextArea

    from console.store import appeals as ap
    from console.tui.screens.appeal import AppealScreen

    nid = 41
    app = make_app(demo, live_refresh=True, cursor_blink=False)
    async with app.run_test(size=(130, 40)) as pilot:
        demo.open_appeal(nid)  # a stored draft (opening the editor alone stores nothing)
        app.push_screen(AppealScreen(nid))
        await pilot.pause()
        screen = app.screen
        appeal = ap.current_appeal(demo.store, nid)
        maria = open_store(demo.store.path, "maria", clock, os_user="maria")
        ap.save_text(maria, appeal.id, "## Root cause\nmaria's first pass", appeal.version)
        await pilot.pause(1.6)
        # Nothing typed here: her revision is shown.
        assert screen.query_one(TextArea).text == "## Root cause\nmaria's first pass"
        assert any("maria saved revision 2; it is shown now" in str(n.message) for n in app._notifications)
        # Now typing here while she saves again: the typing stays, a warning says so.
        screen.query_one(TextArea).insert("\nmine, typed")
        fresh = ap.get_appeal(maria, appeal.id)
        ap.save_text(maria, appeal.id, "## Root cause\nmaria's second pass", fresh.version)
        maria.close()
        await pilot.pause(1.6)
        assert "mine, typed" in screen.query_one(TextArea).text
        assert any("saved revision 3 while you typed" in str(n.message) for n in app._notifications)


async def test_an_operator_whose_claim_is_taken_over_is_told_within_a_second(demo, clock, config):
    app = make_app(demo, live_refresh=True, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        nid = await _to_unclaimed(app, pilot)
        await pilot.press("o")  # tester claims it
        await pilot.pause(0.2)
        assert demo.notification(nid).assignee == "tester"
        maria = other(demo, "maria", clock, config)
        maria.claim(nid, take_over_from="tester")
        await pilot.pause(1.3)
        messages = [str(n.message) for n in app._notifications]
        assert f"maria took over your claim on notification #{nid}" in messages
        assert "@maria" in row_line(app, notices(app).cursor)
        maria.store.close()
