"""Keys typed ahead — a burst over SSH, all in one packet — reach the field the key before them opened, in order.

Each test posts its whole burst before the app has handled the first key, the way a terminal delivers a fast
typist's keys or a pasted command, and only then lets the app run. On the old code the focus moved some messages
after the key that asked for it: the filter's first letters went to the list's bindings (`s` hid the sidebar,
`a` opened the appeal editor) and the text was lost.
"""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, TextArea

from console.core.triage import Filter
from console.tui.screens.inbox import InboxScreen
from console.tui.widgets.notice_list import NoticeList

SIZE = (120, 40)
NAMED = {"enter": "\r", "slash": "/", "space": " "}


def burst(app, keys: list[str]) -> None:
    """Queue every key at once, as the terminal driver does with a packet of input."""
    for key in keys:
        if key in NAMED:
            app.post_message(events.Key(key, NAMED[key]))
        else:
            app.post_message(events.Key(key, key if len(key) == 1 else None))


def typed(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


async def settle(pilot) -> None:
    for _ in range(6):
        await pilot.pause()


async def test_a_filter_typed_in_one_burst_is_the_filter(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one("#accounts").display
        burst(app, ["slash", *typed("safety status:open"), "enter"])
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)  # `a` did not open the appeal editor
        assert app.screen.query_text == "safety status:open"
        assert app.screen.query_one("#accounts").display == sidebar  # `s` did not hide the sidebar
        assert app.screen.focused is app.screen.query_one(NoticeList)  # enter ran the filter and came back


@pytest.mark.parametrize(("key", "screen", "field", "text"), [
    ("p", "PasteScreen", TextArea, "Your account has been deactivated"),  # a notice pasted right after p
    ("A", "AddAccount", Input, "North shop"),  # an account's name typed right after A
], ids=["paste", "add_account"])
async def test_text_typed_right_after_the_key_that_opens_its_field_is_all_there(app, key, screen, field, text):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        burst(app, [key, *typed(text)])
        await settle(pilot)
        assert type(app.screen).__name__ == screen
        focused = app.screen.focused
        assert isinstance(focused, field)
        assert (focused.text if field is TextArea else focused.value) == text


async def test_keys_typed_ahead_keep_their_order_and_none_is_lost(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        notices = app.screen.query_one(NoticeList)
        start, sidebar = notices.cursor, app.screen.query_one("#accounts").display
        unread = app.screen.desk.count(Filter())
        burst(app, ["j", "j", "j", "slash", *typed("sun"), "escape", "j"])
        await settle(pilot)
        assert app.screen.query_text == ""  # escape cleared the filter it typed
        assert app.screen.focused is notices
        assert notices.cursor == start + 4
        assert app.screen.query_one("#accounts").display == sidebar  # not `s`
        assert app.screen.desk.count(Filter()) == unread  # not `u` (mark unread) nor `n`
