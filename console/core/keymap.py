"""Checking a `[keymap]` table before the console uses it: every binding id known, every key one that works.

The console's bindings are listed in console/core/data/keys.toml (id, the screen it works on, its keys).
A keymap that cannot work is refused the way malformed TOML is, naming the file, the key and the problem:

- an id no binding has (`keymap.mark_raed`);
- an empty key, or a key that does not parse (`ctrl+zz`: a key is one character or a key name, after any
  of ctrl+, shift+, alt+, meta+);
- a key that another binding of the same screen already has, which would silently take that binding's key
  away (`mark_read = "n"` on the inbox, where `n` is next-unread). App-wide bindings count on every screen.

Pure: the standard library only.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

KEYS_FILE = Path(__file__).parent / "data" / "keys.toml"
APP_SCOPE = "app"

_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_NAMED = frozenset(
    """escape enter tab space backspace delete insert home end pageup pagedown up down left right
    question_mark slash backslash exclamation_mark quotation_mark number_sign dollar_sign percent_sign
    ampersand apostrophe left_parenthesis right_parenthesis asterisk plus comma minus full_stop colon
    semicolon less_than_sign equals_sign greater_than_sign at left_square_bracket right_square_bracket
    circumflex_accent underscore grave_accent left_curly_bracket vertical_line right_curly_bracket tilde""".split()
) | {f"f{n}" for n in range(1, 25)}
_KEY = re.compile(r"^(?:(?:" + "|".join(_MODIFIERS) + r")\+)*(?P<base>.+)$")


class KeymapError(ValueError):
    """A keymap entry that cannot work: the message names the entry and the problem."""


@lru_cache(maxsize=1)
def bindings() -> dict[str, tuple[str, tuple[str, ...], str]]:
    """{binding id: (scope, default keys, description)}."""
    with open(KEYS_FILE, "rb") as f:
        data = tomllib.load(f)
    return {b["id"]: (b["scope"], tuple(split(b["keys"])), b.get("description", "")) for b in data["binding"]}


def split(keys: str) -> list[str]:
    return [k.strip() for k in keys.split(",")]


def key_problem(key: str) -> str | None:
    """Why one key cannot work, or None: "" and "ctrl+zz" cannot, "j", "ctrl+n", "f5", "question_mark" can."""
    if not key:
        return "an empty key"
    m = _KEY.match(key)
    base = m.group("base") if m else key
    if len(base) == 1 and base.isprintable() and not base.isspace():
        return None
    if base.lower() in _NAMED:
        return None
    return f"'{key}' is not a key (one character or a key name such as f5, escape, pagedown, after ctrl+, shift+ or alt+)"


def check(keymap: dict[str, str]) -> None:
    """Raise KeymapError for the first entry of `keymap` that cannot work (see the module docstring)."""
    known = bindings()
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            close = sorted(i for i in known if _near(i, binding_id))
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise KeymapError(f"keymap.{binding_id}: no binding has this id{hint}; `flagdesk config keys` lists them")
        if not isinstance(keys, str):
            raise KeymapError(f"keymap.{binding_id}: must be a string of keys, e.g. \"m,r\"")
        for key in split(keys):
            problem = key_problem(key)
            if problem:
                raise KeymapError(f"keymap.{binding_id}: {problem}")
    effective = {i: (scope, keymap.get(i) and tuple(split(keymap[i])) or default)
                 for i, (scope, default, _) in known.items()}
    for binding_id in keymap:
        scope, keys = effective[binding_id]
        new = [k for k in keys if k not in known[binding_id][1]]  # keys it had already are not a change
        for other, (other_scope, other_keys) in effective.items():
            if other == binding_id or not (scope == other_scope or APP_SCOPE in (scope, other_scope)):
                continue
            shared = [k for k in new if k in other_keys]
            if shared:
                where = "every screen" if APP_SCOPE in (scope, other_scope) else _screen(scope)
                raise KeymapError(f"keymap.{binding_id}: '{shared[0]}' is already the key of {other} on "
                                  f"{where}; give {other} another key too, or choose a free one")


def _screen(scope: str) -> str:
    return {"inbox": "the inbox", "audit": "the audit log"}.get(scope, scope)


def _near(a: str, b: str) -> bool:
    """Two ids a typo apart: the same letters bar one or two."""
    if abs(len(a) - len(b)) > 1:
        return False
    return sum(x != y for x, y in zip(sorted(a), sorted(b))) <= 2 or sorted(a) == sorted(b)
