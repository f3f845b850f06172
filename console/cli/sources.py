"""`flagdesk sources list|check` and `flagdesk fetch`: the config's `[[sources]]` (console/ingest/fetch.py)."""

from __future__ import annotations

import click

from console.cli.common import apply_common, common, print_json
from console.core.textsafe import one_line


@click.group("sources")
def sources_group() -> None:
    """The mailboxes notices are fetched from ([[sources]] in the config)."""


@sources_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@common
@click.pass_context
def list_cmd(ctx, as_json, db_path, config_path) -> None:
    """Each source with its last run, last error and counts."""
    items = apply_common(ctx, config_path, db_path).desk(create=True).sources().listing()
    if as_json:
        print_json(items)
        return
    if not items:
        click.echo("No sources: add [[sources]] tables to the config (see README, Sources).")
        return
    for s in items:
        last = s["last_run_at"][:16] if s["last_run_at"] else "never run"
        state = f"error: {one_line(s['last_error'], 300)}" if s["last_error"] else (
            "ok" if s["last_run_at"] else "-")
        click.echo(f"{s['name']}  {s['kind']}  {one_line(s['where'], 200)}")
        click.echo(f"  last run {last}, {state}; {s['runs']} run{'s' if s['runs'] != 1 else ''}: imported {s['imported']}, "
                   f"duplicates {s['duplicates']}, failed {s['failed']}"
                   + (f"; last UID {s['last_uid']}" if s.get("last_uid") is not None else "")
                   + (f"; {s['kept_aside']} kept aside (flagdesk sources kept)" if s.get("kept_aside") else ""))


@sources_group.command("kept")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True)
@click.option("--body", is_flag=True, help="Show each message's text too (cleaned).")
@common
@click.pass_context
def kept_cmd(ctx, name, as_json, body, db_path, config_path) -> None:
    """The SQS messages that could not be read, kept aside with their reason (deleted from the queue)."""
    items = apply_common(ctx, config_path, db_path).desk(create=True).sources().kept(name)
    if as_json:
        print_json(items)
        return
    if not items:
        click.echo("Nothing kept aside.")
        return
    for k in items:
        click.echo(f"{k['kept_at'][:16]}  {k['source']}  message {one_line(k['message_id'], 100)}: "
                   f"{one_line(k['reason'], 300)}")
        if body:
            click.echo(f"  {one_line(k['body'], 2000)}")


@sources_group.command("check")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@common
@click.pass_context
def check_cmd(ctx, names, db_path, config_path) -> None:
    """Connect to each source (or those named) and say what is there, importing nothing; exit 1 if one fails."""
    sources = apply_common(ctx, config_path, db_path).desk(create=True).sources()
    bad = False
    for source in sources.pick(names):
        ok, line = sources.check(source)
        click.echo(one_line(line, 600), err=not ok)
        bad = bad or not ok
    if bad:
        ctx.exit(1)


@click.command("fetch")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--json", "as_json", is_flag=True)
@click.option("--watch", is_flag=True, help="Keep fetching as mail and messages arrive (IMAP IDLE, SQS long "
              "polling), one log line per event on stderr, until SIGTERM or Ctrl-C.")
@common
@click.pass_context
def fetch_cmd(ctx, names, as_json, watch, db_path, config_path) -> None:
    """Import what is new from each source (or those named), as `flagdesk import` does; then send the alerts
    the config's [alerts] rules raise.

    Exit 0 when nothing failed, 1 when a source could not be read or some message failed. With --watch:
    exit 0 on SIGTERM or SIGINT, after the message being imported is committed."""
    desk = apply_common(ctx, config_path, db_path).desk(create=True)
    sources = desk.sources()
    picked = sources.pick(names)
    if watch:
        if as_json:
            raise click.UsageError("--json does not go with --watch (the watch logs one line per event)")
        _watch(ctx, desk, picked)
        return
    results = [sources.fetch(source) for source in picked]
    if as_json:
        print_json([r.as_json() for r in results])
    else:
        for r in results:
            for note in r.notes:
                click.echo(one_line(note, 600), err=True)
            if r.error:
                click.echo(f"flagdesk: error: {one_line(r.error, 600)}", err=True)
                continue
            for line in r.summary.lines():
                click.echo(f"{r.name}: {line}")
    for line in desk.alerts().run():
        click.echo(one_line(line, 600), err=True)
    if any(r.failed for r in results):
        ctx.exit(1)


def _watch(ctx, desk, picked: list[dict]) -> None:
    import signal
    from datetime import datetime, timezone

    def log(line: str) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        click.echo(f"{stamp} {line}", err=True)

    alerts = desk.alerts()
    watch = desk.watch(picked, log)

    def halt(signum, _frame) -> None:
        log(f"flagdesk: {signal.Signals(signum).name}: stopping after the message being imported")
        watch.halt()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, halt)
    log(f"flagdesk: watching {', '.join(s['name'] for s in picked)}"
        + (f"; alerts to {len(alerts.urls)} URL{'s' if len(alerts.urls) != 1 else ''}" if alerts.enabled else ""))
    watch.run()
    log("flagdesk: stopped")
    if watch.errors:
        ctx.exit(1)


@click.group("alerts")
def alerts_group() -> None:
    """Alerts to the on-call operator ([alerts] in the config: apprise URLs and rules)."""


@alerts_group.command("test")
@common
@click.pass_context
def alerts_test_cmd(ctx, db_path, config_path) -> None:
    """Send one test message to each alert URL; exit 1 if one did not go."""
    alerts = apply_common(ctx, config_path, db_path).desk(create=True).alerts()
    if alerts.problem:
        click.echo(f"flagdesk: error: {one_line(alerts.problem, 600)}", err=True)
        ctx.exit(1)
    if not alerts.urls:
        click.echo("flagdesk: error: no alert URLs: set [alerts] urls = [\"...\"] in the config (see README, "
                   "Alerts)", err=True)
        ctx.exit(1)
    bad = False
    for ok, line in alerts.test():
        click.echo(one_line(line, 600), err=not ok)
        bad = bad or not ok
    if bad:
        ctx.exit(1)


@alerts_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@common
@click.pass_context
def alerts_list_cmd(ctx, as_json, limit, db_path, config_path) -> None:
    """The newest alerts: sent, or waiting (with why the last try failed)."""
    items = apply_common(ctx, config_path, db_path).desk(create=True).alerts().listing(limit)
    if as_json:
        print_json(items)
        return
    if not items:
        click.echo("No alerts yet.")
        return
    for a in items:
        state = f"sent {a['sent_at'][:16]}" if a["sent_at"] else (
            f"waiting ({a['attempts']} tries; {one_line(a['last_error'], 200)})" if a["last_error"] else "waiting")
        click.echo(f"{a['created_at'][:16]}  {a['rule']:<14} {state}  {one_line(a['title'], 200)}")


def register(cli: click.Group) -> None:
    cli.add_command(sources_group)
    cli.add_command(alerts_group)
    cli.add_command(fetch_cmd)
