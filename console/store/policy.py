"""Team policy: settings that bind everyone who shares the database, kept in it (schema step m012).

A per-user config file cannot decide what the team requires — anyone can change their own — so what was
`appeals.require_review` is a row here, changed only by `flagdesk policy set KEY VALUE --reason TEXT`, which
records who (display name and OS user), when and why, and leaves an audit row. A key without a row has its
default.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.core.textsafe import one_line
from console.store.db import Store, StoreError

# key -> (default, what it decides)
POLICIES: dict[str, tuple[bool, str]] = {
    "require_review": (True, "an appeal needs a review by a second OS user before the one-time Appeal button"),
}
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


@dataclass
class Setting:
    key: str
    value: bool
    default: bool
    about: str
    set_at: str | None = None  # None: the default, never set
    set_by: str | None = None
    set_by_os: str | None = None
    reason: str | None = None


def _parse(key: str, raw: str) -> bool:
    word = raw.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise StoreError(f"policy {key}: expected true or false, got '{one_line(raw, 40)}'")


def _known(key: str) -> str:
    if key not in POLICIES:
        raise StoreError(f"unknown policy '{one_line(key, 40)}' (known: {', '.join(POLICIES)})")
    return key


def settings(store: Store) -> list[Setting]:
    rows = {r["key"]: r for r in store.rows("SELECT key, value, set_at, set_by, set_by_os, reason FROM policy")}
    out = []
    for key, (default, about) in POLICIES.items():
        r = rows.get(key)
        if r is None:
            out.append(Setting(key, default, default, about))
            continue
        try:
            value = _parse(key, r["value"])
        except StoreError:  # a value written around flagdesk: the safe side, which is the default
            value = default
        out.append(Setting(key, value, default, about, r["set_at"], r["set_by"], r["set_by_os"], r["reason"]))
    return out


def get(store: Store, key: str) -> bool:
    _known(key)
    return next(s.value for s in settings(store) if s.key == key)


def set_policy(store: Store, key: str, raw: str, reason: str | None) -> Setting:
    """Change one policy for the whole team, with a written reason; audited (old → new, the reason)."""
    _known(key)
    value = _parse(key, raw)
    reason = one_line(reason, 500)
    if not reason:
        raise StoreError(f"policy {key}: say why with --reason (it is recorded in the audit log)")
    with store.write() as conn:
        old = get(store, key)
        now = store.now_iso()
        conn.execute("INSERT INTO policy (key, value, set_at, set_by, set_by_os, reason) VALUES (?, ?, ?, ?, ?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value, set_at = excluded.set_at, "
                     "set_by = excluded.set_by, set_by_os = excluded.set_by_os, reason = excluded.reason",
                     (key, "true" if value else "false", now, store.actor, store.os_user, reason))
        store.audit("policy.set", "policy", None, {"key": key, "value": [old, value], "reason": reason})
    return next(s for s in settings(store) if s.key == key)
