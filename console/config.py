"""Settings: where they come from, how they are read, how they are written.

Discovery order, later wins:

1. built-in defaults (below);
2. ``/etc/flagdesk/config.toml`` (the ops box's shared settings; `FLAGDESK_SYSTEM_CONFIG` moves it);
3. ``$XDG_CONFIG_HOME/flagdesk/config.toml`` (default ``~/.config/flagdesk/config.toml``), the operator's own;
4. the file named by ``FLAGDESK_CONFIG`` or ``--config`` (replaces 3 as the file `config set` writes);
5. environment: ``FLAGDESK_DB`` (db_path), ``FLAGDESK_OPERATOR`` (operator);
6. command-line flags (``--db``).

tomllib reads, tomli-w writes. tomli-w keeps no comments and cannot write None, so a file
written by `flagdesk config set` is owned by flagdesk. A file that does not parse, or holds a
setting of the wrong type, stops the program with one line naming the file and the problem:
the console never starts on a half-read configuration.
"""

from __future__ import annotations

import copy
import getpass
import os
import tomllib
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from console.ingest.rules import DEFAULT_CATEGORIES, DEFAULT_SEVERITY_RULES, SEVERITIES, CategoryRule
from console.textsafe import one_line


class ConfigError(Exception):
    """A configuration problem, already phrased as one line for the operator."""


def _default_categories() -> list[dict[str, Any]]:
    return [
        {"id": c.id, "label": c.label, "keywords": list(c.keywords), "severity": c.severity, "generic": c.generic}
        for c in DEFAULT_CATEGORIES
    ]


DEFAULTS: dict[str, Any] = {
    "db_path": "",  # empty: $XDG_DATA_HOME/flagdesk/flagdesk.db
    "operator": "",  # empty: the OS user
    "theme": "textual-dark",
    "mark_read_on_open": True,
    "keymap": {},  # binding id -> keys, e.g. mark_read = "m,space"
    "ahr_bands": {"healthy": 200, "at_risk": 100},
    # The appeal checklist: length warning, similarity thresholds, second pair of eyes.
    "appeals": {"max_chars": 4000, "require_review": True, "template_warn": 0.45, "template_fail": 0.7},
    "severity": {level: list(words) for level, words in DEFAULT_SEVERITY_RULES.items()},
    # Imports: senders accepted as Amazon besides the built-in marketplace domains (fnmatch patterns),
    # and Selling Partner API subscription or application ids -> account name.
    "sender_patterns": [],
    # Help -> Contact Us areas offered by the contact form (empty: the built-in list).
    "contact_areas": [],
    "spapi_accounts": {},
    "categories": _default_categories(),
}


def system_config_path() -> Path:
    return Path(os.environ.get("FLAGDESK_SYSTEM_CONFIG", "/etc/flagdesk/config.toml"))


def user_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "flagdesk" / "config.toml"


def default_db_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "flagdesk" / "flagdesk.db"


def operator_tz() -> tzinfo:
    """FLAGDESK_TZ (an IANA name such as Europe/Berlin), else the system's local zone."""
    name = os.environ.get("FLAGDESK_TZ", "").strip()
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"FLAGDESK_TZ: unknown time zone '{name[:60]}' (use an IANA name like "
                              "Europe/Berlin)") from None
    return datetime.now().astimezone().tzinfo  # type: ignore[return-value]


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class Config:
    """The effective settings, and where each top-level one came from."""

    values: dict[str, Any]
    sources: dict[str, str]
    writable_path: Path  # the file `config set` changes
    files_read: list[Path] = field(default_factory=list)

    @property
    def db_path(self) -> Path:
        raw = self.values["db_path"]
        return Path(os.path.expanduser(raw)) if raw else default_db_path()

    @property
    def operator(self) -> str:
        return self.values["operator"] or os_user()

    @property
    def theme(self) -> str:
        return self.values["theme"]

    @property
    def mark_read_on_open(self) -> bool:
        return self.values["mark_read_on_open"]

    @property
    def keymap(self) -> dict[str, str]:
        return dict(self.values["keymap"])

    @property
    def ahr_bands(self) -> dict[str, int]:
        return dict(self.values["ahr_bands"])

    @property
    def sender_patterns(self) -> list[str]:
        return list(self.values["sender_patterns"])

    @property
    def spapi_accounts(self) -> dict[str, str]:
        return dict(self.values["spapi_accounts"])

    @property
    def appeals(self) -> dict[str, Any]:
        return dict(self.values["appeals"])

    @property
    def categories(self) -> tuple[CategoryRule, ...]:
        return tuple(
            CategoryRule(c["id"], c.get("label", c["id"]), tuple(c.get("keywords", ())), c.get("severity", "medium"),
                         bool(c.get("generic", False)))
            for c in self.values["categories"]
        )

    @property
    def severity_rules(self) -> dict[str, tuple[str, ...]]:
        return {level: tuple(words) for level, words in self.values["severity"].items()}

    def category_label(self, category_id: str) -> str:
        for c in self.values["categories"]:
            if c["id"] == category_id:
                return c.get("label", category_id)
        return category_id.replace("_", " ")


# --- validation -------------------------------------------------------------------------


def _check_str_list(value: Any, where: str) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")


def _validate(data: dict[str, Any], origin: str) -> None:
    """Raise ConfigError (naming origin) if any setting has the wrong shape."""
    for key, value in data.items():
        where = f"{origin}: {one_line(key, 60)}"  # a quoted TOML key can hold newlines and escapes
        if key not in DEFAULTS:
            raise ConfigError(f"{origin}: unknown setting '{one_line(key, 60)}'")
        if key in ("db_path", "operator", "theme"):
            if not isinstance(value, str):
                raise ConfigError(f"{where} must be a string")
        elif key in ("sender_patterns", "contact_areas"):
            _check_str_list(value, where)
        elif key == "spapi_accounts":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise ConfigError(f"{where} must be a table of subscription or application id = \"account name\"")
        elif key == "mark_read_on_open":
            if not isinstance(value, bool):
                raise ConfigError(f"{where} must be true or false")
        elif key == "keymap":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise ConfigError(f"{where} must be a table of binding id = \"keys\"")
        elif key == "appeals":
            expected = {"max_chars": int, "require_review": bool, "template_warn": float, "template_fail": float}
            if not isinstance(value, dict) or set(value) - set(expected):
                raise ConfigError(f"{where} must be a table with {', '.join(expected)}")
            for k, v in value.items():
                ok = isinstance(v, bool) if expected[k] is bool else (
                    isinstance(v, (int, float)) and not isinstance(v, bool))
                if not ok:
                    raise ConfigError(f"{where}.{k} must be {'true or false' if expected[k] is bool else 'a number'}")
        elif key == "ahr_bands":
            if not isinstance(value, dict) or set(value) - {"healthy", "at_risk"}:
                raise ConfigError(f"{where} must be a table with healthy and at_risk")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in value.values()):
                raise ConfigError(f"{where} values must be whole numbers")
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{where} must be a table of level = [keywords]")
            for level, words in value.items():
                if level not in SEVERITIES:
                    raise ConfigError(f"{where}: unknown level '{one_line(level, 30)}' (use {', '.join(SEVERITIES)})")
                _check_str_list(words, f"{where}.{level}")
        elif key == "categories":
            if not isinstance(value, list) or not all(isinstance(c, dict) for c in value):
                raise ConfigError(f"{where} must be an array of tables ([[categories]])")
            for i, c in enumerate(value):
                if not isinstance(c.get("id"), str) or not c["id"]:
                    raise ConfigError(f"{where}[{i}] needs an id")
                _check_str_list(c.get("keywords", []), f"{where}[{i}].keywords")
                if not isinstance(c.get("generic", False), bool):
                    raise ConfigError(f"{where}[{i}].generic must be true or false")
                if c.get("severity", "medium") not in SEVERITIES:
                    raise ConfigError(f"{where}[{i}].severity must be one of {', '.join(SEVERITIES)}")


def read_toml(path: Path) -> dict[str, Any]:
    """Read one TOML file; every failure becomes a one-line ConfigError naming the file."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        if "at end of document" in reason:  # name the line even then
            lines = path.read_bytes().count(b"\n") + 1
            reason = reason.replace("at end of document", f"at the end of the file, line {lines}")
        raise ConfigError(f"{path}: not valid TOML: {reason}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: the file is not UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    _validate(data, str(path))
    return data


def _merge(values: dict[str, Any], sources: dict[str, str], data: dict[str, Any], origin: str) -> None:
    for key, value in data.items():
        if key in ("keymap", "ahr_bands", "severity", "appeals", "spapi_accounts"):
            values[key] = {**values[key], **value}
        else:
            values[key] = value
        sources[key] = origin


def load(config_path: str | Path | None = None, db_path: str | Path | None = None) -> Config:
    """Build the effective configuration following the discovery order above."""
    values = copy.deepcopy(DEFAULTS)
    sources = {key: "default" for key in DEFAULTS}
    files_read: list[Path] = []

    explicit = config_path or os.environ.get("FLAGDESK_CONFIG")
    if explicit:
        explicit = Path(explicit).expanduser()
        if not explicit.exists():
            raise ConfigError(f"{explicit}: config file not found")
    user_path = Path(explicit) if explicit else user_config_path()

    for path in (system_config_path(), user_path):
        if path.exists():
            _merge(values, sources, read_toml(path), str(path))
            files_read.append(path)

    for env, key in (("FLAGDESK_DB", "db_path"), ("FLAGDESK_OPERATOR", "operator")):
        if os.environ.get(env):
            values[key] = os.environ[env]
            sources[key] = f"env {env}"
    if db_path:
        values["db_path"] = str(db_path)
        sources["db_path"] = "flag --db"
    return Config(values, sources, user_path, files_read)


# --- writing ------------------------------------------------------------------------------


def _write_atomic(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def init_file(path: Path, force: bool = False) -> Path:
    """Write a starter config file; refuse to replace an existing one unless forced."""
    if path.exists() and not force:
        raise ConfigError(f"{path}: already exists (use --force to replace it)")
    starter = {
        "operator": "",
        "db_path": "",
        "theme": DEFAULTS["theme"],
        "mark_read_on_open": DEFAULTS["mark_read_on_open"],
        "ahr_bands": dict(DEFAULTS["ahr_bands"]),
        "keymap": {},
        "severity": copy.deepcopy(DEFAULTS["severity"]),
    }
    _write_atomic(path, starter)
    return path


def _parse_value(key: str, raw: str, current: Any) -> Any:
    """Turn the text given to `config set` into the type the setting needs."""
    if isinstance(current, bool):
        if raw.lower() in ("true", "yes", "on", "1"):
            return True
        if raw.lower() in ("false", "no", "off", "0"):
            return False
        raise ConfigError(f"{key}: expected true or false, got {raw!r}")
    if isinstance(current, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{key}: expected a whole number, got {raw!r}") from None
    if isinstance(current, float):
        try:
            return float(raw)
        except ValueError:
            raise ConfigError(f"{key}: expected a number, got {raw!r}") from None
    if isinstance(current, list):
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def set_value(path: Path, dotted_key: str, raw: str) -> Any:
    """Change one setting (``theme`` or ``keymap.mark_read``) in the file at path."""
    data = read_toml(path) if path.exists() else {}
    top, _, sub = dotted_key.partition(".")
    if top not in DEFAULTS or top == "categories":
        raise ConfigError(f"unknown setting '{dotted_key}' (categories are edited in the file itself)")
    default = DEFAULTS[top]
    if isinstance(default, dict):
        if not sub:
            raise ConfigError(f"'{top}' is a table: set one of its keys, e.g. {top}.<name>")
        current = default.get(sub, "" if top in ("keymap", "spapi_accounts") else [] if top == "severity" else 0)
        value = _parse_value(dotted_key, raw, current)
        data.setdefault(top, {})[sub] = value
    else:
        if sub:
            raise ConfigError(f"'{top}' is not a table")
        value = _parse_value(dotted_key, raw, default)
        data[top] = value
    _validate(data, str(path))
    _write_atomic(path, data)
    return value
