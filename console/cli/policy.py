"""`flagdesk policy`: the team's settings, kept in the shared database (console/store/policy.py).

A config file is one person's; a policy binds everyone on the database, so it is changed only here, with
a written reason, and every change leaves an audit row naming who ran it (display name and OS user).
"""

from __future__ import annotations

import click

from console.cli.common import apply_common, common, print_json


@click.group()
def policy() -> None:
    """Team policy (in the database): whether appeals need a second OS user's review."""


def _as_json(desk, s) -> dict:
    return {"key": s.key, "value": s.value, "default": s.default, "about": s.about, "set_at": s.set_at,
            "set_by": s.set_by, "set_by_os": s.set_by_os, "reason": s.reason}


def _line(desk, s) -> str:
    value = "true" if s.value else "false"
    if s.set_at is None:
        return f"{s.key} = {value}  (default; {s.about})"
    when = s.set_at[:16].replace("T", " ")
    return (f"{s.key} = {value}  (set by {desk.who(s.set_by, s.set_by_os)} at {when} UTC: “{s.reason}”; "
            f"{s.about})")


@policy.command("show")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@common
@click.pass_context
def policy_show(ctx, as_json, db_path, config_path) -> None:
    """Every team policy, its value and who set it, when and why."""
    desk = apply_common(ctx, config_path, db_path).desk()
    settings = desk.policies()
    if as_json:
        print_json([_as_json(desk, s) for s in settings])
        return
    for s in settings:
        click.echo(_line(desk, s))


@policy.command("set")
@click.argument("key", metavar="KEY")
@click.argument("value", metavar="true|false")
@click.option("--reason", metavar="TEXT", required=True, help="Why (recorded in the audit log).")
@common
@click.pass_context
def policy_set(ctx, key, value, reason, db_path, config_path) -> None:
    """Change a team policy for everyone on this database, e.g. `require_review false --reason TEXT`."""
    desk = apply_common(ctx, config_path, db_path).desk()
    click.echo(_line(desk, desk.set_policy(key, value, reason)))
