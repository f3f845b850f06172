"""Who did it: the OS user running the process, and the display name an operator declares.

Identity is the OS user, read from the process's uid (`pwd`), never from LOGNAME or USER, which anyone can
set. `FLAGDESK_OPERATOR` and `operator` in a config file are a *display name*, recorded beside it and shown
as such: "maria (os: ops1)". When a team shares one OS account, several display names are seen from the same
OS user (the store finds them in the audit log); then a name is only what its user declared, and it is
shown "maria (os: ops1, declared, not verified)" wherever it decides something. Pure, apart from `os_user`.
"""

from __future__ import annotations

import os

DECLARED = "declared, not verified"


def os_user() -> str:
    """The OS user running this process, from its uid: never LOGNAME or USER, which anyone can set."""
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except (KeyError, OSError):
        return f"uid{os.getuid()}"


def who(name: str | None, os_name: str | None, shared: bool = False) -> str:
    """One person as shown everywhere: "ops1" (no other name given), "maria (os: ops1)", "maria (os: ops1,
    declared, not verified)" when ops1 is a shared account; the name alone for a row written before flagdesk
    recorded the OS user."""
    name = (name or "").strip()
    if not os_name:
        return name or "?"
    if not name or name == os_name:  # the OS user's own name: verified, shared account or not
        return os_name
    return f"{name} (os: {os_name}, {DECLARED})" if shared else f"{name} (os: {os_name})"


def same(name_a: str | None, os_a: str | None, name_b: str | None, os_b: str | None) -> bool:
    """Whether two (display name, OS user) pairs are one person: the same OS user and the same name; a row
    from before the OS user was recorded (None) is matched by its name alone."""
    if os_a is not None and os_b is not None and os_a != os_b:
        return False
    return (name_a or "") == (name_b or "")
