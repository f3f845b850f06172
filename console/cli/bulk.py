"""Many notifications at once from a shell: `flagdesk read`, `unread`, `close`, and `claim` with several IDs.

Each takes IDs, or `--query Q` (the console's filter language, exactly: `view:NAME` included) or `--view
NAME`; `--dry-run` prints what would change and changes nothing; `--json` says it as data. A change is one
transaction with an audit row per notification and one for the whole (console/store/batch.py). The exit
status is 1 when anything asked for was left undone because it was refused or not found (the output says
which), else 0; a notification already so (read already, say) is no failure.
"""

from __future__ import annotations

import click

from console.cli.common import apply_common, common, print_json
from console.core.textsafe import one_line

_SHOWN = 40  # notifications a dry run lists one by one; the rest are counted


def selection_options(fn):
    """IDs, or --query / --view, with --dry-run and --json: what every bulk command takes."""
    fn = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")(fn)
    fn = click.option("--dry-run", is_flag=True, help="Print what would change; change nothing.")(fn)
    fn = click.option("--view", metavar="NAME", help="A saved view ([views] in the config).")(fn)
    fn = click.option("--query", "-q", metavar="Q", default=None,
                      help="Every notification this filter shows (the console's / language).")(fn)
    fn = click.argument("ids", nargs=-1, type=int, metavar="[ID]...")(fn)
    return fn


def run(ctx, change: str, ids, query, view, dry_run: bool, as_json: bool, db_path, config_path, **options) -> None:
    """Select (IDs, or a filter at the moment of the change), change, and say what happened."""
    if ids and (query is not None or view):
        raise click.UsageError("give IDs, or --query/--view, not both")
    if not ids and query is None and not view:
        raise click.UsageError("say which notifications: IDs, --query Q or --view NAME")
    if query is not None and not query.strip() and not view:
        raise click.UsageError("--query needs a filter, e.g. --query 'status:new account:north' "
                               "(to act on everything, say so: --query status:open)")
    desk = apply_common(ctx, config_path, db_path).desk()
    if ids:
        targets, f, note = {nid: None for nid in dict.fromkeys(ids)}, None, {}
    else:
        text = " ".join(p for p in (f"view:{view}" if view else "", (query or "").strip()) if p)
        targets, f, note = None, desk.parse_filter(text), {"query": text}
    result = desk.bulk(change, targets, f, dry_run=dry_run, note=note, **options)
    if as_json:
        data = result.as_json()
        data["changes"] = [{"id": nid, "before": result.before[nid], "after": result.after[nid]}
                           for nid in result.done]
        print_json(data)
    else:
        _say(desk, result)
    if result.refused or result.missing:
        ctx.exit(1)


def _value(key: str, value) -> str:
    if key == "assignee":
        return one_line(value, 40) if value else "unclaimed"
    if key == "account_id":
        return "Unassigned" if value is None else f"account #{value}"
    return one_line(str(value).replace("_", " "), 40) if value is not None else "none"


def _change_text(before: dict, after: dict) -> str:
    key = next(k for k in ("status", "assignee", "account_id", "severity", "marketplace") if k in after)
    text = f"{_value(key, before[key])} → {_value(key, after[key])}"
    if key == "account_id":
        text += f" {after['marketplace']}"
    return text


def _say(desk, result) -> None:
    if result.dry_run:
        for nid in result.done[:_SHOWN]:
            n = desk.notification(nid)
            click.echo(f"{nid:>7}  {one_line(n.account, 20)} {n.marketplace}  "
                       f"{_change_text(result.before[nid], result.after[nid])}  {one_line(n.subject, 60)}")
        if len(result.done) > _SHOWN:
            click.echo(f"         … and {len(result.done) - _SHOWN:,} more (--json lists them all)")
    for nid, why in list(result.refused.items())[:_SHOWN]:
        click.echo(f"#{nid}: {why}, left as it is")
    for nid, who in list(result.moved.items())[:_SHOWN]:
        click.echo(f"#{nid}: changed by {who} meanwhile, left as it is")
    for nid in result.missing[:_SHOWN]:
        click.echo(f"#{nid}: no such notification")
    tail = " (dry run: nothing written)" if result.dry_run else ""
    click.echo(f"{result.title}: {result.summary(desk.me())}{tail}")


@click.command("read")
@selection_options
@common
@click.pass_context
def read(ctx, ids, query, view, dry_run, as_json, db_path, config_path) -> None:
    """Mark notifications read: IDs, or every one --query (or --view) shows. Those not unread stay as they are."""
    run(ctx, "read", ids, query, view, dry_run, as_json, db_path, config_path)


@click.command("unread")
@selection_options
@common
@click.pass_context
def unread(ctx, ids, query, view, dry_run, as_json, db_path, config_path) -> None:
    """Mark notifications unread again: IDs, or every one --query (or --view) shows."""
    run(ctx, "unread", ids, query, view, dry_run, as_json, db_path, config_path)


@click.command("close")
@selection_options
@click.option("--as", "as_status", type=click.Choice(["resolved", "dismissed"]), required=True,
              help="resolved: the problem is dealt with; dismissed: nothing to do.")
@common
@click.pass_context
def close(ctx, ids, query, view, dry_run, as_json, as_status, db_path, config_path) -> None:
    """Close notifications as resolved or dismissed: IDs, or every one --query (or --view) shows."""
    run(ctx, as_status, ids, query, view, dry_run, as_json, db_path, config_path)


def register(cli: click.Group) -> None:
    for command in (read, unread, close):
        cli.add_command(command)
