"""Unsaved typing is never lost to a stray key: q does not quit from a form, and esc, Cancel, ctrl+c and
ctrl+q ask "Discard N characters?" first when something typed is not saved. Driven through the real app.

Every test here fails on the code before this guard (beyond importing console.tui.screens.unsaved, which did
not exist): each says which of its assertions did."""

from __future__ import annotations

from textual.widgets import Button, Input, Select, Static, TextArea

from console.core.triage import Filter
from console.store import appeals as ap
from console.store import contacts as cs
from console.store.db import open_store
from console.tui.screens.appeal import AppealScreen
from console.tui.screens.contacts import ContactForm, ContactsScreen
from console.tui.screens.help import HelpScreen
from console.tui.screens.inbox import InboxScreen
from console.tui.screens.modals import AddAccount
from console.tui.screens.paste import PasteScreen
from console.tui.screens.unsaved import ConfirmDiscard, typed_chars
from console.tui.widgets.notice_list import NoticeList

from .conftest import build

SIZE = (130, 40)
NID = 41  # the demo's authenticity complaint (as in test_appeal_editor)
NOTICE = "Dear Seller, we removed ASIN B0TESTQ123 from sale."


def question(app) -> str:
    """The question on screen (what the operator reads), from the confirm on top."""
    assert isinstance(app.screen, ConfirmDiscard), f"expected the confirm, found {type(app.screen).__name__}"
    return str(app.screen.query_one("#discard-question", Static).content)


def offers_quit(app) -> bool:
    """Whether the footer (and help) would offer the app's Quit on the current screen."""
    return any(b.binding.action == "quit" and b.binding.show for b in app.screen.active_bindings.values())


async def open_paste(pilot) -> PasteScreen:
    await pilot.press("p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PasteScreen)
    return pilot.app.screen


def test_snapshot_discard_question_over_the_paste_form(snap_compare, app):
    """The paste form with "Dear seller" typed and esc pressed: a dialog asks "Discard 11 characters?",
    says the text is not saved, and offers Discard (d) and Keep editing (esc), the latter focused. The
    paste form's footer offers no q Quit. (Before: esc left the form at once; there was nothing to show.)"""

    async def typed_then_esc(pilot):
        await open_paste(pilot)
        await pilot.press(*"Dear seller")
        await pilot.pause(0.4)  # the extraction's debounce: the fields settle before the capture
        await pilot.press("escape")
        await pilot.pause()

    assert snap_compare(app, run_before=typed_then_esc, terminal_size=(80, 24))


def test_typed_chars_counts_what_changed():
    assert typed_chars("", "hello") == 5
    assert typed_chars("abc", "abXc") == 1
    assert typed_chars("hello", "") == 5
    assert typed_chars("same", "same") == 0
    assert typed_chars("aaa", "aaaa") == 1


async def test_paste_form_q_on_a_select_stays_and_esc_asks_first(app, demo):
    # Before: q on the Select reached the app's Quit (the app exited: return_code 0, not None), the footer
    # offered q Quit, and esc left at once with no question.
    async with app.run_test(size=SIZE) as pilot:
        stored = demo.count(Filter())[0]
        await open_paste(pilot)
        await pilot.press("escape")  # nothing typed: leaves as before, no question
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)

        paste = await open_paste(pilot)
        await pilot.press(*NOTICE)
        paste.query_one("#account", Select).focus()
        await pilot.pause()
        assert not offers_quit(app)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code is None and app.screen is paste
        assert paste.query_one("#notice-text", TextArea).text == NOTICE

        await pilot.press("escape")
        await pilot.pause()
        assert question(app) == f"Discard {len(NOTICE)} characters?"
        assert app.screen.focused is app.screen.query_one("#keep", Button)  # keep editing by default
        await pilot.press("escape")  # esc on the question keeps editing
        await pilot.pause()
        assert app.screen is paste and paste.query_one("#notice-text", TextArea).text == NOTICE

        await pilot.press("escape", "d")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        assert demo.count(Filter())[0] == stored  # nothing was stored
        await pilot.press("q")  # the inbox: q still quits at once
        await pilot.pause()
    assert app.return_code == 0


async def test_paste_form_counts_what_the_operator_typed_over_the_fields(app):
    # Before: esc left at once (no question at all).
    async with app.run_test(size=SIZE) as pilot:
        paste = await open_paste(pilot)
        paste.query_one("#policy", Input).focus()
        await pilot.press(*"IP")
        paste.query_one("#cancel", Button).press()  # the Cancel button asks as esc does
        await pilot.pause()
        assert question(app) == "Discard 2 characters?"
        await pilot.press("enter")  # enter presses the focused button: Keep editing
        await pilot.pause()
        assert app.screen is paste and paste.query_one("#policy", Input).value == "IP"


async def test_ctrl_c_and_ctrl_q_on_the_paste_form_ask_first(app):
    # Before: ctrl+c only showed Textual's hint "press q to quit" (no question), and ctrl+q quit at once,
    # dropping the text (return_code 0 right after it).
    async with app.run_test(size=SIZE) as pilot:
        paste = await open_paste(pilot)
        await pilot.press(*"abcd")
        await pilot.press("ctrl+c")  # in the text area, nothing selected
        await pilot.pause()
        assert question(app) == "Discard 4 characters?"
        await pilot.press("n")
        await pilot.pause()
        paste.query_one("#severity", Select).focus()
        await pilot.press("ctrl+c")  # on a Select
        await pilot.pause()
        assert question(app) == "Discard 4 characters?"
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code is None
        assert question(app) == "Discard 4 characters?" and app.screen.quitting
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is paste and app.return_code is None
        await pilot.press("ctrl+q", "d")  # discard: now it quits
        await pilot.pause()
    assert app.return_code == 0


async def test_help_on_a_form_lists_no_quit_key(app):
    # Before: with a Select focused, help listed "q  Leave flagdesk" on the paste form.
    async with app.run_test(size=SIZE) as pilot:
        paste = await open_paste(pilot)
        paste.query_one("#account", Select).focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict(app.screen.rows)
        assert "Leave flagdesk" not in rows.values() and "q" not in rows
        assert rows["esc"].startswith("Leave without saving")
        await pilot.press("escape")
        await pilot.press("escape")  # nothing typed: back to the inbox, whose help does list q
        await pilot.press("question_mark")
        await pilot.pause()
        assert dict(app.screen.rows)["q"] == "Leave flagdesk"


async def test_contact_form_asks_before_dropping_what_was_typed(app, demo):
    # Before: esc on the contact form closed it at once, dropping "refund" (no question).
    async with app.run_test(size=SIZE) as pilot:
        row = app.screen.query_one(NoticeList).current
        await pilot.press("c", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm)
        await pilot.press(*"refund")  # the focus starts on the problem box
        form.query_one("#contact-channel", Select).focus()
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code is None and app.screen is form
        await pilot.press("escape")
        await pilot.pause()
        assert question(app) == "Discard 6 characters?"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form and form.query_one("#contact-problem", Input).value == "refund"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        assert cs.cases_for_notification(demo.store, row["id"]) == []


async def test_add_account_asks_and_ctrl_q_twice_quits(desk):
    # Before: Cancel and esc closed the dialog at once, and ctrl+q quit at once (no question either time).
    app = build(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("A")
        await pilot.press(*"Northwind", "tab", *"us")
        assert isinstance(app.screen, AddAccount)
        dialog = app.screen
        dialog.query_one("#cancel", Button).press()
        await pilot.pause()
        assert question(app) == "Discard 11 characters?"
        await pilot.press("enter")  # Keep editing
        await pilot.pause()
        assert app.screen is dialog and dialog.query_one("#account-name", Input).value == "Northwind"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen) and desk.accounts() == []

        await pilot.press("A", *"x")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert question(app) == "Discard 1 character?" and app.return_code is None
        await pilot.press("ctrl+q")  # again: the answer is discard, and quit
        await pilot.pause()
    assert app.return_code == 0 and desk.accounts() == []


async def test_appeal_editor_asks_only_when_the_save_fails(app, demo, clock):
    # Before: q with the focus off the text quit the app (and the footer offered q), and esc after a refused
    # save opened the conflict dialog again and again: there was no way out short of choosing a text.
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(AppealScreen(NID))
        await pilot.pause()
        editor = app.screen
        await pilot.press(*"ok ")
        await pilot.press("escape")  # the save succeeds: leaves without asking
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        appeal = ap.current_appeal(demo.store, NID)
        assert appeal.text.startswith("ok ")

        app.push_screen(AppealScreen(NID))
        await pilot.pause()
        editor = app.screen
        editor.query_one("#checklist").focus()
        await pilot.pause()
        assert not offers_quit(app)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code is None and app.screen is editor

        maria = open_store(demo.store.path, "maria", clock, os_user="maria")
        ap.save_text(maria, appeal.id, "maria's version", appeal.version)
        editor.query_one("#appeal-text", TextArea).focus()
        await pilot.press(*"abc")
        await pilot.press("escape")
        await pilot.pause()
        assert question(app) == "Discard 3 characters?"
        assert "maria" in str(app.screen.query_one("#discard-box").query(Static)[1].content)
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert app.screen is editor and editor.query_one(TextArea).text.startswith("abcok ")
        await pilot.press("escape", "d")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        assert ap.get_appeal(demo.store, appeal.id).text == "maria's version"
        maria.close()


async def test_ctrl_q_in_the_appeal_editor_saves_first(app, demo):
    # Before: ctrl+q quit without saving what was typed since the last autosave ("late words" was lost).
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(AppealScreen(NID))
        await pilot.pause()
        await pilot.press(*"late words ")
        await pilot.press("ctrl+q")  # the save succeeds: nothing to ask, it quits
        await pilot.pause()
    assert app.return_code == 0
    assert ap.current_appeal(demo.store, NID).text.startswith("late words ")


async def test_a_remapped_quit_key_is_held_on_forms_too(demo):
    # Before: the remapped key (x) on the paste form's Select quit the app at once (return_code 0).
    demo.config.values["keymap"] = {"quit": "x"}
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        paste = await open_paste(pilot)
        await pilot.press(*"notice")
        paste.query_one("#account", Select).focus()
        await pilot.press("x", "q")
        await pilot.pause()
        assert app.return_code is None and app.screen is paste
        await pilot.press("escape", "d", "x")  # back on the inbox, x quits
        await pilot.pause()
    assert app.return_code == 0
