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
@common
@click.pass_context
def fetch_cmd(ctx, names, as_json, db_path, config_path) -> None:
    """Import what is new from each source (or those named), as `flagdesk import` does.

    Exit 0 when nothing failed, 1 when a source could not be read or some message failed."""
    sources = apply_common(ctx, config_path, db_path).desk(create=True).sources()
    results = [sources.fetch(source) for source in sources.pick(names)]
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
    if any(r.failed for r in results):
        ctx.exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(sources_group)
    cli.add_command(fetch_cmd)
