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
