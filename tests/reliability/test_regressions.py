"""Defects the reliability suite found, each pinned by a plain unit test next to the fix it proves."""

from __future__ import annotations

import pytest

from console.core import config as config_mod
from console.core.config import ConfigError
from console.core.triage import parse_filter
from console.store import notifications as notes


def test_config_key_with_a_newline_is_named_on_one_line(tmp_path):
    """config.py: a quoted TOML key ("a\\nb") was echoed raw, so the error took two lines."""
    path = tmp_path / "config.toml"
    path.write_text('"a\\nb\\u001b]52;c;eA==\\u0007" = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        config_mod.load(path)
    assert str(err.value) == f"{path}: unknown setting 'a b'"


def test_config_rule_id_with_a_newline_is_named_on_one_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[[rules.cause]]\nid = "urgent\\nnow\\u001b[2J"\npatterns = ["x"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        config_mod.load(path)
    assert "\n" not in str(err.value) and "\x1b" not in str(err.value)
    assert str(err.value).startswith(f"{path}: rules.cause[1]: id must be lowercase letters")


def test_filter_with_a_nul_searches_for_the_rest(demo):
    """triage.py: a NUL in the filter box reached FTS5 ("unterminated string", an uncaught sqlite3 error)."""
    f = parse_filter("trade\x00mark \x1b[2J", demo.fate_ids(), demo.cause_ids())
    assert f.text == "trademark"
    assert notes.count(demo.store, f) == notes.count(demo.store, parse_filter("trademark"))
    assert notes.count(demo.store, parse_filter("\x00")) == notes.count(demo.store, parse_filter(""))


@pytest.mark.parametrize("typed", ["*", "**", "*mark", "trade* *"])
def test_filter_word_starting_with_a_star_is_searched_not_an_sqlite_error(demo, typed):
    """triage.py: `*` reached FTS5 bare ("unknown special query", an uncaught sqlite3 error)."""
    f = parse_filter(typed)
    assert f.text.split()[-1].startswith('"*')
    notes.count(demo.store, f)
    notes.list_page(demo.store, f, 0, 5)


@pytest.mark.parametrize("text, expected", [
    ("\x1b[2J", True), ("a\u202eb", True), ("\ud800", True), ("\x85", True), ("\x00", True),
    ("tabs\tand\nnew lines\r\n", False), ("", False), (None, False), ("[bold]x[/] é ✓", False),
])
def test_unsafe_says_what_clean_would_remove(text, expected):
    from console.core.textsafe import unsafe

    assert unsafe(text) is expected


def test_import_summary_names_a_hostile_file_without_its_escapes():
    """imports.py: a file name holding an OSC 52 sequence went to the screen raw in the import summary."""
    from console.ingest.pipeline import ImportSummary
    from console.tui.screens.imports import summary_text

    summary = ImportSummary(failed=[("/in/[b]x[/b]\x1b]52;c;ZXZpbA==\x07\u202e.eml", "not an email")])
    shown = summary_text(summary).plain
    assert "/in/[b]x[/b].eml: not an email" in shown
    assert "\x1b" not in shown and "\u202e" not in shown


async def test_conflict_dialog_shows_unsaved_text_without_escapes(demo):
    """appeal_dialogs.py: the unsaved side of the diff came straight from the editor, escapes and all."""
    from textual.widgets import Static

    from console.tui.app import make_app
    from console.tui.screens.appeal_dialogs import ConflictDialog

    appeal = demo.new_appeal(demo.page(parse_filter(""), 0, 1)[0]["id"], "## Root cause\nTheirs.\n")
    app = make_app(demo, live_refresh=False, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ConflictDialog(appeal, "## Root cause\nMine \x1b]52;c;bWluZQ==\x07[b]x[/b]\u202e.\n", None))
        await pilot.pause()
        shown = "".join(str(w.render()) for w in app.screen.query(Static))
        assert "Mine [b]x[/b]." in shown and "\x1b" not in shown and "\u202e" not in shown


@pytest.mark.parametrize("screen", ["paste", "appeal"])
async def test_a_paste_with_escapes_is_kept_without_them(demo, screen):
    """paste.py, appeal.py: a paste into the notice or appeal editor was drawn with its escapes raw."""
    from textual.widgets import TextArea

    from console.tui.app import make_app
    from console.tui.screens.appeal import AppealScreen
    from console.tui.screens.paste import PasteScreen

    nid = demo.page(parse_filter(""), 0, 1)[0]["id"]
    app = make_app(demo, live_refresh=False, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(PasteScreen() if screen == "paste" else AppealScreen(nid))
        await pilot.pause()
        area = app.screen.query_one(TextArea)
        area.insert("Pasted \x1b[31mred\x1b[0m \u202eflipped\x07 text")
        await pilot.pause()
        assert "Pasted red flipped text" in area.text and "\x1b" not in area.text and "\u202e" not in area.text
