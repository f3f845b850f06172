"""Demo data for flagdesk: four invented seller accounts and their notices, plus appeal phrases.

The data lives in files next to this module, in `console/demo/data/`, and is loaded once, at import,
with the standard library only:

- `accounts.toml`: one `[[accounts]]` table per account -> ACCOUNTS.
- `notices.toml`: one `[[notices]]` table per notice, in order -> NOTICES. Its `text` key names a file
  in `notices/` (`NNN-<account>-<category>.txt`) holding the notice text exactly; the loader puts the
  file's content in the notice's "text". Texts are read as bytes and decoded as UTF-8: no newline
  translation, no stripping (a text has a final newline only if its file has one).
- `appeal_phrases.toml`: the parts of Plans of Action for the large benchmark database ->
  APPEAL_ROOT_CAUSES, APPEAL_ACTIONS, APPEAL_PREVENTIVE, APPEAL_FILL and APPEAL_EDITS (a list of
  tuples: each two-string array in `edits` is given back as a tuple).

TOML has no null: a notice without an `assignee` key gets `"assignee": None`. Every notice dict has
its keys in the order account, marketplace, hours_ago, status, assignee, text.

Deterministic: every value is a literal and no date is computed here. `hours_ago` is relative to the
console's clock (set `FLAGDESK_NOW` to freeze it); deadlines in the texts are written the way Amazon
writes them ("within 72 hours", "within 17 days", "beginning 7 days from today", or an explicit
calendar date). Names, addresses, IDs, ASINs, rights owners and brands are invented; e-mail addresses
use example.com domains.
"""

import tomllib as _tomllib
from pathlib import Path as _Path

__all__ = ["ACCOUNTS", "NOTICES", "APPEAL_ROOT_CAUSES", "APPEAL_ACTIONS", "APPEAL_PREVENTIVE",
           "APPEAL_FILL", "APPEAL_EDITS"]

_DATA = _Path(__file__).parent / "data"
_NOTICE_KEYS = ("account", "marketplace", "hours_ago", "status", "assignee", "text")
_OPTIONAL = frozenset({"assignee"})  # omitted in TOML -> None


def _toml(name: str) -> dict:
    with open(_DATA / name, "rb") as f:
        return _tomllib.load(f)


def _notice(entry: dict, where: str) -> dict:
    unknown = set(entry) - set(_NOTICE_KEYS)
    missing = set(_NOTICE_KEYS) - set(entry) - _OPTIONAL
    if unknown or missing:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    notice = {key: entry.get(key) for key in _NOTICE_KEYS}
    notice["hours_ago"] = float(notice["hours_ago"])
    notice["text"] = (_DATA / "notices" / entry["text"]).read_bytes().decode("utf-8")
    return notice


ACCOUNTS = _toml("accounts.toml")["accounts"]
NOTICES = [_notice(entry, f"notices.toml, notice {i}")
           for i, entry in enumerate(_toml("notices.toml")["notices"], 1)]

_phrases = _toml("appeal_phrases.toml")
APPEAL_ROOT_CAUSES = _phrases["root_causes"]
APPEAL_ACTIONS = _phrases["actions"]
APPEAL_PREVENTIVE = _phrases["preventive"]
APPEAL_FILL = _phrases["fill"]
APPEAL_EDITS = [tuple(pair) for pair in _phrases["edits"]]
del _phrases
