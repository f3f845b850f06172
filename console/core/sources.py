"""`[[sources]]` in the config: where notices are fetched from (`flagdesk fetch`), checked when the config loads.

    [[sources]]
    name = "shared-box"
    kind = "imap"                 # or "maildir" (path = "...")
    host = "imap.example.com"
    security = "tls"              # "tls" (port 993), "starttls" (port 143), "plain" (this machine only)
    user = "notices@example.com"
    password_file = "~/.config/flagdesk/imap.pass"    # must be 0600; or password_command = "pass show x"
    folder = "INBOX"
    move_to = "Imported"          # optional: move imported mail there (else nothing is changed on the server)

    [[sources]]
    name = "spapi-queue"
    kind = "sqs"                  # SP-API notifications (ACCOUNT_STATUS_CHANGED, ...) from an SQS queue
    queue_url = "https://sqs.us-east-1.amazonaws.com/123456789012/spapi-notices"
    region = "us-east-1"          # credentials: the standard AWS chain (env, ~/.aws, instance role)

The password is never in the config file: a file readable by its owner alone, or a command's output.
Only `os` is imported here: `flagdesk status` validates the config too.
"""

from __future__ import annotations


KINDS = ("imap", "maildir", "sqs")
SECURITY_PORTS = {"tls": 993, "starttls": 143, "plain": 143}
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
_KEYS = {
    "imap": {"name", "kind", "host", "port", "security", "user", "password_file", "password_command", "folder",
             "move_to", "account", "ca_file", "timeout"},
    "maildir": {"name", "kind", "path", "account"},
    "sqs": {"name", "kind", "queue_url", "region", "endpoint_url", "profile", "wait_seconds", "account", "timeout"},
}
_TEXT = ("name", "kind", "host", "security", "user", "password_file", "password_command", "folder", "move_to",
         "account", "ca_file", "path", "queue_url", "region", "endpoint_url", "profile")


class SourceError(Exception):
    """A source that cannot be used, phrased as one line naming it."""


def check(value, origin: str) -> None:
    """Raise ValueError (one line, naming the file and the source) for a `sources` setting of the wrong shape."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValueError(f"{origin}: sources must be [[sources]] tables")
    seen = set()
    for i, table in enumerate(value, 1):
        name = table.get("name")
        label = f"{origin}: source {name!r}" if isinstance(name, str) and name else f"{origin}: source #{i}"
        if not isinstance(name, str) or not name.strip() or len(name) > 60 or not all(
                c.isalnum() or c in "-_." for c in name):
            raise ValueError(f"{label}: name must be letters, digits, '-', '_' or '.' (up to 60)")
        if name in seen:
            raise ValueError(f"{label}: a second source of that name")
        seen.add(name)
        kind = table.get("kind")
        if kind not in KINDS:
            raise ValueError(f"{label}: kind must be one of {', '.join(KINDS)}")
        unknown = sorted(set(table) - _KEYS[kind])
        if unknown:
            raise ValueError(f"{label}: unknown setting {unknown[0]!r} for kind {kind}")
        for key in _TEXT:
            if key in table and not (isinstance(table[key], str) and table[key].strip()):
                raise ValueError(f"{label}: {key} must be non-empty text")
        if kind == "maildir":
            if "path" not in table:
                raise ValueError(f"{label}: a maildir source needs path")
            continue
        if kind == "sqs":
            _check_sqs(table, label)
            continue
        for key in ("host", "user"):
            if key not in table:
                raise ValueError(f"{label}: an imap source needs {key}")
        security = table.get("security", "tls")
        if security not in SECURITY_PORTS:
            raise ValueError(f"{label}: security must be tls, starttls or plain")
        if security == "plain" and table["host"] not in LOCAL_HOSTS:
            raise ValueError(f"{label}: security = \"plain\" sends the password unencrypted: only to this machine "
                             f"({', '.join(LOCAL_HOSTS)}); use tls or starttls")
        port = table.get("port", SECURITY_PORTS[security])
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            raise ValueError(f"{label}: port must be a whole number from 1 to 65535")
        timeout = table.get("timeout", 30)
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
            raise ValueError(f"{label}: timeout must be a number of seconds above 0")
        if ("password_file" in table) == ("password_command" in table):
            raise ValueError(f"{label}: set one of password_file (a 0600 file) or password_command; "
                             "a password is never written in the config")


def _check_sqs(table: dict, label: str) -> None:
    for key in ("queue_url", "region"):
        if key not in table:
            raise ValueError(f"{label}: an sqs source needs {key}")
    if not table["queue_url"].startswith(("https://", "http://")):
        raise ValueError(f"{label}: queue_url must be the queue's https:// URL")
    wait = table.get("wait_seconds", 20)
    if not isinstance(wait, int) or isinstance(wait, bool) or not 1 <= wait <= 20:
        raise ValueError(f"{label}: wait_seconds (the long poll) must be a whole number from 1 to 20")
    timeout = table.get("timeout", 30)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise ValueError(f"{label}: timeout must be a number of seconds above 0")


def with_defaults(table: dict) -> dict:
    """A checked source table with its defaults filled in."""
    out = dict(table)
    if out["kind"] == "imap":
        out.setdefault("security", "tls")
        out.setdefault("port", SECURITY_PORTS[out["security"]])
        out.setdefault("folder", "INBOX")
        out.setdefault("timeout", 30)
    elif out["kind"] == "sqs":
        out.setdefault("wait_seconds", 20)
        out.setdefault("timeout", 30)
    return out


def password(source: dict) -> str:
    """The source's password: its password_file (refused unless only its owner can read it) or the first line
    printed by its password_command. SourceError (one line naming the source) when neither gives one."""
    name = source["name"]
    if "password_file" in source:
        from console.core.private_files import read_private

        try:
            text = read_private(source["password_file"], f"source {name}: password_file", 65536).splitlines()
        except ValueError as exc:
            raise SourceError(str(exc)) from None
    else:
        import shlex
        import subprocess

        try:
            done = subprocess.run(shlex.split(source["password_command"]), capture_output=True, timeout=60)
        except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
            raise SourceError(f"source {name}: password_command failed: {exc}") from None
        if done.returncode:
            raise SourceError(f"source {name}: password_command exited with status {done.returncode}")
        text = done.stdout.decode("utf-8", "replace").splitlines()
    if not text or not text[0]:
        raise SourceError(f"source {name}: the password is empty")
    return text[0]
