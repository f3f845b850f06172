"""Reading the settings: discovery, TOML files, validation, layering (`config.py` builds on this).

Discovery order, later wins:

1. built-in defaults (below);
2. ``/etc/flagdesk/config.toml`` (`FLAGDESK_SYSTEM_CONFIG` moves it);
3. ``$XDG_CONFIG_HOME/flagdesk/config.toml`` (default ``~/.config/flagdesk/config.toml``);
4. the file named by ``FLAGDESK_CONFIG`` or ``--config`` (replaces 3);
5. environment: ``FLAGDESK_DB`` (db_path), ``FLAGDESK_OPERATOR`` (operator);
6. command-line flags (``--db``).

Kept apart from `config.py` so that `flagdesk status` can read its settings with the standard library
alone: only `os` at import; tomllib when a file exists, the reading rules only to check a file's
`[rules]`. Paths are text here; `config.py` hands out `pathlib.Path`s.
"""

from __future__ import annotations

import errno
import os

TYPE_CHECKING = False  # typing itself costs `flagdesk status` more than its queries
if TYPE_CHECKING:
    from typing import Any


class ConfigError(Exception):
    """A configuration problem, already phrased as one line for the operator."""


# Every setting and its default.
DEFAULTS: dict[str, Any] = {
    "db_path": "",  # empty: $XDG_DATA_HOME/flagdesk/flagdesk.db
    "operator": "",  # empty: the OS user
    "theme": "textual-dark",
    "mark_read_on_open": True,
    "keymap": {},  # binding id -> keys, e.g. mark_read = "m,r"
    "ahr_bands": {"healthy": 200, "at_risk": 100},
    # The appeal checklist: length warning, similarity thresholds. Whether a second pair of eyes is required
    # is the team's policy, in the database (`flagdesk policy`): `require_review` here is read no more.
    # attachment_max_mb: the evidence locker's limit per file (console/core/attachments.py).
    "appeals": {"max_chars": 4000, "template_warn": 0.45, "template_fail": 0.7, "attachment_max_mb": 10},
    # Reading rules over the shipped ones (console/core/data/reading.toml): [[rules.fate]], [[rules.cause]].
    "rules": {},
    # Imports: senders accepted as Amazon besides the built-in marketplace domains (fnmatch patterns),
    # and Selling Partner API subscription or application ids -> account name.
    "sender_patterns": [],
    # Help -> Contact Us areas offered by the contact form (empty: the built-in list).
    "contact_areas": [],
    "spapi_accounts": {},
    # Saved views: name -> a filter text in the console's language, e.g. critical = "severity:critical status:open"
    # (the sidebar lists them with their counts; `view:NAME` in a filter, `--view NAME` on the command line).
    "views": {},
    # Where `flagdesk fetch` reads notices from: [[sources]] tables (console/core/sources.py).
    "sources": [],
    # `flagdesk fetch --watch`: the polling interval of a mailbox without IDLE, how long one IDLE lasts before
    # it is renewed, the reconnect backoff (doubling, with jitter, up to its maximum); the console's top bar
    # warns about a source that has been failing for longer than warn_after_minutes.
    "watch": {"poll_seconds": 60, "idle_seconds": 600, "backoff_seconds": 1, "backoff_max_seconds": 300,
              "warn_after_minutes": 30},
    # Alerts to the on-call operator (console/core/alerts.py): apprise URLs and the rules.
    "alerts": {"urls": [], "urls_file": "", "digest_minutes": 0, "severities": ["critical", "high"],
               "account_statuses": ["AT_RISK", "DEACTIVATED"], "deadline_hours": 24, "follow_ups": True},
}

# Settings of earlier versions that nothing reads any more: accepted in a file, and named by
# `config show` and `doctor` (`retired_in`) so that nobody trusts them to work.
RETIRED = {"severity": "severity comes from the reading rules now ([[rules.fate]] in the config; see README)",
           "categories": "categories are the reading rules now ([[rules.fate]], [[rules.cause]]; see README)"}

# Tables whose keys a later file adds to (or overrides one by one) instead of replacing the whole table.
MERGED = ("keymap", "ahr_bands", "appeals", "spapi_accounts", "views", "watch", "alerts")


def path_text(path: str | os.PathLike) -> str:
    """A path written the way pathlib writes it (doubled slashes and `.` parts dropped), so that messages
    and `config show` name files exactly as before this module existed, without importing pathlib."""
    text = os.fspath(path)
    root = "//" if text.startswith("//") and not text.startswith("///") else "/" if text.startswith("/") else ""
    return root + "/".join(p for p in text.split("/") if p and p != ".") or "."


def system_config_path() -> str:
    return path_text(os.environ.get("FLAGDESK_SYSTEM_CONFIG", "/etc/flagdesk/config.toml"))


def user_config_path() -> str:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return path_text(os.path.join(base, "flagdesk", "config.toml"))


def default_db_path() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return path_text(os.path.join(base, "flagdesk", "flagdesk.db"))


def db_origin(sources: dict[str, str]) -> str:
    """Where the database path came from, the way an operator would fix it: "--db", "FLAGDESK_DB",
    "db_path in FILE" or the default location."""
    origin = sources.get("db_path", "default")
    if origin == "flag --db":
        return "--db"
    if origin.startswith("env "):
        return origin[4:]
    if origin == "default":
        return "the default location (no --db, FLAGDESK_DB or db_path set)"
    return f"db_path in {origin}"


def missing_db(path: str, sources: dict[str, str]) -> str:
    """The one line for a database that is not there: a typo must never read as "nothing due"."""
    return (f"{path}: no flagdesk database here (the path comes from {db_origin(sources)}); "
            "check the path, or create the database with `flagdesk init`")


def db_file(values: dict[str, Any]) -> str:
    """The database file the settings name (`~` expanded), else the default one."""
    raw = values["db_path"]
    return path_text(os.path.expanduser(raw)) if raw else default_db_path()


def _exists(path: str) -> bool:
    """Whether path exists (what pathlib's `exists` answers); one that cannot be looked at is an error."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return False
    except OSError as exc:
        if exc.errno in (errno.EBADF, errno.ELOOP):  # pathlib says "does not exist" for these too
            return False
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return True


# --- validation -------------------------------------------------------------------------


def _check_str_list(value: Any, where: str) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")


def validate(data: dict[str, Any], origin: str) -> None:
    """Raise ConfigError (naming origin) if any setting has the wrong shape."""
    from console.core.textsafe import one_line

    for key, value in data.items():
        where = f"{origin}: {one_line(key, 60)}"  # a quoted TOML key can hold newlines and escapes
        if key in RETIRED:
            continue
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
        elif key == "views":
            if not isinstance(value, dict):
                raise ConfigError(f"{where} must be a table of view name = \"filter text\"")
            from console.core.triage import check_view

            for name, text in value.items():
                problem = check_view(name, text)
                if problem:
                    raise ConfigError(f"{where}.{one_line(name, 40)}: {one_line(problem, 200)}")
        elif key == "sources":
            from console.core.sources import check

            try:
                check(value, origin)
            except ValueError as exc:
                raise ConfigError(one_line(str(exc), 400)) from None
        elif key == "watch":
            if not isinstance(value, dict) or set(value) - set(DEFAULTS["watch"]):
                raise ConfigError(f"{where} must be a table with {', '.join(DEFAULTS['watch'])}")
            for k, v in value.items():
                if not isinstance(v, (int, float)) or isinstance(v, bool) or v <= 0:
                    raise ConfigError(f"{where}.{k} must be a number above 0")
        elif key == "alerts":
            from console.core.alerts import check as check_alerts

            try:
                check_alerts(value)
            except ValueError as exc:
                raise ConfigError(f"{where}{one_line(str(exc), 300)}") from None
        elif key == "mark_read_on_open":
            if not isinstance(value, bool):
                raise ConfigError(f"{where} must be true or false")
        elif key == "keymap":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise ConfigError(f"{where} must be a table of binding id = \"keys\"")
            if value:
                from console.core.keymap import KeymapError, check

                try:
                    check(value)
                except KeymapError as exc:
                    raise ConfigError(f"{origin}: {one_line(str(exc), 300)}") from None
        elif key == "appeals":
            expected = {"max_chars": int, "require_review": bool, "template_warn": float, "template_fail": float,
                        "attachment_max_mb": float}
            if not isinstance(value, dict) or set(value) - set(expected):
                raise ConfigError(f"{where} must be a table with {', '.join(expected)}")
            for k, v in value.items():
                ok = isinstance(v, bool) if expected[k] is bool else (
                    isinstance(v, (int, float)) and not isinstance(v, bool))
                if not ok:
                    raise ConfigError(f"{where}.{k} must be {'true or false' if expected[k] is bool else 'a number'}")
                if k == "attachment_max_mb" and not v > 0:
                    raise ConfigError(f"{where}.{k} must be a number of megabytes above 0")
        elif key == "ahr_bands":
            if not isinstance(value, dict) or set(value) - {"healthy", "at_risk"}:
                raise ConfigError(f"{where} must be a table with healthy and at_risk")
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in value.values()):
                raise ConfigError(f"{where} values must be whole numbers")
        elif key == "rules":
            from console.core.reading import RuleError, load_rules

            if not isinstance(value, dict):
                raise ConfigError(f"{where} must be a table holding [[rules.fate]] and [[rules.cause]] lists")
            try:
                load_rules(value)
            except RuleError as exc:
                raise ConfigError(f"{origin}: {one_line(str(exc), 300)}") from None
            except TypeError:
                raise ConfigError(f"{where}: a rule holds something other than text, numbers or lists") from None


def retired_in(data: dict[str, Any]) -> list[str]:
    """The retired settings a file holds, each with what replaced it: "severity: ..."."""
    return [f"{key}: {why}" for key, why in RETIRED.items() if key in data]


def read_toml(path: str | os.PathLike) -> dict[str, Any]:
    """Read one TOML file; every failure becomes a one-line ConfigError naming the file."""
    import tomllib

    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        if "at end of document" in reason:  # name the line even then
            with open(path, "rb") as fh:
                lines = fh.read().count(b"\n") + 1
            reason = reason.replace("at end of document", f"at the end of the file, line {lines}")
        raise ConfigError(f"{path}: not valid TOML: {reason}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: the file is not UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    validate(data, str(path))
    return data


# Settings that moved into the database as team policy: still accepted in a file (so that it parses), set
# aside with a notice naming the file (`Config.notices`).
POLICY_MOVED = {("appeals", "require_review"): "require_review"}


def retired_notice(origin: str, dotted: str, policy: str) -> str:
    return (f"{origin}: {dotted} is no longer read: it is a team policy now, kept in the database "
            f"(`flagdesk policy show`; change it with `flagdesk policy set {policy} true|false --reason TEXT`)")


def _merge(values: dict[str, Any], sources: dict[str, str], data: dict[str, Any], origin: str) -> None:
    for key, value in data.items():
        if key in RETIRED:
            continue
        if isinstance(value, dict):
            for table, sub in POLICY_MOVED:
                if key == table and sub in value:
                    value = {k: v for k, v in value.items() if k != sub}
                    sources[f"{table}.{sub}"] = origin
        if key == "views":  # each view names the file it came from (a later file may replace one)
            sources.update({f"views.{name}": origin for name in value})
        if key in MERGED:
            values[key] = {**values[key], **value}
        else:
            values[key] = value
        sources[key] = origin


def _copied(value):
    """A deep copy of settings (dicts, lists and scalars only): copy.deepcopy would import weakref too."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    return value


def discover(config_path: str | os.PathLike | None = None, db_path: str | os.PathLike | None = None,
             defaults: dict[str, Any] = DEFAULTS) -> tuple[dict[str, Any], dict[str, str], str, list[str]]:
    """The effective settings following the discovery order above: (values, where each came from, the file
    `config set` writes, the files read)."""
    values = _copied(defaults)
    sources = {key: "default" for key in defaults}
    files_read: list[str] = []

    explicit = config_path or os.environ.get("FLAGDESK_CONFIG")
    if explicit:
        explicit = path_text(os.path.expanduser(os.fspath(explicit)))
        if not _exists(explicit):
            raise ConfigError(f"{explicit}: config file not found")
    user_path = explicit or user_config_path()

    for path in (system_config_path(), user_path):
        if _exists(path):
            _merge(values, sources, read_toml(path), path)
            files_read.append(path)

    for env, key in (("FLAGDESK_DB", "db_path"), ("FLAGDESK_OPERATOR", "operator")):
        if os.environ.get(env):
            values[key] = os.environ[env]
            sources[key] = f"env {env}"
    if db_path:
        values["db_path"] = str(db_path)
        sources["db_path"] = "flag --db"
    return values, sources, user_path, files_read
