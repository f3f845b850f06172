"""`flagdesk contacts`: the Seller Support contact log from the command line.

Before a new case is logged, active cases of the same account about the same notification (or with
a similar summary) are looked for: while there are any, `contacts add` exits 3 naming one, and the
operator either adds the contact to it (--append-to) or confirms a new case with a reason (--new-case).
"""

from __future__ import annotations

from datetime import datetime, tzinfo

import click

from console.cli.common import DUPLICATE_EXIT, apply_common, common, print_json
from console.core import cases as cs
from console.core.clock import to_iso
from console.core.config import operator_tz


def _follow_up(value: str | None, desk, tz: tzinfo, param: str = "--follow-up"):
    """The parsed --follow-up; None when not given; cs.UNSET-free: callers decide."""
    if value is None:
        return None
    try:
        return cs.parse_follow_up(value, desk.now(), tz)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=param) from None


def _iso(dt: datetime | None) -> str | None:
    return to_iso(dt) if dt else None


def case_json(case: cs.Case, now: datetime) -> dict:
    return {
        "id": case.id, "account": case.account, "marketplace": case.marketplace, "channel": case.channel,
        "path": case.path, "case_id": case.case_ref, "summary": case.summary, "status": case.status,
        "urgent": case.urgent, "follow_up_at": _iso(case.follow_up_at), "overdue": case.overdue(now),
        "notification_id": case.notification_id, "appeal_id": case.appeal_id,
        "opened_at": to_iso(case.opened_at), "opened_by": case.opened_by,
    }


def _local(dt: datetime, tz: tzinfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return dt.astimezone(tz).strftime(fmt)


def _follow_text(case: cs.Case, now: datetime, tz: tzinfo) -> str:
    if not case.follow_up_at:
        return "-"
    return _local(case.follow_up_at, tz) + (" OVERDUE" if case.overdue(now) else "")


@click.group()
def contacts() -> None:
    """The Seller Support contact log: cases opened through Help → Contact Us."""


@contacts.command("add")
@click.option("--account", "account_name", required=True, metavar="NAME")
@click.option("--channel", type=click.Choice(cs.CHANNELS), required=True)
@click.option("--summary", metavar="TEXT", help="What the contact is about (needed for a new case).")
@click.option("--path", metavar="TEXT", help='The Contact Us path, e.g. "Account Health > Listing deactivated".')
@click.option("--case-id", "case_ref", metavar="X", help="Amazon's case ID.")
@click.option("--notification", "notification_id", type=int, metavar="ID", help="The notification it is about.")
@click.option("--follow-up", "follow_up", metavar="DATE", help="2026-11-30, '2026-11-30 14:00', +3d, tomorrow...")
@click.option("--urgent", is_flag=True, help="Time-sensitive (marked urgent in Seller Central).")
@click.option("--note", metavar="TEXT", help="Notes, or the pasted chat transcript.")
@click.option("--append-to", "append_to", metavar="CASE", help="Add this contact to an existing case instead.")
@click.option("--new-case", "new_case", metavar="REASON",
              help="Open a new case although a similar one is active (the reason is audited).")
@common
@click.pass_context
def contacts_add(ctx, account_name, channel, summary, path, case_ref, notification_id, follow_up, urgent, note,
                 append_to, new_case, db_path, config_path) -> None:
    """Log a contact with Seller Support; prints our case number.

    Exit 3 when an active case already covers this account and issue: add the contact to it
    (--append-to CASE) or confirm a new case (--new-case REASON)."""
    if append_to and new_case is not None:
        raise click.UsageError("--append-to and --new-case exclude each other")
    if new_case is not None and not new_case.strip():
        raise click.BadParameter("give the reason for a second case", param_hint="--new-case")
    desk = apply_common(ctx, config_path, db_path).desk()
    tz = operator_tz()
    account = desk.account(account_name)
    follow = _follow_up(follow_up, desk, tz)
    if append_to:
        if urgent:
            raise click.UsageError("--urgent applies to a new case, not to --append-to")
        case = desk.find_case(append_to)
        if case.account_id != account.id:
            raise click.UsageError(f"case #{case.id} belongs to {case.account}, not {account.name}")
        text = "\n\n".join(t for t in (summary, note) if t and t.strip()) or None
        case = desk.append_contact(case.id, channel, text, follow, case_ref)
        click.echo(case.id)
        return
    if not summary or not summary.strip():
        raise click.UsageError("--summary is needed for a new case (or --append-to CASE)")
    try:
        case = desk.open_case(account.id, channel, summary, path=path, case_ref=case_ref,
                              notification_id=notification_id, follow_up_at=follow, urgent=urgent, notes=note,
                              confirm_duplicate=new_case)
    except cs.DuplicateCaseError as exc:
        click.echo(f"flagdesk: {exc}", err=True)
        ctx.exit(DUPLICATE_EXIT)
    click.echo(case.id)


@contacts.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.option("--wide", is_flag=True, help="Every cell whole, however wide the terminal.")
@click.option("--account", "account_name", metavar="NAME")
@click.option("--status", type=click.Choice(("active", *cs.STATUSES)))
@click.option("--channel", type=click.Choice(cs.CHANNELS))
@click.option("--query", "-q", metavar="TEXT", help="Words of the summary, or an Amazon case ID.")
@common
@click.pass_context
def contacts_list(ctx, as_json, wide, account_name, status, channel, query, db_path, config_path) -> None:
    """List cases: overdue follow-ups first, then urgent, then most recently updated."""
    desk = apply_common(ctx, config_path, db_path).desk()
    account_id = desk.account(account_name).id if account_name else None
    cases = desk.list_cases(account_id=account_id, status=status, channel=channel, text=query)
    now = desk.now()
    if as_json:
        print_json([case_json(c, now) for c in cases])
        return
    if not cases:
        click.echo("No cases.")
        return
    from console.cli import table

    tz = operator_tz()
    rows = [[str(c.id), _local(c.opened_at, tz, "%Y-%m-%d"), c.account, c.marketplace or "-", c.channel,
             c.case_ref or "-", c.status, _follow_text(c, now, tz), ("! " if c.urgent else "") + c.summary]
            for c in cases]
    for line in table.render(["#", "OPENED", "ACCOUNT", "MP", "CHANNEL", "CASE ID", "STATUS", "FOLLOW-UP",
                              "SUMMARY"], rows, flex=[8, 7], right=[0], wide=wide):
        click.echo(line)


@contacts.command("show")
@click.argument("ref", metavar="CASE")
@click.option("--json", "as_json", is_flag=True)
@common
@click.pass_context
def contacts_show(ctx, ref, as_json, db_path, config_path) -> None:
    """Show a case (our number or Amazon's case ID) and its timeline."""
    desk = apply_common(ctx, config_path, db_path).desk()
    case = desk.find_case(ref)
    entries = desk.case_timeline(case.id)
    now = desk.now()
    if as_json:
        print_json({**case_json(case, now), "timeline": [
            {"at": to_iso(e.at), "actor": e.actor, "kind": e.kind, "channel": e.channel, "text": e.text,
             "old_status": e.old_status, "new_status": e.new_status} for e in entries]})
        return
    tz = operator_tz()
    click.echo(f"case #{case.id}  {case.account}{' ' + case.marketplace if case.marketplace else ''}  "
               f"{case.status}{'  URGENT' if case.urgent else ''}")
    for label, value in (("Amazon case", case.case_ref), ("channel", case.channel), ("path", case.path),
                         ("summary", case.summary), ("notification", case.notification_id),
                         ("appeal", case.appeal_id),
                         ("opened", f"{_local(case.opened_at, tz)} by {case.opened_by}"),
                         ("follow-up", _follow_text(case, now, tz) if case.follow_up_at else None)):
        if value is not None:
            click.echo(f"{label:>13}: {value}")
    click.echo("")
    for e in entries:
        what = e.kind
        if e.kind == "status" or (e.kind == "opened" and e.new_status):
            what += f" {e.old_status + ' → ' if e.old_status else ''}{e.new_status}"
        if e.channel:
            what += f" ({e.channel})"
        if e.kind == "follow_up":
            text = _local(datetime.fromisoformat(e.text.replace("Z", "+00:00")), tz) if e.text else "cleared"
        else:
            text = e.text or ""
        first, *rest = text.splitlines() or [""]
        click.echo(f"{_local(e.at, tz)}  {e.actor:<12} {what}{': ' + first if first else ''}")
        for line in rest:
            click.echo(f"{'':>30}{line}")


@contacts.command("update")
@click.argument("ref", metavar="CASE")
@click.option("--status", type=click.Choice(cs.STATUSES))
@click.option("--follow-up", "follow_up", metavar="DATE", help="A new follow-up time, or 'none' to clear it.")
@click.option("--case-id", "case_ref", metavar="X", help="Amazon's case ID.")
@click.option("--note", metavar="TEXT")
@common
@click.pass_context
def contacts_update(ctx, ref, status, follow_up, case_ref, note, db_path, config_path) -> None:
    """Change a case's status, follow-up time or Amazon case ID, or add a note."""
    if not any(v is not None for v in (status, follow_up, case_ref, note)):
        raise click.UsageError("nothing to change: give --status, --follow-up, --case-id or --note")
    desk = apply_common(ctx, config_path, db_path).desk()
    case = desk.find_case(ref)
    changes: dict = {}
    if follow_up is not None:
        cleared = follow_up.strip().lower() in ("none", "clear", "-")
        changes["follow_up_at"] = None if cleared else _follow_up(follow_up, desk, operator_tz())
    if case_ref is not None:
        changes["case_ref"] = case_ref
    case = desk.change_case(case.id, status, case.version, note, **changes)
    click.echo(f"case #{case.id}: {case.status}"
               f"{', follow-up ' + _local(case.follow_up_at, operator_tz()) if case.follow_up_at else ''}"
               f"{', Amazon case ' + case.case_ref if case.case_ref else ''}")
