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
        assert "f9" not in keys  # copy (also y) gave way first
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        await pilot.pause()
        assert "f9" in dict(footer_keys(app.screen))  # a wider terminal shows every key again
