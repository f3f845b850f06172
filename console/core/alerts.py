"""`[alerts]` in the config: where alerts go (apprise URLs) and which events raise one.

    [alerts]
    urls = ["ntfy://ntfy.sh/ops-flags"]    # any apprise URL; none: no alerts
    urls_file = "~/.config/flagdesk/alert-urls"   # and/or: one URL a line, a 0600 file (URLs with tokens)
    digest_minutes = 0            # 0: each alert at once; N: what happened, in one message every N minutes
    severities = ["critical", "high"]               # a new notification of these severities
    account_statuses = ["AT_RISK", "DEACTIVATED"]   # an account status change to one of these (SP-API)
    deadline_hours = 24           # a deadline within N hours, the notification still open (0: off)
    follow_ups = true             # a Seller Support follow-up gone overdue

Standard library only: the config is checked by `flagdesk status` too.
"""

from __future__ import annotations


SEVERITIES = ("critical", "high", "medium", "low")
STATUSES = ("AT_RISK", "DEACTIVATED", "SUSPENDED", "WARNING", "NORMAL")


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def check(value) -> None:
    """ValueError (the text after the setting's name) for an `alerts` table of the wrong shape."""
    known = {"urls", "urls_file", "digest_minutes", "severities", "account_statuses", "deadline_hours", "follow_ups"}
    if not isinstance(value, dict):
        raise ValueError(" must be a table ([alerts])")
    unknown = sorted(set(value) - known)
    if unknown:
        raise ValueError(f".{unknown[0]}: unknown setting (known: {', '.join(sorted(known))})")
    urls = value.get("urls", [])
    if not isinstance(urls, list) or not all(isinstance(u, str) and "://" in u for u in urls):
        raise ValueError(".urls must be a list of apprise URLs (\"scheme://...\")")
    if "urls_file" in value and not (isinstance(value["urls_file"], str) and value["urls_file"].strip()):
        raise ValueError(".urls_file must be the path of a file of apprise URLs, one a line")
    for key in ("digest_minutes", "deadline_hours"):
        if key in value and not _number(value[key]):
            raise ValueError(f".{key} must be a number, 0 or more")
    for key, allowed in (("severities", SEVERITIES), ("account_statuses", STATUSES)):
        items = value.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) and i in allowed for i in items):
            raise ValueError(f".{key} must be a list of {', '.join(allowed)}")
    if "follow_ups" in value and not isinstance(value["follow_ups"], bool):
        raise ValueError(".follow_ups must be true or false")


def read_urls_file(path: str) -> list[str]:
    """The URLs of an `urls_file` (blank lines and # comments skipped); ValueError (one line) if it cannot be
    read or others can read it (its URLs hold tokens, like a password file)."""
    from console.core.private_files import read_private

    data = read_private(path, "alerts urls_file")
    lines = (line.strip() for line in data.splitlines())
    return [line for line in lines if line and not line.startswith("#")]
