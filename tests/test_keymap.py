"""A keymap that cannot work is refused like malformed TOML, by `config set` (nothing written) and at start."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

from console.core import keymap


def _console_bindings() -> dict[str, str]:
    from textual.binding import Binding

    import console.tui.app as app
    import console.tui.screens as screens
    import console.tui.widgets as widgets

    modules = [app, *(importlib.import_module(f"{pkg.__name__}.{m.name}") for pkg in (screens, widgets)
                      for m in pkgutil.iter_modules(pkg.__path__))]
    found = {}
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                for b in cls.__dict__.get("BINDINGS") or []:
                    if isinstance(b, Binding) and b.id:
                        found[b.id] = b.key
    return found


def test_the_keys_file_lists_exactly_the_bindings_the_console_defines():
    listed = {i: ",".join(keys) for i, (_, keys, _) in keymap.bindings().items()}
    assert listed == _console_bindings()



@pytest.mark.parametrize("key, value, message", [
    ("keymap.mark_raed", "m", "keymap.mark_raed: no binding has this id (did you mean mark_read?)"),
    ("keymap.mark_read", "", "keymap.mark_read: an empty key"),
    ("keymap.mark_read", "m,", "keymap.mark_read: an empty key"),
    ("keymap.mark_read", "ctrl+zz", "keymap.mark_read: 'ctrl+zz' is not a key"),
    ("keymap.mark_read", "n", "keymap.mark_read: 'n' is already the key of next_unread on the inbox"),
    ("keymap.claim", "question_mark", "keymap.claim: 'question_mark' is already the key of help on every screen"),
])
def test_config_set_refuses_a_keymap_that_cannot_work_and_writes_nothing(run, tmp_path, key, value, message):
    config = tmp_path / "c.toml"
    code, out, err = run("--config", str(config), "config", "set", key, value)
    assert code == 1 and out == ""
    assert err == f"flagdesk: error: {config}: {message}" + err[len(f"flagdesk: error: {config}: {message}"):]
    assert err.count("\n") == 1
    assert not config.exists()


def test_a_bad_keymap_in_the_file_stops_every_command_in_one_line(run, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[keymap]\nmark_read = "n"\n')
    code, out, err = run("--config", str(config), "--db", str(tmp_path / "x.db"), "init")
    assert code == 1 and "keymap.mark_read: 'n' is already the key of next_unread on the inbox" in err
    assert not (tmp_path / "x.db").exists()


def test_keys_that_work_are_kept_including_a_swap(run, tmp_path):
    config = tmp_path / "c.toml"
    assert run("--config", str(config), "config", "set", "keymap.mark_read", "m,ctrl+r")[0] == 0
    config.write_text('[keymap]\nmark_read = "n"\nnext_unread = "m"\n')  # a swap: each takes the other's key
    code, out, err = run("--config", str(config), "config", "keys")
    assert code == 0 and err == ""
    line = next(line for line in out.splitlines() if line.startswith("mark_read "))
    assert line.split()[:3] == ["mark_read", "inbox", "n"]


@pytest.mark.parametrize("key", ["j", "G", "ctrl+n", "shift+tab", "f12", "question_mark", "escape", "alt+pageup"])
def test_keys_that_parse(key):
    assert keymap.key_problem(key) is None
