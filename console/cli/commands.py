"""The command-line face: `flagdesk` opens the console; subcommands script everything else.

Textual is imported only when the console opens, so `flagdesk status --motd` in an SSH
login banner stays quick.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from console import __version__
from console.cli import appeals, bulk, contacts, ops, policy, reading, sources
from console.cli.common import (
    DUPLICATE_EXIT,
    EXPECTED,
    Ctx,
    apply_common,
    common,
    print_json,
    read_text,
)
from console.core.clock import Clock, parse_iso
from console.core.errors import ConflictError, DuplicateNoticeError, StoreError
from console.core.triage import countdown


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", metavar="PATH", help="Database file (overrides FLAGDESK_DB and config).")
@click.option("--config", "config_path", metavar="FILE", help="Config file (overrides FLAGDESK_CONFIG).")
@click.version_option(__version__, prog_name="flagdesk")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, config_path: str | None) -> None:
    """flagdesk: every seller account's performance notifications in one console.

    With no command, opens the console.
    """
    ctx.obj = Ctx(config_path, db_path)
    if ctx.invoked_subcommand is None:  # a plain `flagdesk` comes straight to launch.py, without click
        from console.cli import launch

        launch.run_console(launch.console_desk(config_path, db_path))


@cli.command()
@common
@click.pass_context
def init(ctx, db_path, config_path) -> None:
    """Create the database (and its folder) where the config says, ready for accounts and notices."""
    obj = apply_common(ctx, config_path, db_path)
    cfg = obj.config()
    existed = cfg.db_path.exists()
    desk = obj.desk(create=True)
    if existed:
        click.echo(f"{desk.db_path}: already a flagdesk database; nothing changed")
    else:
        click.echo(f"Created {desk.db_path}")


# --- status -----------------------------------------------------------------------------------


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--motd", is_flag=True, help="One short line for an SSH login banner (nothing when all is clear).")
@common
@click.pass_context
def status(ctx, as_json: bool, motd: bool, db_path, config_path) -> None:
    """Unread, open, due within 24 h and overdue notifications per account."""
    from console.cli.status import render

    obj = apply_common(ctx, config_path, db_path)
    try:
        desk = obj.desk()
    except StoreError as exc:
        if not motd:
            raise
        click.echo(f"flagdesk: {exc}")  # in the login banner itself: a typo must not read as "all clear"
        ctx.exit(1)
    rows = desk.status()
    follow_ups = desk.overdue_follow_ups_by_account()

    def health(account_id: int):
        return desk.health_summary(account_id)

    # The same lines the quick path of console/cli/entry.py prints (one function renders both).
    for line in render(rows, follow_ups, desk.now(), as_json, motd, health, desk.account_states()):
        click.echo(line)


# --- accounts ---------------------------------------------------------------------------------


@cli.group()
def accounts() -> None:
    """Add, list, rename and archive seller accounts, and add marketplaces to them."""


@accounts.command("add")
@click.argument("name")
@click.option("--marketplace", "marketplaces", multiple=True, required=True, metavar="MP",
              help="Marketplace code (US, UK, DE, ...); repeat for several.")
@click.option("--email", "emails", multiple=True, metavar="ADDR", help="Address the account's notices go to.")
@click.option("--seller-id", metavar="ID", help="The Seller Central merchant token.")
@common
@click.pass_context
def accounts_add(ctx, name, marketplaces, emails, seller_id, db_path, config_path) -> None:
    """Add a seller account."""
    desk = apply_common(ctx, config_path, db_path).desk(create=True)
    account = desk.add_account(name, list(marketplaces), list(emails), seller_id)
    click.echo(f"Added account {account.name} ({', '.join(account.marketplaces)})")


@accounts.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.option("--wide", is_flag=True, help="Every cell whole, however wide the terminal.")
@click.option("--all", "include_archived", is_flag=True, help="Include archived accounts.")
@common
@click.pass_context
def accounts_list(ctx, as_json, wide, include_archived, db_path, config_path) -> None:
    """List accounts."""
    desk = apply_common(ctx, config_path, db_path).desk()
    items = desk.accounts(include_archived)
    if as_json:
        print_json([{"id": a.id, "name": a.name, "marketplaces": a.marketplaces, "emails": a.emails,
                      "seller_id": a.seller_id, "archived": a.archived} for a in items])
        return
    if not items:
        click.echo("No accounts yet. Add one: flagdesk accounts add NAME --marketplace US")
    from console.cli import table

    if items:
        rows = [[a.name, ",".join(a.marketplaces), "archived" if a.archived else "active", " ".join(a.emails)]
                for a in items]
        for line in table.render(["ACCOUNT", "MARKETPLACES", "STATE", "NOTICE ADDRESSES"], rows, flex=[3],
                                 wide=wide):
            click.echo(line)


@accounts.command("add-marketplace")
@click.argument("name")
@click.argument("marketplaces", nargs=-1, required=True, metavar="MP...")
@common
@click.pass_context
def accounts_add_marketplace(ctx, name, marketplaces, db_path, config_path) -> None:
    """Add marketplaces (US, CA, MX, ...) to an account; what was filed under them stops being flagged."""
    account, added, counts = apply_common(ctx, config_path, db_path).desk().add_marketplaces(name, list(marketplaces))
    if not added:
        click.echo(f"{account.name} already lists {', '.join(m.upper() for m in marketplaces)}: nothing changed")
        return
    were = [f"{n} {what if n == 1 else what + 's'}" for what, n in (("notice", counts["notices"]),
                                                                    ("health snapshot", counts["snapshots"])) if n]
    click.echo(f"Added {', '.join(added)} to {account.name} ({', '.join(account.marketplaces)})"
               + (f"; {' and '.join(were)} there no longer flagged as not listed" if were else ""))


@accounts.command("rename")
@click.argument("name")
@click.argument("new_name")
@common
@click.pass_context
def accounts_rename(ctx, name, new_name, db_path, config_path) -> None:
    """Rename an account."""
    account = apply_common(ctx, config_path, db_path).desk().rename_account(name, new_name)
    click.echo(f"Renamed to {account.name}")


@accounts.command("archive")
@click.argument("name")
@click.option("--undo", is_flag=True, help="Bring an archived account back.")
@common
@click.pass_context
def accounts_archive(ctx, name, undo, db_path, config_path) -> None:
    """Archive an account: it leaves the inbox and the counts; its history stays."""
    account = apply_common(ctx, config_path, db_path).desk().archive_account(name, not undo)
    click.echo(f"{'Restored' if undo else 'Archived'} {account.name}")


# --- notifications ----------------------------------------------------------------------------


@cli.command("add")
@click.option("--account", "account_name", required=True, metavar="NAME")
@click.option("--marketplace", metavar="MP", help="Needed when the account has several and the text names none.")
@click.option("--file", "file_path", metavar="PATH", help="Read the notice from a file, or - for standard input.")
@click.option("--received", metavar="WHEN", help="When it arrived (ISO 8601); default now.")
@click.option("--severity", type=click.Choice(["critical", "high", "medium", "low"]), help="Override the rules.")
@click.option("--fate", "--category", "category", metavar="ID", help="Override the reading's fate (`flagdesk fates`).")
@click.option("--cause", metavar="ID", help="Override the reading's cause (`flagdesk fates`).")
@click.option("--allow-duplicate", is_flag=True, help="Add it even when it looks like a stored notice.")
@common
@click.pass_context
def add(ctx, account_name, marketplace, file_path, received, severity, category, cause, allow_duplicate, db_path,
        config_path) -> None:
    """Add a notice from its text (pasted on standard input or read from a file); prints the new id.

    A notice that looks like a stored one (the same text, or the same complaint ID for the account and
    marketplace) is not added: exit 3 naming it, unless --allow-duplicate."""
    desk = apply_common(ctx, config_path, db_path).desk(create=True)
    account = desk.account(account_name)
    text = read_text(file_path)
    if not text.strip():
        raise click.UsageError("the notice text is empty")
    try:
        received_at = parse_iso(received) if received else desk.now()
    except (ValueError, OverflowError):
        raise click.BadParameter(f"'{received}' is not an ISO 8601 time", param_hint="--received") from None
    for value, known, option in ((category, desk.fate_ids(), "--fate"), (cause, desk.cause_ids(), "--cause")):
        if value and value not in known:
            raise click.BadParameter(f"unknown id '{value}' (`flagdesk fates` lists them)", param_hint=option)
    fields = desk.extract(text, received_at)
    corrected = []
    for name, value in (("severity", severity), ("category", category), ("cause", cause)):
        if value:
            setattr(fields, name, value)
            corrected.append(name)
    mp = desk.pick_marketplace(account, marketplace, fields.marketplace)
    try:
        click.echo(desk.add_notice(account, mp, fields, received_at, source="cli", allow_duplicate=allow_duplicate,
                                   corrected=corrected))
    except DuplicateNoticeError as exc:
        click.echo(f"flagdesk: not added: {exc}; `flagdesk show {exc.nid}` to see it, or --allow-duplicate "
                   "to add it anyway", err=True)
        ctx.exit(DUPLICATE_EXIT)


@cli.command()
@click.argument("nid", type=int, metavar="[ID]", required=False)
@click.option("--file", "file_path", metavar="FILE", help="Read this notice text instead (- for standard input).")
@click.option("--json", "as_json", is_flag=True, help="The reading as JSON.")
@common
@click.pass_context
def explain(ctx, nid, file_path, as_json, db_path, config_path) -> None:
    """How flagdesk reads a notice: its fate, its cause and its severity, and the sentence behind each.

    With ID, a stored notification, read by today's rules; with --file, any notice text (no database
    needed)."""
    from console.core.textsafe import one_line
    from console.desk import Desk

    if (nid is None) == (file_path is None):
        raise click.UsageError("give a notification ID or --file FILE")
    if file_path is not None:
        now = Clock().now()
        rules = apply_common(ctx, config_path, db_path).config().rules()  # the config's [rules] count
        x, reading = Desk.read_text(read_text(file_path), now, rules)
        subject, deadline, received = x.subject, x.deadline_at, now
        deadline_text = x.deadline_text
    else:
        desk = apply_common(ctx, config_path, db_path).desk()
        n, reading = desk.read_notification(nid)
        subject, deadline, received = n.subject, n.deadline_at, n.received_at
        deadline_text = (n.why or {}).get("deadline")  # the phrase stored with the reading
    if as_json:
        print_json({"subject": subject, **reading.as_json(),
                    "deadline": {"at": deadline.strftime("%Y-%m-%dT%H:%M:%SZ") if deadline else None,
                                 "phrase": deadline_text}})
        return
    click.echo(one_line(subject, 200))
    click.echo(f"      fate: {reading.fate_label}")
    if reading.why.get("fate"):
        why = reading.why["fate"]
        click.echo(f"            from \"{one_line(why.phrase, 120)}\" in: {one_line(why.sentence, 200)}")
    else:
        click.echo("            nothing in the text states that anything happened to the account or its listings")
    click.echo(f"     cause: {reading.cause_label}")
    if reading.why.get("cause"):
        why = reading.why["cause"]
        click.echo(f"            from \"{one_line(why.phrase, 120)}\" in: {one_line(why.sentence, 200)}")
    click.echo(f"  severity: {reading.severity} ({reading.severity_reason})")
    if reading.threat and reading.fate not in ("account_deactivated", "account_at_risk"):
        click.echo("            the text threatens deactivation, but only conditionally")
    if deadline:
        after = countdown(deadline, received).text.removeprefix("in ")
        click.echo(f"  deadline: {deadline:%Y-%m-%d %H:%M} UTC ({after} after receipt), "
                   f"from \"{one_line(deadline_text or '', 120)}\"")
    else:
        click.echo("  deadline: none stated for the seller")


@cli.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.option("--account", "account_name", metavar="NAME")
@click.option("--status", "statuses", multiple=True, metavar="S", help="new, read, in_progress, ..., open, closed.")
@click.option("--query", "-q", metavar="Q", default="", help="Full text plus qualifiers, as in the console's / box.")
@click.option("--view", metavar="NAME", help="A saved view ([views] in the config); --query narrows it.")
@click.option("--limit", default=200, show_default=True, help="At most this many rows (0: all).")
@click.option("--wide", is_flag=True, help="Every cell whole, however wide the terminal.")
@common
@click.pass_context
def list_cmd(ctx, as_json, account_name, statuses, query, view, limit, wide, db_path, config_path) -> None:
    """List notifications in triage order."""
    desk = apply_common(ctx, config_path, db_path).desk()
    text = (f"view:{view} " if view else "") + query + "".join(f" status:{s}" for s in statuses)
    f = desk.parse_filter(text)
    if account_name:
        f.account_ids = [desk.account(account_name).id]
    rows = desk.page(f, 0, limit if limit > 0 else -1)
    if as_json:
        print_json([desk.notification_json(desk.notification(r["id"])) for r in rows])
        return
    from console.cli import table

    now = desk.now()
    cells = [[str(r["id"]), r["account"] or "Unassigned", r["marketplace"] or "", r["severity"], r["status"],
              countdown(parse_iso(r["deadline_at"]) if r["deadline_at"] else None, now).text, r["subject"]]
             for r in rows]
    if not cells:
        click.echo("No notifications match.")
        return
    for line in table.render(["ID", "ACCOUNT", "MP", "SEVERITY", "STATUS", "DEADLINE", "SUBJECT"], cells,
                             flex=[6], right=[0], wide=wide):
        click.echo(line)


@cli.command()
@click.argument("nid", type=int, metavar="ID")
@click.option("--json", "as_json", is_flag=True)
@common
@click.pass_context
def show(ctx, nid, as_json, db_path, config_path) -> None:
    """Show one notification in full."""
    desk = apply_common(ctx, config_path, db_path).desk()
    n = desk.notification(nid)
    data = desk.notification_json(n)
    if as_json:
        print_json(data)
        return
    from console.core.fates import why_line

    data = {**data, "fate": data["fate_label"], "cause": data["cause_label"],
            "why": why_line(n.why, n.severity.value, n.corrected)}
    if not n.marketplace_listed:
        data["marketplace"] = (f"{n.marketplace} (not listed for {n.account}: flagdesk accounts add-marketplace "
                               f"\"{n.account}\" {n.marketplace})")
    for key in ("id", "account", "marketplace", "received_at", "status", "severity", "fate", "cause", "why",
                "policy", "deadline_at", "action_taken", "complaint_id", "asins", "skus", "order_ids", "assignee",
                "source"):
        value = data[key]
        if value in (None, []):
            continue
        click.echo(f"{key:>13}: {', '.join(value) if isinstance(value, list) else value}")
    click.echo(f"\n{n.subject}\n\n{n.body}")


@cli.command()
@bulk.selection_options
@click.option("--release", is_flag=True, help="Give up your claim instead.")
@click.option("--force", is_flag=True, help="With --release: release another OS user's claim (audited).")
@click.option("--take-over", "take_over", metavar="OWNER",
              help="Take it over from OWNER (refused if it changed hands meanwhile; one ID only).")
@common
@click.pass_context
def claim(ctx, ids, query, view, dry_run, as_json, release, force, take_over, db_path, config_path) -> None:
    """Claim notifications for yourself: others see your name on them. One ID: exit 1 naming the owner if
    taken. Several IDs, --query or --view: each one nobody holds, the others reported (exit 1 when any is
    someone else's). A claim belongs to its OS user: releasing someone else's needs --force, and the audit
    names you."""
    if force and not release:
        raise click.UsageError("--force only goes with --release (to take a claim over: --take-over OWNER)")
    if take_over and (len(ids) != 1 or query is not None or view):
        raise click.UsageError("--take-over takes one ID")
    if len(ids) != 1 or query is not None or view or dry_run or as_json:
        bulk.run(ctx, "release" if release else "claim", ids, query, view, dry_run, as_json, db_path, config_path,
                 force=force)
        return
    nid = ids[0]
    desk = apply_common(ctx, config_path, db_path).desk()
    if release:
        before = desk.notification(nid)
        try:
            desk.release(nid, force=force)
        except ConflictError as exc:
            raise ConflictError(f"{exc}; take it over with --take-over {before.assignee}, or release it anyway "
                                "with --release --force (audited)") from None
        whose = "" if before.assignee is None or desk.is_me(before.assignee, before.assignee_os) else (
            f" ({desk.who(before.assignee, before.assignee_os)}'s claim, released by {desk.me()})")
        click.echo(f"#{nid} released{whose}")
        return
    n = desk.claim(nid, take_over_from=take_over)
    click.echo(f"#{nid} claimed by {desk.who(n.assignee, n.assignee_os)}")


# --- import -----------------------------------------------------------------------------------


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--account", "account_name", metavar="NAME", help="File every notice under this account.")
@click.option("--format", "fmt", type=click.Choice(["auto", "eml", "mbox", "maildir", "spapi"]), default="auto",
              show_default=True)
@click.option("--dry-run", is_flag=True, help="Read and count, store nothing.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--watch", is_flag=True, help="Keep importing what arrives (a Maildir) until interrupted.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between looks, with --watch.")
@common
@click.pass_context
def import_cmd(ctx, paths, account_name, fmt, dry_run, as_json, watch, interval, db_path, config_path) -> None:
    """Import notice emails (.eml, mbox, Maildir, folders, .gz) and Selling Partner API JSON.

    Exit 0 when nothing failed, 1 when some input failed (the rest is still imported)."""
    import time

    from console.cli.progress import ProgressBar

    desk = apply_common(ctx, config_path, db_path).desk(create=True)
    failed_any = False
    while True:
        importer = desk.importer(account_name, dry_run)
        # A bar on standard error when it is a terminal and the work is long; never with --json.
        bar = None if as_json else ProgressBar(getattr(sys.stderr, "raw", sys.stderr))
        try:
            summary = importer.run(list(paths), fmt, bar)
        finally:
            if bar:
                bar.finish()
        if as_json:
            print_json({**summary.as_json(), "dry_run": dry_run})
        elif not watch or summary.imported or summary.failed:
            for line in summary.lines():
                click.echo(("(dry run) " if dry_run else "") + line)
        failed_any = failed_any or bool(summary.failed)
        if not watch:
            break
        try:
            time.sleep(interval)
        except KeyboardInterrupt:
            break
    if failed_any:
        ctx.exit(1)


# --- health -------------------------------------------------------------------------------------


@cli.command()
@click.argument("account_name", metavar="ACCOUNT")
@click.option("--json", "as_json", is_flag=True)
@common
@click.pass_context
def health(ctx, account_name, as_json, db_path, config_path) -> None:
    """An account's health snapshots (Account Health Rating, rate metrics, policy counts) and status history."""
    desk = apply_common(ctx, config_path, db_path).desk()
    account = desk.account(account_name)
    report = desk.health(account)
    snaps, history, summary = report["snapshots"], report["history"], report["summary"]
    if as_json:
        drop = ("content_hash",)
        print_json({"account": account.name, "health": summary, "status_history": history,
                     "snapshots": [{k: v for k, v in s.items() if k not in drop} for s in snaps]})
        return
    if not snaps and not history:
        click.echo(f"No health data for {account.name}: import a seller performance report "
                   f"(flagdesk import report.json --account \"{account.name}\").")
        return
    if summary:
        click.echo(f"{account.name}: status {summary['status'] or 'unknown'}, AHR {summary['ahr_status'] or '-'}"
                   f"{' ' + str(summary['ahr_score']) if summary['ahr_score'] is not None else ''}"
                   f"{' (' + summary['ahr_band'] + ')' if summary['ahr_band'] else ''}")
    for h in history:
        click.echo(f"  {h['at'][:16]}  {h['marketplace'] + ' ' if h.get('source') == 'report' else ''}status "
                   f"{h['previous'] or '?'} → {h['current']}")
    for s in snaps:
        bad = [m["name"] for m in s["metrics"] if m.get("status") == "BAD"]
        flag = "" if s.get("listed", True) else " (not listed)"
        click.echo(f"  {s['imported_at'][:16]}  {s['marketplace']}{flag}: {s['account_status'] or '-'}, AHR "
                   f"{s['ahr_status'] or '-'} {s['ahr_score'] if s['ahr_score'] is not None else ''}"
                   f"{'  BAD: ' + ', '.join(bad) if bad else ''}")


# --- config -----------------------------------------------------------------------------------


@cli.group("config")
def config_group() -> None:
    """Create, show and change settings."""


@config_group.command("init")
@click.option("--force", is_flag=True, help="Replace an existing file.")
@click.pass_context
def config_init(ctx, force) -> None:
    """Write a starter config file (the user file, or --config FILE)."""
    from console.core import config

    obj: Ctx = ctx.find_root().obj
    path = Path(obj.config_path).expanduser() if obj.config_path else config.user_config_path()
    click.echo(f"Wrote {config.init_file(path, force)}")


@config_group.command("show")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def config_show(ctx, as_json) -> None:
    """Print the effective settings and where each came from."""
    import tomli_w

    cfg = ctx.find_root().obj.config()
    if as_json:
        print_json({"values": cfg.values, "sources": cfg.sources, "db_path": str(cfg.db_path),
                     "operator": cfg.operator})
        return
    click.echo(f"# files read: {', '.join(map(str, cfg.files_read)) or 'none'}")
    click.echo(f"# config set writes: {cfg.writable_path}")
    click.echo(f"# effective db_path: {cfg.db_path}")
    click.echo(f"# effective operator: {cfg.operator}")
    for line in cfg.retired():
        click.echo(f"# not read any more: {line}")
    for key, value in cfg.values.items():
        block = tomli_w.dumps({key: value}).rstrip()
        click.echo(f"\n# {key}: from {cfg.sources[key]}\n{block}")


@config_group.command("set")
@click.argument("key")
@click.argument("value")
@click.pass_context
def config_set(ctx, key, value) -> None:
    """Change one setting in the user file, e.g. `config set keymap.mark_read "m,r"`."""
    from console.core import config

    obj: Ctx = ctx.find_root().obj
    path = Path(obj.config_path).expanduser() if obj.config_path else config.load(None, None).writable_path
    stored = config.set_value(path, key, value)
    click.echo(f"{key} = {stored!r} in {path}")


@config_group.command("keys")
@click.pass_context
def config_keys(ctx) -> None:
    """Every key binding: its id (for `config set keymap.ID KEYS`), the screen, the keys in force."""
    from console.core import keymap

    mine = ctx.find_root().obj.config().keymap
    rows = [(i, scope, mine.get(i) or ",".join(keys), description)
            for i, (scope, keys, description) in keymap.bindings().items()]
    width = max(len(r[0]) for r in rows)
    scope_width = max(len(r[1]) for r in rows)
    click.echo(f"{'ID':<{width}}  {'SCREEN':<{scope_width}}  {'KEYS':<16}  DOES")
    for binding_id, scope, keys, description in rows:
        click.echo(f"{binding_id:<{width}}  {scope:<{scope_width}}  {keys:<16}  {description}")


# --- demo -------------------------------------------------------------------------------------


@cli.command()
@click.option("--no-open", is_flag=True, help="Only seed the database.")
@click.option("--size", type=click.Choice(["small", "large", "huge"]), default="small", show_default=True,
              help="small: four accounts and 48 notices (demo.db, re-seeded each time); large: 50 accounts, "
                   "100,000 notifications, 5,000 appeals, 10,000 cases (large-demo.db, made once and reused); "
                   "huge: 200 accounts, 1,000,000 notifications, 20,000 appeals, 40,000 cases (huge-demo.db, "
                   "made once, several minutes).")
@common
@click.pass_context
def demo(ctx, no_open, size, db_path, config_path) -> None:
    """Seed a realistic demo database (default: demo.db beside the real one) and open the console."""
    from console.core import config as config_mod
    from console.demo.seed import HUGE, seed_demo, seed_large
    from console.desk import Desk

    obj = apply_common(ctx, config_path, db_path)
    cfg = obj.config()
    if not obj.db_path:
        name = {"large": "large-demo.db", "huge": "huge-demo.db"}.get(size, "demo.db")
        cfg.values["db_path"] = str(config_mod.default_db_path().with_name(name))
    path = cfg.db_path
    if size in ("large", "huge"):
        counts = seed_large(path, cfg, Clock(), **(HUGE if size == "huge" else {}))
        made = "reused" if counts.pop("reused") else f"made in {counts.pop('seconds'):.0f} s"
        click.echo(f"{size.capitalize()} demo database {path} ({made}): {counts['accounts']} accounts, "
                   f"{counts['notifications']:,} notifications, {counts['appeals']:,} appeals with "
                   f"{counts['revisions']:,} revisions, {counts['contacts']:,} Seller Support cases",
                   err=not no_open)
    else:
        counts = seed_demo(path, cfg, Clock())
        click.echo(f"Demo database {path}: {counts['accounts']} accounts, {counts['notifications']} notifications",
                   err=not no_open)
    if not no_open:
        from console.cli.launch import run_console

        run_console(Desk.open(cfg))


def main(argv: list[str] | None = None) -> None:
    """Entry point: click's own errors exit 2, flagdesk's expected errors exit 1 with one line. A command's
    output is cleaned on its way to the terminal (console/cli/output.py); the console draws through Textual."""
    from console.cli.output import cleaned_output

    args = sys.argv[1:] if argv is None else list(argv)
    try:
        if any(a in cli.commands for a in args):
            with cleaned_output():
                _run(argv)
                sys.stdout.flush()
        else:
            _run(argv)
    except OSError as exc:  # standard output on a full device, a closed pipe: one line, never a traceback
        _output_failed(exc)


def _output_failed(exc: OSError) -> None:
    import errno
    import os

    try:  # nothing more may reach the broken stream, not even the interpreter's flush at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    if exc.errno == errno.EPIPE:  # the reader went away (`flagdesk list | head`): not an error
        sys.exit(0)
    try:
        sys.stderr.write(f"flagdesk: error: cannot write the output: {exc.strerror or exc}\n")
    except OSError:
        pass
    sys.exit(1)


def _run(argv: list[str] | None) -> None:
    from console.core.textsafe import clean

    try:
        code = cli.main(args=argv, prog_name="flagdesk", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except EXPECTED as exc:
        click.echo(f"flagdesk: error: {clean(str(exc))}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    if isinstance(code, int) and code:
        sys.exit(code)


cli.add_command(contacts.contacts)
cli.add_command(appeals.appeal)
cli.add_command(policy.policy)
ops.register(cli)
reading.register(cli)
bulk.register(cli)
sources.register(cli)
