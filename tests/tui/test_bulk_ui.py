"""Bulk triage in the inbox: what each key does to the marks and to the data, the confirm with its count, undo,
saved views, another operator changing marked rows meanwhile, and the snapshots at 80x24."""

from __future__ import annotations

import json

import pytest

from console.core import config as config_mod
from console.core.model import Status
from console.desk import Desk
from console.store.db import open_store
from console.tui.screens.bulk_dialogs import BulkConfirm, ChoiceDialog
from console.tui.screens.inbox import InboxScreen
from console.tui.screens.modals import AssignAccount
from console.tui.widgets.account_list import AccountList
from console.tui.widgets.flag import FlagBar
from console.tui.widgets.notice_list import NoticeList

from .conftest import build

SIZE = (120, 40)
VIEWS = '[views]\ncritical = "severity:critical status:open"\nmine = "owner:me status:open"\ndue = "due:24h"\n'


def notices(app) -> NoticeList:
    return app.screen.query_one(NoticeList)


def flag_text(app) -> str:
    return str(app.screen.query_one(FlagBar).render())


def row_ids(app, n: int) -> list[int]:
    lst = notices(app)
    return [lst.row(i)["id"] for i in range(n)]


def audit(desk, action: str) -> list[dict]:
    return desk.store.rows("SELECT row_id, detail FROM audit WHERE action = ? ORDER BY id", (action,))


@pytest.fixture
def viewed(tmp_path, demo, clock):
    """The demo data with three saved views in the config."""
    path = tmp_path / "views.toml"
    path.write_text(VIEWS)
    return Desk(demo.store, config_mod.load(path), clock)


# --- marks ----------------------------------------------------------------------------------


async def test_space_marks_the_row_and_moves_down_and_again_unmarks(app):
    async with app.run_test(size=SIZE) as pilot:
        first, second = row_ids(app, 2)
        await pilot.press("space")
        assert notices(app).marks == {first: 1} and notices(app).cursor == 1
        assert "1 marked" in flag_text(app)
        line = notices(app).render_line(0).text
        assert line.startswith("*")  # the marker column, not colour alone
        assert not notices(app).render_line(1).text.startswith("*")
        await pilot.press("k", "space")
        assert notices(app).marks == {} and "marked" not in flag_text(app)
        assert second not in notices(app).marks


async def test_V_opens_a_range_that_follows_the_cursor_and_V_keeps_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "V", "j", "j")
        lst = notices(app)
        assert lst.range_span == (1, 3) and "0 marked + 3 in range" in flag_text(app)
        assert [lst.render_line(i).text[0] for i in range(5)] == [" ", "*", "*", "*", " "]
        await pilot.press("V")
        assert set(lst.marks) == set(row_ids(app, 4)[1:]) and lst.range_anchor is None
        assert "3 marked" in flag_text(app)


async def test_esc_drops_the_range_then_the_marks_then_the_filter(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"status:new", "enter")
        await pilot.press("space", "V", "j")
        lst = notices(app)
        await pilot.press("escape")
        assert lst.range_anchor is None and len(lst.marks) == 1 and app.screen.query_text == "status:new"
        await pilot.press("escape")
        assert lst.marks == {} and app.screen.query_text == "status:new"
        await pilot.press("escape")
        assert app.screen.query_text == "" and lst.total == 49


async def test_star_marks_every_notification_in_the_filter_with_the_count(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"severity:high", "enter", "asterisk")
        await pilot.pause()
        expected = demo.select(demo.parse_filter("severity:high"))
        assert notices(app).marks == expected and len(expected) == 18
        assert "18 marked" in flag_text(app)
        await pilot.press("asterisk")  # all marked already: unmark them
        assert notices(app).marks == {}


async def test_a_new_filter_or_account_drops_the_marks(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "space")
        await pilot.press("4")
        await pilot.pause()
        assert notices(app).marks == {}


# --- changing the marked rows ---------------------------------------------------------------------


async def test_M_marks_the_marked_rows_read_at_once_audited_one_row_each_plus_the_bulk_row(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        ids = row_ids(app, 3)
        await pilot.press("space", "space", "space", "M")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)  # marked rows: no confirm
        assert all(demo.notification(i).status is Status.READ for i in ids)
        assert demo.count(demo.parse_filter(""))[1] == 15
        assert app.screen.query_one(AccountList).entries[0].unread == 15
        assert notices(app).marks == {} and "marked" not in flag_text(app)
    bulk = audit(demo, "notification.bulk")
    assert len(bulk) == 1 and json.loads(bulk[0]["detail"])["done"] == 3
    rows = [r for r in audit(demo, "notification.status") if json.loads(r["detail"]).get("bulk")]
    assert sorted(r["row_id"] for r in rows) == sorted(ids)


async def test_M_with_nothing_marked_asks_first_with_the_count_and_no_changes_nothing(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"severity:medium", "enter", "M")
        await pilot.pause()
        assert isinstance(app.screen, BulkConfirm)
        shown = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "Mark read: 19 notifications?" in shown and "6 would be marked read; 13 not unread" in shown
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        assert demo.count(demo.parse_filter("severity:medium status:new"))[0] == 6
        await pilot.press("M", "y")
        await pilot.pause()
        assert demo.count(demo.parse_filter("severity:medium status:new"))[0] == 0
        assert demo.count(demo.parse_filter("status:new"))[0] == 12
    assert json.loads(audit(demo, "notification.bulk")[0]["detail"])["query"] == "All accounts · filter: severity:medium"


async def test_semicolon_offers_every_change_close_claim_release_file_and_severity(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        ids = row_ids(app, 2)
        await pilot.press("space", "space", "semicolon")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("e")
        await pilot.pause()
        assert [demo.notification(i).status for i in ids] == [Status.RESOLVED, Status.RESOLVED]
        # resolved rows sink to the end; mark them again there and bring them back as unread
        await pilot.press("G")
        lst = notices(app)
        for i in ids:
            lst.marks[i] = demo.notification(i).version
        await pilot.press("semicolon", "u")
        await pilot.pause()
        assert [demo.notification(i).status for i in ids] == [Status.NEW, Status.NEW]
        for i in ids:
            lst.marks[i] = demo.notification(i).version
        await pilot.press("semicolon", "o")
        await pilot.pause()
        assert [demo.notification(i).assignee for i in ids] == ["tester", "tester"]
        for i in ids:
            lst.marks[i] = demo.notification(i).version
        await pilot.press("semicolon", "x")
        await pilot.pause()
        assert [demo.notification(i).assignee for i in ids] == [None, None]
        for i in ids:
            lst.marks[i] = demo.notification(i).version
        await pilot.press("semicolon", "s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("l")
        await pilot.pause()
        assert [demo.notification(i).severity.value for i in ids] == ["low", "low"]
        assert all("severity" in demo.notification(i).corrected for i in ids)  # kept on reread
        for i in ids:
            lst.marks[i] = demo.notification(i).version
        await pilot.press("semicolon", "t")
        await pilot.pause()
        assert isinstance(app.screen, AssignAccount)
        await pilot.click("#save")
        await pilot.pause()
        first = demo.accounts()[0]
        assert [demo.notification(i).account_id for i in ids] == [first.id, first.id]
    actions = [r["action"] for r in demo.store.rows("SELECT action FROM audit WHERE detail LIKE '%\"bulk\"%'")]
    assert {"notification.status", "notification.claim", "notification.release", "notification.correct",
            "notification.assign"} <= set(actions)
    assert len(audit(demo, "notification.bulk")) == 6


async def test_a_row_another_operator_changed_meanwhile_is_left_reported_and_stays_marked(app, demo, tmp_path, clock):
    maria = Desk(open_store(tmp_path / "demo.db", "maria", clock, os_user="maria"), demo.config, clock)
    async with app.run_test(size=SIZE) as pilot:
        ids = row_ids(app, 4)
        await pilot.press("space", "space", "space", "space")
        maria.set_status(ids[1], Status.IN_PROGRESS)  # between the marking and the action
        await pilot.press("M")
        await pilot.pause()
        assert demo.notification(ids[1]).status is Status.IN_PROGRESS  # hers, never overwritten
        assert [demo.notification(i).status for i in (ids[0], ids[2], ids[3])] == [Status.READ] * 3
        assert notices(app).marks == {ids[1]: demo.notification(ids[1]).version}
        messages = [n.message for n in app._notifications]
        assert "3 done; 1 changed by maria meanwhile, left as it is (still marked: look at them, then act again)" \
            in messages
    bulk = json.loads(audit(demo, "notification.bulk")[0]["detail"])
    assert bulk["done"] == 3 and bulk["changed_meanwhile"] == {str(ids[1]): "maria"}
    maria.close()


async def test_the_filter_wide_confirm_leaves_what_changed_after_it_was_shown(app, demo, tmp_path, clock):
    """The selection is made when the confirm shows its count: a change by another session before yes wins."""
    maria = Desk(open_store(tmp_path / "demo.db", "maria", clock, os_user="maria"), demo.config, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"status:new severity:critical", "enter", "semicolon", "e")
        await pilot.pause()
        assert isinstance(app.screen, BulkConfirm)
        target = row_ids_in(demo, "status:new severity:critical")[0]
        maria.correct(target, {"severity": "high"}, "not critical after all")
        await pilot.press("y")
        await pilot.pause()
        assert demo.notification(target).status is Status.NEW
        assert demo.count(demo.parse_filter("status:resolved severity:critical"))[0] == 3
    maria.close()


def row_ids_in(desk, text: str) -> list[int]:
    return list(desk.select(desk.parse_filter(text)))


async def test_U_undoes_the_last_bulk_change_as_a_new_audited_change(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        ids = row_ids(app, 3)
        await pilot.press("space", "space", "space", "M", "U")
        await pilot.pause()
        assert isinstance(app.screen, BulkConfirm)
        shown = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "Undo mark read of 3 notifications?" in shown
        await pilot.press("y")
        await pilot.pause()
        assert [demo.notification(i).status for i in ids] == [Status.NEW] * 3
        await pilot.press("U")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)  # nothing left to undo
        assert any("Nothing to undo" in str(n.message) for n in app._notifications)
    bulk = [json.loads(r["detail"]) for r in audit(demo, "notification.bulk")]
    assert [b["change"] for b in bulk] == ["read", "undo"] and bulk[1]["done"] == 3
    statuses = [json.loads(r["detail"]) for r in audit(demo, "notification.status")]
    assert sum(1 for d in statuses if d.get("undo_of")) == 3  # the old values put back, the history kept


# --- saved views ----------------------------------------------------------------------------------


async def test_saved_views_in_the_sidebar_with_their_counts_and_v_picks_one(viewed):
    app = build(viewed)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        entries = [e for e in app.screen.query_one(AccountList).entries if e.view]
        assert [(e.view, e.unread) for e in entries] == [("critical", 6), ("mine", 0), ("due", 3)]
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "enter")  # the arrows and enter pick too: the second view
        await pilot.pause()
        assert app.screen.view_name == "mine" and notices(app).total == 0
        await pilot.press("v", "1")
        await pilot.pause()
        assert app.screen.view_name == "critical" and notices(app).total == 6
        assert "view critical" in flag_text(app)
        await pilot.press("slash", *"account:north", "enter")  # the / box narrows the view
        await pilot.pause()
        assert notices(app).total == 2


async def test_clearing_thirty_low_notices_takes_four_keys_beyond_the_filter_text(tmp_path, clock):
    """The issue's figure: 30 low-severity notices of one fate in one account, from launch. Through the
    filter box: / text enter, M, y (4 keys beyond the text); from a saved view: v 1 M y (4 keys)."""
    desk = thirty_low(tmp_path, clock, '[views]\ncorrected = "account:harbor severity:low fate:warning status:new"\n')
    app = build(desk)
    async with app.run_test(size=SIZE) as pilot:
        text = "account:harbor severity:low fate:warning"
        keys = ["slash", *text, "enter", "M", "y"]
        await pilot.press(*keys)
        await pilot.pause()
        assert desk.count(desk.parse_filter(text + " status:new"))[0] == 0
        assert len(keys) - len(text) == 4
        desk.undo_bulk()
        await pilot.press("escape")
        keys = ["v", "1", "M", "y"]
        await pilot.press(*keys)
        await pilot.pause()
        assert desk.count(desk.parse_filter(text + " status:new"))[0] == 0 and len(keys) == 4
    desk.close()


def thirty_low(tmp_path, clock, views: str) -> Desk:
    from console.store.notifications import NewNotification, add_notifications

    path = tmp_path / "views.toml"
    path.write_text(views)
    config = config_mod.load(path, tmp_path / "thirty.db")
    desk = Desk(open_store(tmp_path / "thirty.db", "tester", clock), config, clock)
    harbor = desk.add_account("Harbor Lane Goods", ["US"])
    other = desk.add_account("Quill Street Home", ["US"])
    news = [NewNotification(account_id=(harbor if i < 30 else other).id, marketplace="US",
                            received_at=clock.now(), subject=f"We corrected the detail page of ASIN B0TEST{i:04d}",
                            body="Hello, we updated your detail page after a catalogue review. No action is needed.",
                            category="warning", severity="low") for i in range(40)]
    add_notifications(desk.store, news)
    return desk


# --- snapshots ----------------------------------------------------------------------------------


def test_snapshot_inbox_with_marks_80x24(snap_compare, app):
    """Rows 1, 2 and 4 marked: a `*` column in front of the list (the marked rows tinted as well), the top
    bar says "3 marked"."""
    assert snap_compare(app, press=["space", "space", "j", "space", "k"], terminal_size=(80, 24))


def test_snapshot_bulk_confirm_80x24(snap_compare, app):
    """M with nothing marked under /severity:medium: the confirm says 19 notifications, 6 of them would
    change (13 are not unread), that each is audited and U undoes it; Mark read (y) or No (n)."""
    assert snap_compare(app, press=["slash", *"severity:medium", "enter", "M"], terminal_size=(80, 24))


def test_snapshot_saved_views_in_the_sidebar(snap_compare, viewed):
    """Under the accounts, the three saved views (≡ critical 6, ≡ mine, ≡ due 3); the critical view is
    picked (v 1): its six notifications, the top bar says "view critical"."""
    assert snap_compare(build(viewed), press=["v", "1"], terminal_size=(120, 36))


async def test_view_in_the_filter_box_and_the_palette_entries(viewed):
    app = build(viewed)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"view:critical account:north", "enter")
        await pilot.pause()
        assert notices(app).total == 2
        titles = [c.title for c in app.screen.palette_commands()]
        assert {"Mark all in the filter", "Many: Mark read", "Many: Close as dismissed", "Many: File under an account",
                "Undo the last change to many", "View: critical", "View: due"} <= set(titles)


async def test_when_the_change_empties_the_filter_the_keys_still_work_not_typed_into_the_filter_box(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"status:new", "enter", "M", "y")
        await pilot.pause()
        assert notices(app).total == 0 and app.screen.query_text == "status:new"
        await pilot.press("U", "y")
        await pilot.pause()
        assert app.screen.query_one("#filter").value == "status:new"  # nothing typed into it
        assert demo.count(demo.parse_filter("status:new"))[0] == 18 and notices(app).total == 18
