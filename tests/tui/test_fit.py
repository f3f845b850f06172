"""Every screen and dialog at 80x24: each focusable control, once focused (Tab lands there), lies whole inside
the screen and inside whatever clips it, so nothing can be focused that nobody can see."""

from __future__ import annotations

import pytest
from textual.widgets import Button

from console.store import appeals as ap
from console.store import contacts as cs
from console.store.db import open_store
from console.tui.screens.appeal import AppealScreen
from console.tui.widgets.notice_list import NoticeList

from .conftest import build
from .test_appeal_editor import NID, STRONG
from .test_trust_dialogs import NOTICE

SMALL = (80, 24)


async def _press(pilot, *keys):
    await pilot.press(*keys)
    await pilot.pause()


async def _editor(pilot, text=None):
    desk = pilot.app.desk
    appeal = desk.open_appeal(NID)
    if text:
        desk.save_appeal(appeal, text)
    pilot.app.push_screen(AppealScreen(NID))
    await pilot.pause()


async def _submitted(pilot):
    desk = pilot.app.desk
    appeal = desk.save_appeal(desk.open_appeal(NID), STRONG)
    ap.submit(desk.store, appeal.id, "contact-us", failing=[], override_reason=None)
    pilot.app.push_screen(AppealScreen(NID))
    await pilot.pause()


async def _case(pilot):
    await pilot.pause()
    desk = pilot.app.desk
    row = pilot.app.screen.query_one(NoticeList).current
    cs.open_case(desk.store, row["account_id"], "email", "Asked about the at-risk notice", notification_id=row["id"],
                 case_ref="1111111111")
    await _press(pilot, "f12")


async def help_screen(pilot):
    await _press(pilot, "question_mark")


async def close_dialog(pilot):
    await _press(pilot, "e")


async def add_account(pilot):
    await _press(pilot, "A")


async def file_under(pilot):
    await _press(pilot, "t")


async def take_over(pilot):
    from console.tui.screens.modals import TakeOver

    pilot.app.push_screen(TakeOver(16, "Your account is at risk of deactivation", "maria claimed it 2 hours ago"))
    await pilot.pause()


async def paste_form(pilot):
    await _press(pilot, "p")


async def discard_question(pilot):
    await _press(pilot, "p")
    pilot.app.screen.query_one("#notice-text").text = NOTICE
    await pilot.pause(0.4)
    await _press(pilot, "escape")


async def paste_duplicate(pilot):
    from console.tui.screens.paste import PasteScreen

    for _ in range(2):
        await _press(pilot, "p")
        assert isinstance(pilot.app.screen, PasteScreen)
        pilot.app.screen.query_one("#notice-text").text = NOTICE
        await pilot.pause(0.4)
        await _press(pilot, "f2")


async def import_dialog(pilot):
    await _press(pilot, "i")


async def health(pilot):
    await _press(pilot, "h")


async def audit_log(pilot):
    await _press(pilot, "L")


async def audit_entry(pilot):
    await _press(pilot, "L")
    await _press(pilot, "enter")


async def contact_log(pilot):
    await _case(pilot)


async def contact_form(pilot):
    await _press(pilot, "c", "n")


async def contact_add(pilot):
    await _case(pilot)
    await _press(pilot, "enter")


async def case_status(pilot):
    await _case(pilot)
    await _press(pilot, "s")


async def duplicate_case(pilot):
    await _case(pilot)
    await _press(pilot, "escape")
    await _press(pilot, "c", "n", "f2")


async def appeal_editor(pilot):
    await _editor(pilot)


async def submit(pilot):
    await _editor(pilot, STRONG)
    await _press(pilot, "f5")


async def spend_button(pilot):
    await submit(pilot)
    pilot.app.screen.query_one("#override").value = "the brand asked for it today"
    button = pilot.app.screen.query_one("#appeal-button", Button)
    button.press()
    await pilot.pause()
    while button.has_class("-active"):  # its press flash (0.2 s) ends on a timer: draw the dialog after it
        await pilot.pause(0.05)


async def outcome(pilot):
    await _submitted(pilot)
    await _press(pilot, "f8")


async def revisions(pilot):
    await _editor(pilot, STRONG)
    await _press(pilot, "f3")


async def conflict(pilot):
    desk = pilot.app.desk
    appeal = desk.open_appeal(NID)
    pilot.app.push_screen(AppealScreen(NID))
    await pilot.pause()
    maria = open_store(desk.store.path, "maria", desk.clock, os_user="maria")
    ap.save_text(maria, appeal.id, "## Root cause\nMaria's wording of the cause.\n", appeal.version)
    maria.close()
    pilot.app.screen.query_one("#appeal-text").text = "## Root cause\nMy wording of the cause.\n"
    await _press(pilot, "f2")


async def correct_reading(pilot):
    from .test_correct_ui import open_dialog, warning_id

    await open_dialog(pilot.app, pilot, warning_id(pilot.app.desk))


async def palette(pilot):
    await _press(pilot, "ctrl+p")


SCREENS = [help_screen, close_dialog, add_account, file_under, take_over, paste_form, discard_question,
           paste_duplicate, import_dialog, health, audit_log, audit_entry, contact_log, contact_form, contact_add,
           case_status, duplicate_case, appeal_editor, submit, spend_button, outcome, revisions, conflict,
           correct_reading, palette]


@pytest.mark.parametrize("opener", SCREENS, ids=lambda f: f.__name__)
async def test_every_control_is_on_screen_when_focused_at_80x24(demo, opener):
    app = build(demo)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        before = app.screen
        await opener(pilot)
        screen = app.screen
        assert screen is not before or opener is appeal_editor
        chain = list(screen.focus_chain)
        assert chain, f"{type(screen).__name__}: nothing to focus"
        hidden = []
        for widget in chain:
            screen.set_focus(widget)
            await pilot.pause()
            geometry = screen.find_widget(widget)
            region, clip = geometry.region, geometry.clip
            inside = screen.region.contains_region(region) and clip.contains_region(region)
            if not inside or region.area == 0:
                label = getattr(widget, "label", None) or widget.id or type(widget).__name__
                hidden.append(f"{label} at {tuple(region)} (clip {tuple(clip)})")
        assert not hidden, f"{type(screen).__name__} at 80x24 hides: " + "; ".join(map(str, hidden))
