"""Defects the reliability suite found, each pinned by a plain unit test next to the fix it proves."""

from __future__ import annotations

import pytest

from console import config as config_mod
from console.config import ConfigError
from console.store import notifications as notes
from console.triage import parse_filter


def test_config_key_with_a_newline_is_named_on_one_line(tmp_path):
    """config.py: a quoted TOML key ("a\\nb") was echoed raw, so the error took two lines."""
    path = tmp_path / "config.toml"
    path.write_text('"a\\nb\\u001b]52;c;eA==\\u0007" = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        config_mod.load(path)
    assert str(err.value) == f"{path}: unknown setting 'a b'"


def test_config_severity_level_with_a_newline_is_named_on_one_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[severity]\n"urgent\\nnow" = ["x"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        config_mod.load(path)
    assert "\n" not in str(err.value)
    assert str(err.value).startswith(f"{path}: severity: unknown level 'urgent now'")


def test_filter_with_a_nul_searches_for_the_rest(demo):
    """triage.py: a NUL in the filter box reached FTS5 ("unterminated string", an uncaught sqlite3 error)."""
    f = parse_filter("trade\x00mark \x1b[2J", [c.id for c in demo.config.categories])
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
