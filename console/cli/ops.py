"""Operations on the shared database: `flagdesk doctor`, `backup`, `restore` and `audit`.

`doctor` reads the database without opening a session (no migration, no write); `backup` and `restore`
work while other operators keep the console open; `audit` reads the append-only audit log.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from console.cli.common import apply_common, common, print_json
from console.core import audit as audit_log
from console.core.config import operator_tz
from console.core.errors import StoreError
from console.core.textsafe import one_line

LEVEL_MARK = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {name}" for name, n in counts.items())


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:,.1f} KB"


# --- doctor -------------------------------------------------------------------------------------


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@common
@click.pass_context
def doctor(ctx, as_json, db_path, config_path) -> None:
    """Check the database and its folder for sharing by an ops group; exit 1 when something is wrong.

    Checks the setgid group folder, the file's and its -wal/-shm files' mode and group, your umask,
    WAL mode, PRAGMA integrity_check, the schema steps and the free disk. Reads only."""
    from console.desk import Desk

    path = apply_common(ctx, config_path, db_path).existing_db()
    findings = Desk.doctor(path)
    failed = any(f.level == "fail" for f in findings)
    if as_json:
        print_json({"database": str(path), "ok": not failed,
                     "findings": [f.as_json() for f in findings]})
    else:
        click.echo(f"flagdesk doctor: {path}")
        for f in findings:
            click.echo(f"{LEVEL_MARK[f.level]}  {f.name:<18} {one_line(f.message, 400)}")
            if f.fix and f.level != "ok":
                click.echo(f"      {'':<18} fix: {f.fix}")
        fails = sum(f.level == "fail" for f in findings)
        warns = sum(f.level == "warn" for f in findings)
        click.echo("all good" if not fails and not warns else
                   f"{fails} problem{'s' if fails != 1 else ''}, {warns} warning{'s' if warns != 1 else ''}")
    if failed:
        ctx.exit(1)


# --- backup and restore -------------------------------------------------------------------------


@click.command()
@click.argument("dest", type=click.Path())  # a str: a Path would drop the trailing / that means a folder
@click.option("--force", is_flag=True, help="Replace DEST if it is a file that exists.")
@common
@click.pass_context
def backup(ctx, dest, force, db_path, config_path) -> None:
    """A consistent copy of the database to DEST, while others keep working. Checked with integrity_check
    before it takes its name.

    DEST is a file, or a folder (one that exists, or any DEST ending in /, created if missing with its
    parent's mode) to put flagdesk-<time>.db in; a second copy in the same second is flagdesk-<time>-2.db.
    A copy into a folder never replaces a file. DEST is never the live database or its -wal, -shm or
    -journal file (nor a link to one); partial files left by a backup that was killed are removed first."""
    desk = apply_common(ctx, config_path, db_path).desk()
    info = desk.backup(dest, force)
    _echo_swept(info.swept)
    click.echo(f"Backed up to {info.path} ({_size(info.bytes)}; {_counts_text(info.counts)}); integrity ok")


def _echo_swept(swept) -> None:
    for s in swept:
        what = f"{s.path} ({_size(s.bytes)}), a partial copy left by a backup or restore that did not finish"
        if s.error:
            click.echo(f"Could not remove {what}: {s.error}", err=True)
        else:
            click.echo(f"Removed {what}")


@click.command()
@click.argument("src", type=click.Path(path_type=Path))
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@common
@click.pass_context
def restore(ctx, src, yes, db_path, config_path) -> None:
    """Replace the database's content with the backup SRC, after checking SRC and keeping a safety copy
    of the current database beside it (<db>.before-restore-<time>). Other sessions may stay open.

    SRC is checked in a copy: integrity_check, an older schema upgraded, then every table, column, index,
    trigger and view compared with this version's; anything missing, extra or different is refused, naming
    it, and the database is not touched."""
    from console.desk import Desk

    obj = apply_common(ctx, config_path, db_path)
    info = Desk.verify_backup(src)  # before opening (perhaps creating) the live database: a bad SRC touches nothing
    desk = obj.desk(create=True)  # restoring into a new file is a way to set one up
    live = desk.live_counts()
    if not yes:
        if not sys.stdin.isatty():
            raise StoreError(f"{src}: restoring replaces {desk.db_path} ({_counts_text(live)}); "
                             "pass --yes to confirm (no terminal to ask)")
        click.confirm(f"Replace {desk.db_path} ({_counts_text(live)}) with {info.path} "
                      f"({_counts_text(info.counts)})?", abort=True)
    restored, safety = desk.restore(info.path)
    _echo_swept(restored.swept)
    click.echo(f"Restored {desk.db_path} from {restored.path} ({_counts_text(restored.counts)})")
    if restored.pending:
        click.echo(f"Brought up to this version's schema: {', '.join(restored.pending)}")
    click.echo(f"The previous database is kept in {safety}")


# --- audit --------------------------------------------------------------------------------------


@click.group(invoke_without_command=True)  # `flagdesk audit [options]` lists, as it always did
@click.option("--since", metavar="WHEN", help="2h, 3d, 1w, yesterday, 2026-11-20 or 2026-11-20T08:00Z.")
@click.option("--account", "account_name", metavar="NAME", help="Rows about this account's notifications, "
                                                                "appeals, cases and the account itself.")
@click.option("--actor", metavar="NAME", help="Only this operator's changes.")
@click.option("--action", metavar="ACTION", help="An action (notification.status) or a family (case).")
@click.option("--notification", "notification_id", type=int, metavar="ID",
              help="One notification's history (with its appeals and cases), oldest first.")
@click.option("--limit", default=audit_log.DEFAULT_LIMIT, show_default=True, help="At most this many rows (0: all).")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of objects.")
@common
@click.pass_context
def audit(ctx, since, account_name, actor, action, notification_id, limit, as_json, db_path, config_path) -> None:
    """Who changed what, newest first: one line per change, times in your zone (FLAGDESK_TZ).

    `flagdesk audit verify` checks the log's hash chain and append-only triggers instead."""
    if ctx.invoked_subcommand is not None:
        apply_common(ctx, config_path, db_path)  # `audit --db X verify`: the options before it count too
        return
    desk = apply_common(ctx, config_path, db_path).desk()
    tz = operator_tz()
    since_at = None
    if since is not None:
        try:
            since_at = audit_log.parse_since(since, desk.now(), tz)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--since") from None
    account_id = desk.account(account_name).id if account_name else None
    if notification_id is not None:
        desk.notification(notification_id)  # an unknown id is a one-line error
        entries = [e for e in desk.history("notifications", notification_id)
                   if (since_at is None or e.at >= since_at) and (actor is None or actor in (e.actor, e.os_user))]
        entries = entries[-limit:] if limit > 0 else entries
    else:
        entries = desk.audit_log(since=since_at, account_id=account_id, actor=actor, action=action, limit=limit)
    if as_json:
        print_json([e.as_json(tz) for e in entries])
        return
    if not entries:
        click.echo("No audit rows match.")
        return
    for e in entries:
        click.echo(audit_line(e, tz))


def audit_line(e: audit_log.AuditEntry, tz) -> str:
    return (f"{e.at.astimezone(tz):%Y-%m-%d %H:%M}  {e.who:<10} {one_line(e.action, 40):<22} "
            f"{e.what}  {audit_log.describe(e, tz)}").rstrip()


@audit.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@common
@click.pass_context
def audit_verify(ctx, as_json, db_path, config_path) -> None:
    """Check that no audit row was changed or removed from the middle (each row's SHA-256 chains to the one
    before) and that the append-only triggers are as flagdesk creates them; exit 1 naming the first broken
    row. It makes a careless edit evident, not impossible, and cannot bring back a deleted file: keep
    backups elsewhere."""
    desk = apply_common(ctx, config_path, db_path).desk()
    ok, bad_id, reason = desk.verify_audit()
    if as_json:
        print_json({"ok": ok, "first_bad_id": bad_id, "reason": reason})
    else:
        click.echo(reason)
    if not ok:
        ctx.exit(1)


def register(group: click.Group) -> None:
    for command in (doctor, backup, restore, audit):
        group.add_command(command)
