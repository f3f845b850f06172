"""What `flagdesk status` prints, and the quick way to print it.

`render` turns the figures into the lines of the table, the `--motd` line or the `--json` document;
the click command (cli.py) and the quick path both print through it, so their output cannot drift.

`quick_status` is the quick path `console/cli/entry.py` takes for a plain `status`: the standard library,
`settings`, `reads` and this module, nothing else: no click, no sqlite-utils, no store package. It
only ever reads; whenever the store would have something to do first (create the file, migrate,
refuse a newer schema) or something is wrong (a bad config, a damaged file), it returns False and
the full command line runs instead, which does that or says what is wrong, exactly as always.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime

from console.core.clock import to_iso

FIGURES = ("unread", "open", "due_24h", "overdue")


def _shown(name: str) -> str:
    """An account name from the database as the terminal may show it: escapes and controls stripped,
    on one line (textsafe is only imported for a name that holds any)."""
    if name.isprintable():
        return name
    from console.core.textsafe import one_line

    return one_line(name, 10_000)


MOTD_ACCOUNTS = 3  # accounts the login line names; the rest are "+N more"


def _urgency(r: dict) -> tuple:
    """Most urgent first: overdue deadlines, then due within 24 h, overdue follow-ups, unread."""
    return (-r["overdue"], -r["due_24h"], -r["follow_ups_overdue"], -r["unread"])


def _motd_figures(r: dict) -> str:
    parts = [f"{r['overdue']} overdue" if r["overdue"] else "", f"{r['due_24h']} due 24h" if r["due_24h"] else "",
             f"{r['follow_ups_overdue']} follow-up{'s' if r['follow_ups_overdue'] != 1 else ''} overdue"
             if r["follow_ups_overdue"] else "", f"{r['unread']} unread" if r["unread"] else ""]
    return ", ".join(p for p in parts if p)


def render(rows: list[dict], follow_ups: dict[int, int], now: datetime, as_json: bool = False,
           motd: bool = False, health: Callable[[int], dict | None] | None = None,
           states: dict[int, str] | None = None) -> list[str]:
    """The lines `flagdesk status` prints (none: the motd when all is clear). `follow_ups`: overdue Seller
    Support follow-ups per account id. `health(account_id)` gives an account's health summary, asked for
    the JSON document only. `states`: each account's state in words ("deactivated"), for those with one, the
    most serious first."""
    states = states or {}
    rows = [{**r, "follow_ups_overdue": follow_ups.get(r["id"], 0) if r["id"] is not None else 0,
             "state": states.get(r["id"]) if r["id"] is not None else None} for r in rows]
    totals = {k: sum(r[k] for r in rows) for k in FIGURES}
    totals["follow_ups_overdue"] = sum(follow_ups.values())
    if as_json:
        from console.cli.output import json_text

        accounts = [{**{k: r[k] for k in ("account", "state", *FIGURES)},
                     "health": health(r["id"]) if health and r["id"] is not None else None} for r in rows]
        return [json_text({"generated_at": to_iso(now), "total": totals, "accounts": accounts})]
    gravity = {words: i for i, words in enumerate(dict.fromkeys(states.values()))}  # the most serious first
    stated = sorted((r for r in rows if r["state"]), key=lambda r: gravity[r["state"]])  # then by name
    if motd:
        if not (stated or totals["unread"] or totals["overdue"] or totals["due_24h"] or totals["follow_ups_overdue"]):
            return []
        # First what an account cannot do right now: it is the line's reason to exist.
        said = [f"{_shown(r['account'])} {r['state']}" for r in stated[:MOTD_ACCOUNTS]]
        if len(stated) > MOTD_ACCOUNTS:
            said.append(f"+{len(stated) - MOTD_ACCOUNTS} more")
        head = f"{', '.join(said)}; " if said else ""
        parts = [f"{totals['unread']} unread"]
        if totals["overdue"]:
            parts.append(f"{totals['overdue']} overdue")
        if totals["due_24h"]:
            parts.append(f"{totals['due_24h']} due within 24h")
        if totals["follow_ups_overdue"]:
            parts.append(f"{totals['follow_ups_overdue']} Seller Support follow-ups overdue")
        needing = sorted((r for r in rows if _motd_figures(r)), key=_urgency)
        named = [f"{_shown(r['account'])}: {_motd_figures(r)}" for r in needing[:MOTD_ACCOUNTS]]
        if len(needing) > MOTD_ACCOUNTS:
            named.append(f"+{len(needing) - MOTD_ACCOUNTS} more")
        tail = f" — {'; '.join(named)}" if named else ""
        return [f"flagdesk: {head}{', '.join(parts)}{tail} — run `flagdesk`"]
    if not rows:
        return ["No accounts yet. Add one: flagdesk accounts add NAME --marketplace US"]
    names = [_shown(r["account"]) for r in rows]
    width = max(len(n) for n in [*names, "Account"])
    # The state column only when an account has one: "which account can't sell right now" at a glance.
    state_width = max((len(r["state"]) for r in stated), default=0)
    state_width = max(state_width, len("State")) if state_width else 0

    def state_cell(value: str) -> str:
        return f"  {value:<{state_width}}" if state_width else ""

    lines = [f"{'Account':<{width}}{state_cell('State')}  {'Unread':>6}  {'Open':>5}  {'Due 24h':>7}  {'Overdue':>7}"]
    for name, r in zip(names, rows):
        lines.append(f"{name:<{width}}{state_cell(r['state'] or '')}  {r['unread']:>6}  {r['open']:>5}  "
                     f"{r['due_24h']:>7}  {r['overdue']:>7}")
    lines.append(f"{'Total':<{width}}{state_cell('')}  {totals['unread']:>6}  {totals['open']:>5}  "
                 f"{totals['due_24h']:>7}  {totals['overdue']:>7}")
    return [line.rstrip() for line in lines] if state_width else lines


def quick_status(db: str | None = None, config: str | None = None, as_json: bool = False,
                 motd: bool = False) -> bool:
    """Print `flagdesk status` from a database that needs nothing first; False (nothing printed) when the
    full command line has to run instead."""
    from console.core import settings
    from console.core.clock import Clock
    from console.store import reads

    if (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
        return False  # click knows how to write to an unusual terminal
    try:
        values = settings.discover(config, db)[0]
        conn = reads.open_current(settings.db_file(values))
    except (settings.ConfigError, ValueError, OSError):
        return False
    if conn is None:
        return False
    try:
        now = Clock().now()
        bands = dict(values["ahr_bands"])
        lines = render(reads.status_summary(conn, now), reads.overdue_follow_ups_by_account(conn, now), now, as_json, motd,
                       lambda account_id: reads.health_summary(conn, account_id, bands), reads.account_states(conn))
    except (reads.Error, ValueError):
        return False
    finally:
        conn.close()
    sys.stdout.write("".join(f"{line}\n" for line in lines))
    sys.stdout.flush()
    return True
