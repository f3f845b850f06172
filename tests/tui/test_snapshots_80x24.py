"""Snapshots of every screen and dialog at 80x24, under NO_COLOR and in the light theme (frozen clock, demo
data). What you should see in each: every control whole inside the frame, the footer's keys whole with ? or
esc among them, nothing cut mid-word without "…"; under NO_COLOR the CRIT rows, the overdue deadlines and the
red counts reversed (the most prominent things on screen), never grey; in the light theme dark text on light.
"""

from __future__ import annotations

import pytest

from console.tui.widgets.notice_list import NoticeList

from . import test_fit as fit
from .conftest import build

SMALL = (80, 24)


async def presence_and_claims(pilot):
    """The inbox with maria editing the first notice's appeal and jonas looking at the second (as the live
    heartbeat would show them): at 80 columns one mark each, ✎ and ◉, beside the @ of the claimed rows."""
    await pilot.pause()
    notices = pilot.app.screen.query_one(NoticeList)
    first, second = notices.row(0)["id"], notices.row(1)["id"]
    notices.presence = {first: [("maria", "editing")], second: [("jonas", "viewing")]}
    notices.refresh()
    await pilot.pause()


async def detail_focused(pilot):
    """Tab into the detail: its top border heavy, titled "▶ detail", the list's ▶ gone."""
    await pilot.press("tab")
    await pilot.pause()


async def checklist_end(pilot):
    """The appeal editor with the checklist scrolled to its end (shift+tab into it, then end): every check
    down to the last is reachable, each reason wrapped under its words."""
    await fit.appeal_editor(pilot)
    await pilot.press("shift+tab", "end")
    await pilot.pause()


SCREENS = [presence_and_claims, detail_focused, checklist_end, *fit.SCREENS]


@pytest.mark.parametrize("opener", SCREENS, ids=lambda f: f.__name__)
def test_at_80x24(snap_compare, demo, opener):
    """Each screen at 80x24 (see the module docstring and each opener's)."""
    assert snap_compare(build(demo), run_before=opener, terminal_size=SMALL)


@pytest.mark.parametrize("opener", [presence_and_claims, fit.appeal_editor, fit.contact_log, fit.contact_form,
                                    fit.help_screen],
                         ids=lambda f: f.__name__)
def test_no_color_at_80x24(snap_compare, demo, monkeypatch, opener):
    """NO_COLOR=1 (Textual reads it when the app starts and draws in grey): CRIT and overdue reversed, the
    unread count and "3 overdue" reversed in the flag bar, the checklist's "Not ready" and ✗ marks reversed,
    the contact form's urgent box "[ ]"."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(build(demo), run_before=opener, terminal_size=SMALL)


@pytest.mark.parametrize("opener", [presence_and_claims, fit.appeal_editor, fit.contact_log, fit.case_status,
                                    fit.help_screen],
                         ids=lambda f: f.__name__)
def test_light_theme_at_80x24(snap_compare, demo, opener):
    """theme = "light": textual-light, CRIT and overdue in a dark red, HIGH in a dark amber, a pale cursor."""
    demo.config.values["theme"] = "light"
    assert snap_compare(build(demo), run_before=opener, terminal_size=SMALL)


def failing_source(desk):
    """Two sources: `shared` fetched ten minutes ago, `spapi` failing for three hours (over the default
    warn_after_minutes of 30)."""
    from datetime import timedelta

    from console.store import sources as state

    desk.config.values["sources"] = [
        {"name": "shared", "kind": "maildir", "path": "/nonexistent"},
        {"name": "spapi", "kind": "sqs", "queue_url": "https://sqs.us-east-1.amazonaws.com/1/q", "region": "us-east-1"}]
    now = desk.clock.at
    desk.clock.at = now - timedelta(hours=5)
    state.record_run(desk.store, "spapi", "sqs")  # it last succeeded at 03:00
    desk.clock.at = now - timedelta(hours=3)
    state.record_run(desk.store, "spapi", "sqs", error="source spapi: cannot receive from the queue: timed out")
    desk.clock.at = now - timedelta(minutes=10)
    state.record_run(desk.store, "shared", "maildir")
    desk.clock.at = now
    return desk


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "no_color"])
def test_a_source_failing_too_long_is_warned_in_the_top_bar_at_80x24(snap_compare, demo, monkeypatch, no_color):
    """The top bar: "spapi failing 3 h" beside the counts (reversed under NO_COLOR, like the overdue count),
    kept at 80 columns where the sources' times give way."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(build(failing_source(demo)), terminal_size=SMALL)


async def test_the_top_bar_says_when_each_source_last_succeeded(demo):
    from console.tui.widgets.flag import FlagBar

    app = build(failing_source(demo))
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        wide = str(app.screen.query_one(FlagBar).render())
    async with build(demo).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        narrow = str(pilot.app.screen.query_one(FlagBar).render())
    assert "spapi failing 3 h" in wide and "fetched shared 07:50, spapi 03:00" in wide
    assert "spapi failing 3 h" in narrow and "fetched" not in narrow  # the warning stays, the times give way


async def test_several_failing_sources_are_counted_when_narrow(demo):
    from datetime import timedelta

    from console.store import sources as state
    from console.tui.widgets.flag import FlagBar

    desk = failing_source(demo)
    desk.config.values["sources"].append({"name": "second-box", "kind": "maildir", "path": "/nonexistent"})
    now = desk.clock.at
    desk.clock.at = now - timedelta(hours=1)
    state.record_run(desk.store, "second-box", "maildir", error="source second-box: /nonexistent is not a Maildir")
    desk.clock.at = now
    async with build(desk).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        narrow = str(pilot.app.screen.query_one(FlagBar).render())
    async with build(desk).run_test(size=(200, 30)) as pilot:
        await pilot.pause()
        wide = str(pilot.app.screen.query_one(FlagBar).render())
    assert "2 sources failing" in narrow and narrow.rstrip().endswith("tester")
    assert "spapi failing 3 h" in wide and "second-box failing 60 min" in wide
