"""`R` in the inbox corrects the reading by hand: fate, cause and severity, with a reason; audited, kept on
reread, and handed back to the rules from the same dialog."""

from __future__ import annotations

import json

from textual.widgets import Input, Select

from console.tui.screens.correct import CorrectReading
from console.tui.widgets.detail import DetailPane
from console.tui.widgets.notice_list import NoticeList

from .conftest import build


async def open_dialog(app, pilot, nid):
    await pilot.pause()
    lst = app.screen.query_one(NoticeList)
    lst.move_to(next(i for i in range(lst.total) if lst.row(i)["id"] == nid))
    await pilot.pause()
    await pilot.press("R")
    await pilot.pause()
    assert isinstance(app.screen, CorrectReading)


def warning_id(demo):
    return demo.store.rows("SELECT id FROM notifications WHERE category = 'warning' AND severity = 'medium' "
                           "ORDER BY id LIMIT 1")[0]["id"]


async def test_r_sets_fate_and_severity_with_a_reason_audited_and_kept(demo):
    nid = warning_id(demo)
    app = build(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dialog(app, pilot, nid)
        app.screen.query_one("#correct-fate", Select).value = "listings_removed"
        app.screen.query_one("#correct-severity", Select).value = "high"
        app.screen.query_one("#correct-reason", Input).focus()
        await pilot.press(*"the listing is gone")
        await pilot.press("f2")
        await pilot.pause()
        assert not isinstance(app.screen, CorrectReading)
        pane = app.screen.query_one(DetailPane).plain
        assert "Listings removed" in pane and "set by an operator (fate, severity)" in pane
    n = demo.notification(nid)
    assert (n.category, n.severity.value, sorted(n.corrected)) == ("listings_removed", "high",
                                                                   ["category", "severity"])
    row = demo.store.rows("SELECT actor, detail FROM audit WHERE action = 'notification.correct' AND row_id = ?",
                          (nid,))[-1]
    detail = json.loads(row["detail"])
    assert row["actor"] == "tester" and detail["category"] == ["warning", "listings_removed"]
    assert "the listing is gone" in row["detail"]
    demo.reread()
    assert demo.notification(nid).category == "listings_removed"  # a reread keeps the operator's word


async def test_back_to_the_rules_and_nothing_changed(demo):
    nid = warning_id(demo)
    demo.correct(nid, {"severity": "low"}, "test")
    app = build(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_dialog(app, pilot, nid)
        await pilot.press("f2")  # nothing picked differs: says so, stays open
        await pilot.pause()
        assert isinstance(app.screen, CorrectReading)
        await pilot.click("#reset")
        await pilot.pause()
        assert not isinstance(app.screen, CorrectReading)
    assert demo.notification(nid).corrected == []


def test_correct_dialog_80x24(snap_compare, demo):
    """The dialog at 80x24: the notice's subject, what it reads as now, fate, cause and severity choices, a
    reason box and Save/Cancel all in view."""
    nid = warning_id(demo)

    async def go(pilot):
        await open_dialog(pilot.app, pilot, nid)

    assert snap_compare(build(demo), run_before=go, terminal_size=(80, 24))
