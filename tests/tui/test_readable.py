"""Readable at 80x24: footers that keep their most needed keys whole, the inbox degrading by priority, the
sidebar collapsing, focus that stays on the list, and urgency without colour."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from console.tui.screens.appeal import AppealScreen

from .conftest import build
from .test_appeal_editor import NID


def footer_keys(screen) -> list[tuple[str, str]]:
    """(key, description) of each footer key on screen, checking that each is drawn whole inside the screen."""
    keys = []
    for key in screen.query(FooterKey):
        region = screen.find_widget(key).region
        assert screen.region.contains_region(region), f"{key.key} {key.description} cut at {region}"
        keys.append((key.key, key.description))
    return keys


async def test_the_inbox_footer_keeps_help_whole_at_80_columns(demo):
    # Before: the footer ended in "? Hel▏" at 80 columns.
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = footer_keys(app.screen)
        assert ("question_mark", "Help") in keys
        assert [k for k, _ in keys][:3] == ["m", "n", "e"]


async def test_the_appeal_footer_keeps_f10_and_esc_at_80_columns(demo):
    # Before: F10 Revise and esc Back fell off the right edge at 80 columns.
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        demo.open_appeal(NID)
        app.push_screen(AppealScreen(NID))
        await pilot.pause()
        keys = dict(footer_keys(app.screen))
        assert keys.get("f10") == "Revise" and keys.get("escape") == "Back"
        assert "f11" not in keys and "f9" not in keys  # copy (also y), then the bundle gave way first
        assert keys.get("f6") == "Attach"
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        await pilot.pause()
        wide = dict(footer_keys(app.screen))
        assert "f11" in wide and "f9" in wide  # a wider terminal shows every key again


# --- the inbox at 80 columns ------------------------------------------------------------------------


def list_lines(app) -> list[str]:
    from console.tui.widgets.notice_list import NoticeList

    widget = app.screen.query_one(NoticeList)
    return ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)]


async def test_at_80_columns_the_subject_keeps_40_characters_and_the_sidebar_steps_aside(demo):
    # Before: "● CRIT Brightwat… UK Fwd: Action required: Yo…": 25 characters of subject, beside the sidebar.
    from console.tui.widgets.account_list import AccountList

    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one(AccountList).display  # under 90 columns, by itself
        first = list_lines(app)[0]
        subject = demo.notification(16).subject
        assert subject[:40] in first
        assert "overdue 2d" in first


async def test_s_shows_and_hides_the_sidebar_whatever_the_width(demo):
    from console.tui.widgets.account_list import AccountList
    from console.tui.widgets.notice_list import NoticeList

    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(AccountList)
        await pilot.press("s")
        await pilot.pause()
        assert sidebar.display and sidebar.region.width > 0
        await pilot.press("shift+tab")  # into the sidebar
        assert app.focused is sidebar
        await pilot.press("s")
        await pilot.pause()
        assert not sidebar.display and isinstance(app.focused, NoticeList)  # the focus never stays hidden
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not sidebar.display  # the operator's choice holds at any width


async def test_the_sidebar_hides_itself_under_90_columns_and_comes_back(demo):
    from console.tui.widgets.account_list import AccountList

    app = build(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(AccountList)
        assert sidebar.display
        await pilot.resize_terminal(89, 30)
        await pilot.pause()
        assert not sidebar.display
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert sidebar.display


async def test_after_enter_j_and_k_still_move_the_list(demo):
    from console.tui.widgets.detail import DetailPane
    from console.tui.widgets.notice_list import NoticeList

    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notices = app.screen.query_one(NoticeList)
        await pilot.press("enter")  # read now: it moves down among the read ones, the cursor with it
        await pilot.pause()
        at = notices.cursor
        await pilot.press("j", "j")
        assert notices.cursor == at + 2 and app.focused is notices
        await pilot.press("k")
        assert notices.cursor == at + 1
        from console.tui.widgets.notice_list import ListHeader  # the header marks the list as the focused pane

        assert app.screen.query_one(ListHeader).render().plain.startswith("▶")
        await pilot.press("tab")  # into the detail on purpose: it says so
        pane = app.screen.query_one(DetailPane)
        assert app.focused is pane and pane.border_title.startswith("▶ detail")
        assert not app.screen.query_one(ListHeader).render().plain.startswith("▶")


async def test_esc_from_the_contact_log_gives_the_keys_back_to_the_list(demo):
    # Before: back from the log, the focus went to the detail pane it was opened from.
    from console.tui.screens.contacts import ContactsScreen
    from console.tui.widgets.detail import DetailPane
    from console.tui.widgets.notice_list import NoticeList

    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab")
        assert isinstance(app.focused, DetailPane)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, NoticeList)
        await pilot.press("j")
        assert app.screen.query_one(NoticeList).cursor == 1


def test_a_deadline_long_overdue_is_never_cut():
    from console.tui.widgets.notice_list import DEADLINE_W, fit_due

    assert fit_due("overdue 712d", DEADLINE_W) == "overdue 712d"
    assert fit_due("overdue 1712d", DEADLINE_W) == "late 1712d"


# --- without colour, and in a light theme ------------------------------------------------------------


async def test_under_no_color_crit_and_overdue_are_reversed_and_low_is_not(demo, monkeypatch):
    # Before: CRIT and "overdue 2d" were grey 240 on 233, LOW bright white: the most urgent the least visible.
    from console.tui.widgets.notice_list import NoticeList

    monkeypatch.setenv("NO_COLOR", "1")
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notices = app.screen.query_one(NoticeList)
        styles = {}
        for y in range(notices.size.height):
            for seg in notices.render_line(y):
                styles.setdefault(seg.text.strip(), seg.style)
        assert styles["CRIT"].reverse and styles["CRIT"].bold
        assert next(s for t, s in styles.items() if t.startswith("in 11h")).reverse
        assert not styles["MED"].reverse
        flag = app.screen.query_one("#flagbar")
        [overdue] = [s for s in flag.render().spans if "overdue" in flag.render().plain[s.start:s.end]]
        style = overdue.style
        assert (style.reverse if not isinstance(style, str) else "reverse" in style)


async def test_a_ticked_box_says_x_in_characters(demo):
    from console.tui.screens.contacts import ContactForm
    from console.tui.widgets.tick_box import TickBox

    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "n")
        await pilot.pause()
        assert isinstance(app.screen, ContactForm)
        box = app.screen.query_one("#contact-urgent", TickBox)
        assert str(box.render()).startswith("[ ]")
        box.value = True
        await pilot.pause()
        assert str(box.render()).startswith("[x]")


async def test_theme_light_in_config_is_textual_light(demo):
    demo.config.values["theme"] = "light"
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light" and app.has_class("-light")


async def test_an_unknown_theme_says_so_in_one_line_and_shows_the_dark_one(demo):
    demo.config.values["theme"] = "solarised-dusk"
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        [note] = [n for n in app._notifications if "solarised-dusk" in n.message]
        assert "is not a theme here" in note.message and "light" in note.message and "\n" not in note.message


def test_config_set_theme_light_is_kept(run, tmp_path):
    config = tmp_path / "c.toml"
    code, _out, err = run("--config", str(config), "config", "set", "theme", "light")
    assert code == 0, err
    from console.core import config as config_mod

    assert config_mod.load(config).theme == "textual-light"
