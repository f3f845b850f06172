"""Pilot tests: what each inbox key does to the data, not only to the screen."""

from __future__ import annotations

from console.core.model import Status
from console.store import accounts as acc
from console.tui.screens.inbox import InboxScreen
from console.tui.widgets.account_list import AccountList
from console.tui.widgets.detail import DetailPane
from console.tui.widgets.notice_list import NoticeList

from .conftest import build

SIZE = (120, 40)


def notices(app) -> NoticeList:
    return app.screen.query_one(NoticeList)


def ids_on_screen(app, n=5):
    lst = notices(app)
    return [lst.row(i)["id"] for i in range(min(n, lst.total))]


async def test_starts_on_the_most_urgent_unread(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = notices(app).current
        assert first["status"] == "new" and first["severity"] == "critical"
        assert isinstance(app.screen, InboxScreen)
        total, unread = demo.count(app.screen.effective_filter)
        assert (notices(app).total, total) == (49, 49) and unread == 18


async def test_j_k_g_G_move_the_cursor(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "down")
        assert notices(app).cursor == 3
        await pilot.press("k")
        assert notices(app).cursor == 2
        await pilot.press("G")
        assert notices(app).cursor == 48
        await pilot.press("g")
        assert notices(app).cursor == 0
        await pilot.press("pagedown")
        assert notices(app).cursor > 5


async def test_m_marks_read_and_moves_to_the_next(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        first, second = ids_on_screen(app, 2)
        await pilot.press("m")
        assert demo.notification(first).status is Status.READ
        assert notices(app).current["id"] == second
        assert demo.count(app.screen.effective_filter)[1] == 17
        sidebar = app.screen.query_one(AccountList)
        assert sidebar.entries[0].unread == 17
        rows = demo.store.rows("SELECT actor, action FROM audit WHERE row_id = ? AND table_name='notifications' "
                               "ORDER BY id DESC LIMIT 1", (first,))
        assert rows == [{"actor": "tester", "action": "notification.status"}]


async def test_u_marks_unread(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G")  # the last row is closed
        nid = notices(app).current["id"]
        await pilot.press("u")
        assert demo.notification(nid).status is Status.NEW
        assert notices(app).current["id"] == nid  # the cursor follows it to the unread block
        assert notices(app).cursor < 19


async def test_n_jumps_to_next_unread_across_accounts(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G", "n")
        assert notices(app).cursor == 0 and notices(app).current["status"] == "new"
        await pilot.press("n")
        assert notices(app).cursor == 1
        # From an account with nothing unread, n widens to all accounts.
        for row in demo.page(app.screen.effective_filter, 0, 100):
            if row["account"] == "Northwind Home" and row["status"] == "new":
                demo.mark_read(row["id"])
        await pilot.press("4")
        app.screen.reload(cursor=0)
        assert app.screen.scope.account_ids == [demo.account("Northwind Home").id]
        await pilot.press("n")
        assert app.screen.scope.account_ids is None and notices(app).current["status"] == "new"


async def test_e_resolves_or_dismisses(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        nid = notices(app).current["id"]
        await pilot.press("e")
        await pilot.press("r")
        await pilot.pause()
        assert demo.notification(nid).status is Status.RESOLVED
        nid2 = notices(app).row(0)["id"]
        await pilot.press("g", "e", "d")
        await pilot.pause()
        assert demo.notification(nid2).status is Status.DISMISSED
        nid3 = notices(app).row(0)["id"]
        await pilot.press("g", "e", "escape")
        await pilot.pause()
        assert demo.notification(nid3).status is Status.NEW


async def test_enter_opens_marks_read_and_the_list_keeps_the_keys(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        nid = notices(app).current["id"]
        await pilot.press("enter")
        assert demo.notification(nid).status is Status.READ
        assert isinstance(app.focused, NoticeList)  # before: the detail pane took the focus (and j/k)
        await pilot.press("tab")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("tab")
        assert isinstance(app.focused, AccountList)
        await pilot.press("tab")
        assert isinstance(app.focused, NoticeList)


async def test_enter_leaves_unread_when_configured(demo):
    demo.config.values["mark_read_on_open"] = False
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        nid = notices(app).current["id"]
        await pilot.press("enter")
        assert demo.notification(nid).status is Status.NEW


async def test_slash_filters_with_text_and_qualifiers_and_esc_clears(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"trademark", "enter")
        assert notices(app).total == 4
        await pilot.press("slash", "ctrl+u", *"status:new severity:high", "enter")
        assert {notices(app).row(i)["severity"] for i in range(notices(app).total)} == {"high"}
        assert {notices(app).row(i)["status"] for i in range(notices(app).total)} == {"new"}
        await pilot.press("escape")
        assert notices(app).total == 49


async def test_bad_filter_gives_a_message_not_a_crash(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"( AND", "enter")
        await pilot.pause()
        assert notices(app).total == 49
        assert any("cannot search" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+u", *"status:bogus", "enter")
        await pilot.pause()
        assert any("unknown status" in str(n.message) for n in app._notifications)


async def test_number_keys_jump_to_accounts(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        brightwater = demo.account("Brightwater Goods EU")
        assert app.screen.scope.account_ids == [brightwater.id]
        assert {notices(app).row(i)["account"] for i in range(notices(app).total)} == {"Brightwater Goods EU"}
        await pilot.press("0")
        assert app.screen.scope.account_ids is None
        await pilot.press("9")
        assert any("no account 9" in str(n.message) for n in app._notifications)


async def test_sidebar_marketplace_entry_filters_marketplace(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.screen.query_one(AccountList)
        index = next(i for i, e in enumerate(sidebar.entries) if e.marketplace == "DE")
        sidebar.highlighted = index
        await pilot.pause()
        rows = [notices(app).row(i) for i in range(notices(app).total)]
        assert rows and {(r["account"], r["marketplace"]) for r in rows} == {("Brightwater Goods EU", "DE")}


async def test_question_mark_lists_keys_in_force_after_remapping(demo):
    demo.config.values["keymap"] = {"mark_read": "x"}
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        from console.tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        rows = dict((desc, keys) for keys, desc in app.screen.rows)
        assert rows["Mark read and move to the next"] == "x"
        await pilot.press("escape")
        nid = notices(app).current["id"]
        await pilot.press("x")
        assert demo.notification(nid).status is Status.READ


async def test_q_quits(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_conflicting_change_is_refused_with_a_message(app, demo, clock):
    from console.store import notifications as notes
    from console.store.db import open_store

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G")
        row = notices(app).current
        other = open_store(demo.store.path, "maria", clock, os_user="maria")
        notes.set_status(other, row["id"], Status.IN_PROGRESS, row["version"])
        other.close()
        await pilot.press("u")  # based on the version the screen showed
        await pilot.pause()
        assert demo.notification(row["id"]).status is Status.IN_PROGRESS
        assert any("changed by maria" in str(n.message) for n in app._notifications)


async def test_live_refresh_shows_another_sessions_write(demo, clock):
    from console.store import notifications as notes
    from console.store.db import open_store

    app = make_live(demo)
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query_one(AccountList).entries[0].unread == 18
        other = open_store(demo.store.path, "maria", clock, os_user="maria")
        notes.mark_read(other, notices(app).row(3)["id"])
        other.close()
        await pilot.pause(1.6)
        assert app.screen.query_one(AccountList).entries[0].unread == 17


def make_live(desk):
    from console.tui.app import make_app

    return make_app(desk, live_refresh=True, cursor_blink=False)


async def test_empty_database_explains_first_steps(desk):
    app = build(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        empty = app.screen.query_one("#empty")
        assert "flagdesk accounts add" in str(empty.render())
        await pilot.press("p")
        assert any("Add an account first" in str(n.message) for n in app._notifications)


async def test_hostile_text_is_shown_literally(desk):
    from console.ingest.extract import extract

    a = acc.add_account(desk.store, "Evil [red]Corp[/]", ["US"])
    text = "Subject: [@click=app.quit]x[/] \x1b]52;c;ZXZpbA==\x07 \u202eoops [link=http://e]y[/link]\n\n[bold]body[/]"
    desk.add_notice(a, "US", extract(text, desk.now()))
    app = build(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = notices(app).current
        assert row["subject"] == "[@click=app.quit]x[/] oops [link=http://e]y[/link]"
        line = "".join(seg.text for seg in notices(app).render_line(0))
        assert "[@click=app.quit]x[/]" in line
        pane = app.screen.query_one(DetailPane)
        drawn = "".join(seg.text for y in range(pane.size.height) for seg in pane.render_line(y))
        assert "[bold]body[/]" in pane.plain and "[bold]body[/]" in drawn and "\x1b" not in drawn
        sidebar = "".join(str(o.prompt) for o in app.screen.query_one(AccountList)._options)
        assert "Evil [red]Corp[/]" in sidebar
        await pilot.click(NoticeList, offset=(30, 0))  # clicking the "button" text must not quit
        await pilot.pause()
        assert app.is_running


async def test_A_adds_an_account_from_the_console(desk):
    app = build(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("A")
        await pilot.press(*"Northwind", "tab", *"us, ca", "tab", *"bad-address", "f2")
        await pilot.pause()
        assert desk.accounts() == []
        assert any("not an email address" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+u", *"n@ops.example.com", "enter")
        await pilot.pause()
        [account] = desk.accounts()
        assert (account.name, account.marketplaces, account.emails) == ("Northwind", ["US", "CA"],
                                                                        ["n@ops.example.com"])
        assert app.screen.query_one(AccountList).entries[1].label == "Northwind"


async def test_paste_form_saves_what_the_operator_confirmed(app, demo):
    from console.tui.screens.paste import PasteScreen

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PasteScreen)
        assert screen.query_one("#account").value == demo.account("Northwind Home").id
        screen.query_one("#notice-text").text = (
            "Subject: Listing removed\n\nHello,\n\nWe removed ASIN: B0ZZZZ9999 under our Restricted Products "
            "policy. Reply within 48 hours.\nComplaint ID: 1112223334\n")
        await pilot.pause(0.4)
        assert screen.query_one("#asins").value == "B0ZZZZ9999"
        assert screen.query_one("#deadline_at").value == "2026-11-29T08:00:00Z"
        # The operator corrects the severity; a later re-extraction keeps the correction.
        screen.query_one("#severity").value = "critical"
        await pilot.pause()
        screen.query_one("#notice-text").text += "\nMore text."
        await pilot.pause(0.4)
        assert screen.query_one("#severity").value == "critical"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        nid = notices(app).current["id"]
        n = demo.notification(nid)
        assert (n.account, n.marketplace, n.subject, n.asins, n.complaint_id, n.severity.value, n.source) == (
            "Northwind Home", "US", "Listing removed", ["B0ZZZZ9999"], "1112223334", "critical", "paste")
        assert n.deadline_at.isoformat() == "2026-11-29T08:00:00+00:00"


async def test_paste_form_refuses_empty_text_and_cancels(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert any("Paste the notice text first" in str(n.message) for n in app._notifications)
        await pilot.press("escape")
        assert isinstance(app.screen, InboxScreen)
        assert demo.count(app.screen.effective_filter)[0] == 49


async def test_ctrl_p_palette_offers_the_consoles_actions(app):
    from console.tui.screens.paste import PasteScreen

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Paste a notice")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PasteScreen)


async def test_palette_filter_preset(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Filter: unread")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert notices(app).total == 18


async def test_no_color_is_respected(demo, monkeypatch):
    from textual.filter import Monochrome, NoColor

    monkeypatch.setenv("NO_COLOR", "1")
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color and any(isinstance(f, (NoColor, Monochrome)) for f in app._filters)
        # Urgency still reads without colour: the words say it.
        line = "".join(seg.text for seg in notices(app).render_line(0))
        assert "overdue" in line and "CRIT" in line


async def test_close_dialog_shows_hostile_subject_literally(desk):
    from console.ingest.extract import extract
    from console.tui.screens.modals import CloseNotice

    a = acc.add_account(desk.store, "A", ["US"])
    desk.add_notice(a, "US", extract("Subject: [@click=app.quit]boom[/]\n\nbody", desk.now()))
    app = build(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CloseNotice)
        assert "[@click=app.quit]boom[/]" in str(app.screen.query_one(".subject").render())
        await pilot.click(".subject")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, CloseNotice)


async def test_escapes_written_straight_into_the_database_never_reach_the_terminal(demo):
    """Ingest cleans text; a row edited by raw SQL (outside flagdesk) is cleaned again where it is drawn."""
    conn = demo.store.conn
    conn.execute("UPDATE accounts SET name = 'Evil\x1b]52;c;ZXZpbA==\x07 Co' WHERE id = 1")
    conn.execute("UPDATE notifications SET subject = 'Sub\x1b[2Jject \u202etxt', body = 'Body \x1b]8;;http://e\x1b\\\\x',"
                 " assignee = 'ma\x1b[31mria' WHERE id = 16")
    conn.commit()
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert notices(app).current["id"] == 16
        drawn = []
        for widget in (notices(app), app.screen.query_one(AccountList), app.screen.query_one(DetailPane)):
            drawn += ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)]
        text = "\n".join(drawn)
        assert "Subject txt" in text and "Evil Co" in text and "@maria" in text
        assert not any(ch in text for ch in ("\x1b", "\x07", "\u202e"))


async def test_a_pasted_escape_sequence_never_lands_in_a_text_box(app):
    from textual import events
    from textual.widgets import Input

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        box = app.screen.query_one("#filter", Input)
        box.post_message(events.Paste("trade\x1b]52;c;ZXZpbA==\x07mark\u202e\nmore"))
        await pilot.pause()
        assert box.value == "trademark"  # the first line of the paste, cleaned
        assert not any(ch in box.value for ch in ("\x1b", "\x07", "\u202e"))
        drawn = "".join(seg.text for y in range(box.size.height) for seg in box.render_line(y))
        assert "trademark" in drawn and "\x1b" not in drawn


async def test_the_console_tunes_the_garbage_collector_and_gives_it_back(app):
    import gc

    before = gc.get_threshold()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.get_threshold()[0] == 10_000 and gc.get_freeze_count() > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
