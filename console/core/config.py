"""Settings: where they come from, how they are read, how they are written.

Discovery order, later wins:

1. built-in defaults (settings.py);
2. ``/etc/flagdesk/config.toml`` (the ops box's shared settings; `FLAGDESK_SYSTEM_CONFIG` moves it);
3. ``$XDG_CONFIG_HOME/flagdesk/config.toml`` (default ``~/.config/flagdesk/config.toml``), the operator's own;
4. the file named by ``FLAGDESK_CONFIG`` or ``--config`` (replaces 3 as the file `config set` writes);
5. environment: ``FLAGDESK_DB`` (db_path), ``FLAGDESK_OPERATOR`` (operator);
6. command-line flags (``--db``).

settings.py finds, reads (tomllib) and checks the files with the standard library alone, so that
`flagdesk status` loads them quickly; this module adds the typed view and the writing (tomli-w).
tomli-w keeps no comments and cannot write None, so a file written by `flagdesk config set` is owned
by flagdesk. A file that does not parse, or holds a setting of the wrong type, stops the program with
one line naming the file and the problem: the console never starts on a half-read configuration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli_w

from console.core import identity, settings
from console.core.settings import ConfigError, read_toml, validate  # noqa: F401 (read_toml: part of this API)


DEFAULTS: dict[str, Any] = settings.DEFAULTS


def system_config_path() -> Path:
    return Path(settings.system_config_path())


def user_config_path() -> Path:
    return Path(settings.user_config_path())


def default_db_path() -> Path:
    return Path(settings.default_db_path())


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
    """The OS user running this process, from its uid: never LOGNAME or USER (console/core/identity.py)."""
    return identity.os_user()


THEME_ALIASES = {"light": "textual-light", "dark": "textual-dark"}


@dataclass
class Config:
    """The effective settings, and where each top-level one came from."""

    values: dict[str, Any]
    sources: dict[str, str]
    writable_path: Path  # the file `config set` changes
    files_read: list[Path] = field(default_factory=list)

    @property
    def db_path(self) -> Path:
        return Path(settings.db_file(self.values))

    @property
    def operator(self) -> str:
        """The display name: `operator` (config or FLAGDESK_OPERATOR), else the OS user."""
        return self.values["operator"] or os_user()

    @property
    def os_user(self) -> str:
        """Who runs this process (its uid): what every change is recorded as."""
        return os_user()

    @property
    def theme(self) -> str:
        """The console's Textual theme: `light` and `dark` name flagdesk's two (textual-light, textual-dark);
        any other Textual theme by its own name."""
        value = self.values["theme"].strip()
        return THEME_ALIASES.get(value.lower(), value)

    @property
    def mark_read_on_open(self) -> bool:
        return self.values["mark_read_on_open"]

    @property
    def keymap(self) -> dict[str, str]:
        return dict(self.values["keymap"])

    @property
    def views(self) -> dict[str, str]:
        """Saved views, name -> filter text (`[views]`), in the order the files give them."""
        return dict(self.values["views"])

    @property
    def ahr_bands(self) -> dict[str, int]:
        return dict(self.values["ahr_bands"])

    @property
    def sender_patterns(self) -> list[str]:
        return list(self.values["sender_patterns"])

    @property
    def spapi_accounts(self) -> dict[str, str]:
        return dict(self.values["spapi_accounts"])

    def fetch_sources(self) -> list[dict[str, Any]]:
        """The `[[sources]]` tables (checked when the file was read), with their defaults."""
        from console.core.sources import with_defaults

        return [with_defaults(t) for t in self.values["sources"]]

    @property
    def appeals(self) -> dict[str, Any]:
        return dict(self.values["appeals"])

    def retired(self) -> list[str]:
        """Settings of earlier versions in the files read, which nothing reads any more: "FILE: key: why"."""
        found = []
        for path in self.files_read:
            try:
                data = read_toml(path)
            except ConfigError:
                continue
            found += [f"{path}: {line}" for line in settings.retired_in(data)]
        return found

    @property
    def rules_table(self) -> dict[str, Any]:
        """`[rules]` of the config: reading rules over the shipped ones (console/core/reading.py)."""
        return self.values.get("rules") or {}

    def rules(self):
        """The reading rules: the shipped ones with this config's `[rules]` over them (compiled once)."""
        from console.core.reading import load_rules

        return load_rules(self.rules_table or None)

    def labels(self):
        """The rules' fate and cause labels, without compiling the rules (console/core/labels.py)."""
        from console.core.labels import load_labels

        return load_labels(self.rules_table or None)

    @property
    def notices(self) -> list[str]:
        """One line per setting a file still holds that moved into the database (settings.POLICY_MOVED)."""
        return [settings.retired_notice(self.sources[f"{t}.{k}"], f"{t}.{k}", policy)
                for (t, k), policy in settings.POLICY_MOVED.items() if f"{t}.{k}" in self.sources]


# --- reading ------------------------------------------------------------------------------


def load(config_path: str | Path | None = None, db_path: str | Path | None = None) -> Config:
    """Build the effective configuration following the discovery order above (see settings.py)."""
    values, sources, user_path, files_read = settings.discover(config_path, db_path, DEFAULTS)
    if values["operator"]:
        from console.core.names import name_problem

        problem = name_problem(values["operator"], "the operator name")
        if problem:
            origin = sources.get("operator", "")
            where = origin[4:] if origin.startswith("env ") else f"operator in {origin}"
            raise ConfigError(f"{where}: {problem}")
        values["operator"] = values["operator"].strip()
    cfg = Config(values, sources, Path(user_path), [Path(p) for p in files_read])
    if values["views"]:
        _check_views(cfg)
    return cfg


def _check_views(cfg: Config) -> None:
    """Each saved view's fates and causes against the reading rules in force (their syntax was checked with
    the file that holds them): a view that cannot work stops the program, naming the file and the view."""
    from console.core.textsafe import one_line
    from console.core.triage import check_view

    texts = " ".join(cfg.views.values()).lower()
    if not any(q in texts for q in ("category:", "fate:", "cause:")):
        return
    rules = cfg.rules()
    fates = [r.id for r in rules.fates]
    causes = [r.id for r in rules.causes] + ["other"]
    for name, text in cfg.views.items():
        problem = check_view(name, text, fates, causes)
        if problem:
            raise ConfigError(f"{cfg.sources.get(f'views.{name}', 'config')}: views.{one_line(name, 40)}: "
                              f"{one_line(problem, 200)}")


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
    if (top, sub) in settings.POLICY_MOVED:
        raise ConfigError(f"{dotted_key} is a team policy now, kept in the database, not in {path}: use "
                          f"`flagdesk policy set {settings.POLICY_MOVED[(top, sub)]} true|false --reason TEXT`")
    if top == "sources":
        raise ConfigError("sources are [[sources]] tables, edited in the file itself (see README, Sources)")
    if top not in DEFAULTS or top == "rules":
        raise ConfigError(f"unknown setting '{dotted_key}' (reading rules are edited in the file itself)")
    default = DEFAULTS[top]
    if isinstance(default, dict):
        if not sub:
            raise ConfigError(f"'{top}' is a table: set one of its keys, e.g. {top}.<name>")
        current = default.get(sub, "" if top in ("keymap", "spapi_accounts", "views") else 0)
        value = _parse_value(dotted_key, raw, current)
        data.setdefault(top, {})[sub] = value
    else:
        if sub:
            raise ConfigError(f"'{top}' is not a table")
        value = _parse_value(dotted_key, raw, default)
        data[top] = value
    validate(data, str(path))
    _write_atomic(path, data)
    return value
