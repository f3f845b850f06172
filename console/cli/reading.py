"""The reading of notices from the command line: `flagdesk fates`, `correct` and `reread`.

`explain` (in commands.py) shows how one notice is read; these list what a reading can say, let an
operator set it by hand (audited, and kept when notices are read again), and read stored notices again
after a rules change.
"""

from __future__ import annotations

import click

from console.cli.common import apply_common, common, print_json
from console.core.textsafe import one_line

_SHOWN = 40  # changes a reread prints one by one; the rest are counted


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@common
@click.pass_context
def fates(ctx, as_json, db_path, config_path) -> None:
    """The fates and causes a notice can be read as (ids for --fate, --cause, category: and cause:)."""
    rules = apply_common(ctx, config_path, db_path).config().rules()
    if as_json:
        print_json({"fates": [{"id": r.id, "label": r.label, "severity": r.severity} for r in rules.fates],
                    "causes": [{"id": r.id, "label": r.label} for r in rules.causes]})
        return
    click.echo("Fates (category:ID), most serious first:")
    for r in rules.fates:
        click.echo(f"  {r.id:<22} {r.label} ({r.severity})")
    click.echo("Causes (cause:ID):")
    for r in rules.causes:
        click.echo(f"  {r.id:<22} {r.label}")


@click.command()
@click.argument("nid", type=int, metavar="ID")
@click.option("--fate", "--category", "fate", metavar="ID", help="What happened (`flagdesk fates` lists them).")
@click.option("--cause", metavar="ID", help="The policy or metric behind it.")
@click.option("--severity", type=click.Choice(["critical", "high", "medium", "low"]))
@click.option("--reason", default="", metavar="TEXT", help="Why, for the audit log.")
@click.option("--reset", is_flag=True, help="Hand fate, cause and severity back to the rules (a reread sets them).")
@click.option("--json", "as_json", is_flag=True, help="The notification afterwards, as JSON.")
@common
@click.pass_context
def correct(ctx, nid, fate, cause, severity, reason, reset, as_json, db_path, config_path) -> None:
    """Set a notification's fate, cause or severity by hand, when the reading got it wrong.

    The correction is audited (old and new values, your reason) and kept when notices are read again."""
    changes = {k: v for k, v in (("category", fate), ("cause", cause), ("severity", severity)) if v}
    if not changes and not reset:
        raise click.UsageError("say what to correct: --fate, --cause, --severity (or --reset)")
    if changes and reset:
        raise click.UsageError("--reset hands the reading back to the rules: give it alone")
    desk = apply_common(ctx, config_path, db_path).desk()
    n = desk.correct(nid, changes, reason, reset=reset)
    if as_json:
        print_json(desk.notification_json(n))
        return
    if reset:
        click.echo(f"{nid}: fate, cause and severity are the rules' again; the next `flagdesk reread` sets them")
        return
    click.echo(f"{nid}: {desk.reading_label(n.category, n.cause)}, {n.severity.value} (set by {desk.operator})")


@click.command()
@click.option("--query", "-q", metavar="Q", default="", help="Only these notices (the console's filter language).")
@click.option("--dry-run", is_flag=True, help="Print what would change; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@common
@click.pass_context
def reread(ctx, query, dry_run, as_json, db_path, config_path) -> None:
    """Read stored notices again by today's rules (after an upgrade or a change to [rules]).

    Fate, cause, severity, deadline and policy are read from each notice's text again; what differs is
    updated in batches, each change audited. A field an operator set by hand is never changed."""
    desk = apply_common(ctx, config_path, db_path).desk()
    f = desk.parse_filter(query) if query.strip() else None
    result = desk.reread(f, dry_run=dry_run)
    if as_json:
        print_json({"dry_run": dry_run, "examined": result.examined, "changed": len(result.changes),
                    "kept_corrections": result.kept,
                    "changes": [{"id": nid, "subject": subject, "changes": changes}
                                for nid, subject, changes in result.changes]})
        return
    for nid, subject, changes in result.changes[:_SHOWN]:
        what = "; ".join(f"{'fate' if k == 'category' else k} {_value(v[0])} → {_value(v[1])}"
                         for k, v in changes.items())
        click.echo(f"{nid:>7}  {one_line(subject, 50)}: {what}")
    if len(result.changes) > _SHOWN:
        click.echo(f"         … and {len(result.changes) - _SHOWN:,} more (--json lists them all)")
    verb = "would change" if dry_run else "changed"
    kept = f"; {result.kept:,} kept as an operator set them" if result.kept else ""
    click.echo(f"read {result.examined:,} notices again: {verb} {len(result.changes):,}{kept}"
               + (" (dry run: nothing written)" if dry_run else ""))


def _value(value) -> str:
    return "none" if value in (None, "") else one_line(str(value), 40)


def register(cli: click.Group) -> None:
    for command in (fates, correct, reread):
        cli.add_command(command)
