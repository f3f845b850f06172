"""`flagdesk appeal`: write, check, review, submit and follow up appeals (Plans of Action) from a shell."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from console.cli.common import apply_common, common, print_json, read_text
from console.core.errors import StoreError


@click.group()
def appeal() -> None:
    """Write, check, submit and follow up appeals (Plans of Action)."""


def _appeal_json(desk, a) -> dict:
    from console.core.clock import to_iso as iso

    used_at, used_by = desk.button_state(a.notification_id)
    return {
        "id": a.id, "notification_id": a.notification_id, "status": a.status, "author": a.author,
        "author_os": a.author_os, "submitted_by_os": a.submitted_by_os, "reviewed_by_os": a.reviewed_by_os,
        "revision": a.revision, "route": a.route, "channel": a.channel, "case_id": a.case_id,
        "submitted_at": iso(a.submitted_at) if a.submitted_at else None, "submitted_by": a.submitted_by,
        "override_reason": a.override_reason, "outcome_at": iso(a.outcome_at) if a.outcome_at else None,
        "outcome_note": a.outcome_note, "reviewed_by": a.reviewed_by,
        "reviewed_at": iso(a.reviewed_at) if a.reviewed_at else None, "revised_from": a.revised_from,
        "appeal_button": {"used": used_at is not None, "used_at": used_at, "used_by": used_by},
        "attachments": [_attachment_json(x) for x in desk.attachments(a)],
        "text": a.text,
    }


@appeal.command("new")
@click.argument("nid", type=int, metavar="NOTIFICATION_ID")
@click.option("--file", "file_path", metavar="PATH", help="The draft text from a file, or - for standard input.")
@click.option("--replace", is_flag=True, help="The notification has a draft: make this text its next revision.")
@common
@click.pass_context
def appeal_new(ctx, nid, file_path, replace, db_path, config_path) -> None:
    """Start an appeal for a notification (empty headings unless --file); prints its id.

    A notification that already has a draft keeps it: this says so and prints nothing, unless --replace
    (with --file) saves the text as the draft's next revision. `flagdesk appeal edit ID` edits a draft."""
    from console.review.checklist import NEW_DRAFT

    desk = apply_common(ctx, config_path, db_path).desk()
    text = read_text(file_path) if file_path else None
    draft = desk.draft_of(nid)
    if draft is None:
        click.echo(desk.new_appeal(nid, text).id)
        return
    if not replace:
        raise StoreError(f"notification #{nid} already has draft appeal #{draft.id} (revision {draft.revision}, "
                         f"by {draft.author}): `flagdesk appeal edit {draft.id}` to work on it, or "
                         "--replace --file FILE to make a text its next revision")
    saved = desk.save_appeal(draft, text if text and text.strip() else NEW_DRAFT)
    click.echo(saved.id)
    click.echo(f"appeal #{saved.id}: revision {saved.revision} replaces the draft's text", err=True)


@appeal.command("edit")
@click.argument("appeal_id", type=int, metavar="ID")
@common
@click.pass_context
def appeal_edit(ctx, appeal_id, db_path, config_path) -> None:
    """Edit a draft appeal in $VISUAL or $EDITOR (vi by default); a changed text is saved as a new revision.

    If another operator saved the appeal while you edited, nothing is overwritten: your text is kept in
    a file in your exports folder and the command says where."""
    import os
    import shlex
    import subprocess
    import tempfile

    from console.core.errors import ConflictError

    desk = apply_common(ctx, config_path, db_path).desk()
    a = desk.appeal(appeal_id)
    if not a.editable:
        raise StoreError(f"appeal #{a.id} is {a.status}: only a draft can be edited (`flagdesk appeal revise "
                         f"{a.id}` starts a new one)")
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    fd, name = tempfile.mkstemp(prefix=f"flagdesk-appeal-{a.id}-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(a.text)
        try:
            done = subprocess.run([*shlex.split(editor), name])
        except OSError as exc:
            raise StoreError(f"cannot start the editor '{editor}': {exc.strerror or exc}") from None
        if done.returncode != 0:
            raise StoreError(f"the editor '{editor}' exited with {done.returncode}; nothing saved")
        text = Path(name).read_text(encoding="utf-8")
        if text == a.text:
            click.echo(f"appeal #{a.id}: no change")
            return
        try:
            saved = desk.save_appeal(a, text)
        except ConflictError:
            kept = desk.export_path(a).with_suffix(".mine.md")
            desk.write_file(kept, text)
            last = desk.last_change("appeals", a.id) or {}
            raise StoreError(f"appeal #{a.id} was saved by {last.get('actor', 'another session')} while you "
                             f"edited; nothing overwritten, your text is kept in {kept}") from None
        click.echo(f"appeal #{saved.id}: saved revision {saved.revision}")
    finally:
        Path(name).unlink(missing_ok=True)


@appeal.command("check")
@click.argument("appeal_id", type=int, metavar="ID")
@click.option("--json", "as_json", is_flag=True)
@common
@click.pass_context
def appeal_check(ctx, appeal_id, as_json, db_path, config_path) -> None:
    """Run the Plan-of-Action checklist; exit 1 when a required check fails."""
    desk = apply_common(ctx, config_path, db_path).desk()
    a = desk.appeal(appeal_id)
    results = desk.check_appeal(a)
    ready = not desk.failing_required(results)
    if as_json:
        print_json({"ready": ready, "checks": [
            {"id": r.id, "status": r.status, "required": r.required, "reason": r.reason, "details": list(r.details)}
            for r in results]})
    else:
        marks = {"pass": "ok  ", "warn": "warn", "fail": "FAIL"}
        for r in results:
            click.echo(f"{marks[r.status]}  {r.label:<20} {r.reason}{'' if r.required else '  (advice)'}")
            for d in (r.details if r.status != "pass" else ()):
                click.echo(f"      {d}")
        click.echo("ready to submit" if ready else "not ready: a required check fails")
    if not ready:
        ctx.exit(1)


@appeal.command("show")
@click.argument("appeal_id", type=int, metavar="ID")
@click.option("--json", "as_json", is_flag=True)
@common
@click.pass_context
def appeal_show(ctx, appeal_id, as_json, db_path, config_path) -> None:
    """Show an appeal: its state and text."""
    desk = apply_common(ctx, config_path, db_path).desk()
    a = desk.appeal(appeal_id)
    data = _appeal_json(desk, a)
    if as_json:
        print_json(data)
        return
    button = data["appeal_button"]
    click.echo(f"appeal #{a.id} for notification #{a.notification_id}: {a.status}, revision {a.revision}, "
               f"by {desk.who(a.author, a.author_os)}")
    if a.reviewed_by:
        status, message = desk.review_standing(a)
        click.echo(f"review: {message}" + ("" if status == "pass" else f" ({status})"))
    click.echo(f"Appeal button: {'spent by ' + button['used_by'] + ' at ' + button['used_at'] if button['used'] else 'unused'}")
    if a.route:
        click.echo(f"submitted via {a.route}{' (' + a.channel + ')' if a.channel else ''}"
                   f"{' case ' + a.case_id if a.case_id else ''}")
    files = data["attachments"]
    click.echo(f"attachments: {len(files)}" + (f" ({', '.join(f['kind'] for f in files)}; `flagdesk appeal "
                                               f"attachments {a.id}`)" if files else ""))
    click.echo("")
    click.echo(a.text)


@appeal.command("export")
@click.argument("appeal_id", type=int, metavar="ID")
@click.option("--out", "out", metavar="FILE", help="Write here (default: standard output).")
@click.option("--bundle", "bundle", metavar="DIR",
              help="Write the submission bundle here: the plan, the attachments named for upload, a manifest.")
@click.option("--force", is_flag=True, help="With --bundle: replace what a folder that is not empty holds.")
@common
@click.pass_context
def appeal_export(ctx, appeal_id, out, bundle, force, db_path, config_path) -> None:
    """The appeal's text alone, to paste into Seller Central; with --bundle, a folder ready for the upload form."""
    desk = apply_common(ctx, config_path, db_path).desk()
    if bundle:
        if out:
            raise click.UsageError("--out and --bundle do not go together")
        a = desk.appeal(appeal_id)
        try:
            folder, manifest = desk.write_bundle(a, Path(bundle), force=force)
        except StoreError as exc:
            if "not empty" in str(exc) and not force:
                raise StoreError(f"{exc}: choose an empty folder, or --force to replace its bundle") from None
            raise
        click.echo(f"Wrote the bundle of appeal #{a.id} to {folder}: the plan, "
                   f"{len(manifest['files'])} attachment{'s' if len(manifest['files']) != 1 else ''}, "
                   "manifest.txt and manifest.json")
        click.echo(f"evidence: {manifest['evidence']['status']}: {manifest['evidence']['reason']}")
        return
    text = desk.appeal(appeal_id).text
    if out:
        try:
            desk.write_file(Path(out), text)
        except OSError as exc:
            raise StoreError(f"{out}: cannot write: {exc.strerror}") from None
        click.echo(f"Wrote {len(text)} characters to {out}", err=True)
    else:
        click.echo(text)


@appeal.command("review")
@click.argument("appeal_id", type=int, metavar="ID")
@common
@click.pass_context
def appeal_review(ctx, appeal_id, db_path, config_path) -> None:
    """Mark the appeal's logic reviewed (a second operator, not the author)."""
    desk = apply_common(ctx, config_path, db_path).desk()
    a = desk.review_appeal(desk.appeal(appeal_id))
    click.echo(f"appeal #{a.id} reviewed by {desk.who(a.reviewed_by, a.reviewed_by_os)}")
    status, message = desk.review_standing(a)
    if status != "pass":  # the same OS user wrote it under another name: recorded, not counted
        click.echo(f"warning: {message}", err=True)


@appeal.command("submit")
@click.argument("appeal_id", type=int, metavar="ID")
@click.option("--via", type=click.Choice(["appeal-button", "contact-us"]), required=True)
@click.option("--channel", type=click.Choice(["email", "phone", "chat"]), help="With --via contact-us.")
@click.option("--case-id", metavar="X", help="The Seller Support case ID (contact-us).")
@click.option("--override", "override", metavar="REASON", help="Submit although required checks fail (audited).")
@click.option("--yes", "-y", is_flag=True, help="Spend the one-time Appeal button without asking.")
@common
@click.pass_context
def appeal_submit(ctx, appeal_id, via, channel, case_id, override, yes, db_path, config_path) -> None:
    """Record that the appeal was sent, and how.

    The Appeal button works once per notification: --via appeal-button asks first, showing the
    notification, the account and the checks that fail; without a terminal to ask it needs --yes."""
    desk = apply_common(ctx, config_path, db_path).desk()
    a = desk.appeal(appeal_id)
    if via == "appeal-button" and not yes:
        n = desk.notification(a.notification_id)
        failing = desk.failing_required(desk.check_appeal(a))
        if not sys.stdin.isatty():
            raise StoreError(f"appeal #{a.id}: the Appeal button of notification #{n.id} can be used once; "
                             "pass --yes to spend it (no terminal to ask)")
        click.echo(f"Spend the Appeal button of notification #{n.id} ({n.account} · {n.marketplace}): "
                   f"{n.subject}", err=True)
        click.echo(f"Checks that fail: {', '.join(failing) if failing else 'none'}", err=True)
        click.confirm("This can be done once. Submit through the Appeal button now?", default=False, err=True,
                      abort=True)
    a = desk.submit_appeal(a, via, channel, case_id, override)
    click.echo(f"appeal #{a.id} submitted via {a.route}")


@appeal.command("outcome")
@click.argument("appeal_id", type=int, metavar="ID")
@click.argument("outcome", type=click.Choice(["accepted", "rejected", "pending"]))
@click.option("--note", metavar="TEXT", help="Amazon's reason, or what is awaited.")
@common
@click.pass_context
def appeal_outcome(ctx, appeal_id, outcome, note, db_path, config_path) -> None:
    """Record Amazon's answer: accepted resolves the notification; rejected keeps the reason."""
    desk = apply_common(ctx, config_path, db_path).desk()
    a = desk.appeal_outcome(desk.appeal(appeal_id), outcome, note)
    click.echo(f"appeal #{a.id}: {outcome}")


@appeal.command("revise")
@click.argument("appeal_id", type=int, metavar="ID")
@common
@click.pass_context
def appeal_revise(ctx, appeal_id, db_path, config_path) -> None:
    """Start a new draft from a rejected appeal (it goes via Contact Us); prints the new id."""
    desk = apply_common(ctx, config_path, db_path).desk()
    click.echo(desk.revise_appeal(desk.appeal(appeal_id)).id)


# --- the evidence locker ---------------------------------------------------------------------------


def _attachment_json(a) -> dict:
    return {"id": a.id, "appeal_id": a.appeal_id, "name": a.name, "kind": a.kind,
            "date": a.doc_date.isoformat() if a.doc_date else None, "asins": list(a.asins), "size": a.size,
            "mime": a.mime, "sha256": a.sha256, "added_at": a.added_at, "added_by": a.added_by,
            "added_by_os": a.added_by_os}


@appeal.command("attach")
@click.argument("appeal_id", type=int, metavar="ID")
@click.argument("path", metavar="FILE")
@click.option("--kind", required=True, metavar="KIND",
              help="invoice, supplier_details, letter_of_authorisation, licence, trademark_registration, photo, "
                   "other.")
@click.option("--date", "doc_date", metavar="YYYY-MM-DD", help="The document's own date (an invoice's date).")
@click.option("--asin", "asins", multiple=True, metavar="ASIN",
              help="An ASIN the document covers (repeat it; default: every ASIN of the notification).")
@common
@click.pass_context
def appeal_attach(ctx, appeal_id, path, kind, doc_date, asins, db_path, config_path) -> None:
    """Attach a document to a draft appeal: PDF, JPG/JPEG, PNG, GIF or TIFF, up to the size limit
    ([appeals] attachment_max_mb, 10 by default). Stored in the database, once per content; prints its id."""
    from console.core.attachments import size_text

    desk = apply_common(ctx, config_path, db_path).desk()
    a = desk.appeal(appeal_id)
    done = desk.attach_file(a, Path(path), kind, doc_date, asins)
    click.echo(done.id)
    click.echo(f"appeal #{a.id}: attached {done.name} as #{done.id} ({done.kind_label}, "
               f"{done.doc_date.isoformat() if done.doc_date else 'undated'}, {', '.join(done.asins) or 'no ASIN'}, "
               f"{size_text(done.size)})", err=True)


@appeal.command("attachments")
@click.argument("appeal_id", type=int, metavar="ID")
@click.option("--json", "as_json", is_flag=True)
@common
@click.pass_context
def appeal_attachments(ctx, appeal_id, as_json, db_path, config_path) -> None:
    """List an appeal's attachments: id, kind, date, ASINs, size, name."""
    from console.cli import table
    from console.core.attachments import size_text

    desk = apply_common(ctx, config_path, db_path).desk()
    found = desk.attachments(desk.appeal(appeal_id))
    if as_json:
        print_json([_attachment_json(a) for a in found])
        return
    if not found:
        click.echo(f"appeal #{appeal_id} has no attachments (flagdesk appeal attach {appeal_id} FILE --kind KIND)")
        return
    rows = [[str(a.id), a.kind_label, a.doc_date.isoformat() if a.doc_date else "-", ",".join(a.asins) or "-",
             size_text(a.size), a.name] for a in found]
    for line in table.render(["ID", "KIND", "DATE", "ASINS", "SIZE", "NAME"], rows, flex=[5, 3], right=[0, 4]):
        click.echo(line)


@appeal.command("detach")
@click.argument("appeal_id", type=int, metavar="ID")
@click.argument("attachment_id", type=int, metavar="ATTACHMENT_ID")
@common
@click.pass_context
def appeal_detach(ctx, appeal_id, attachment_id, db_path, config_path) -> None:
    """Remove an attachment from a draft appeal (audited; the file's bytes stay while another appeal has them)."""
    desk = apply_common(ctx, config_path, db_path).desk()
    gone, removed = desk.detach(desk.appeal(appeal_id), attachment_id)
    click.echo(f"appeal #{appeal_id}: detached #{gone.id} {gone.name}"
               + ("" if removed else " (its bytes stay: another appeal has them too)"))
