"""The appeal editor's evidence locker (F6) and submission bundle (F9) dialogs.

F6 lists the appeal's attachments (kind, date, ASINs, size, name) with the evidence check's verdict, attaches a
file by its path — completed as it is typed, → accepts — with its kind, date and ASINs, and detaches the one
under the cursor (Delete). F9 asks for a folder and writes the bundle there (console/core/bundle.py).
"""

from __future__ import annotations

import os

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from console.core.attachments import kinds, rules, size_text
from console.core.errors import StoreError
from console.core.textsafe import one_line
from console.tui.screens.base import DeskModal
from console.tui.styles import sheet
from console.tui.widgets.button_row import ButtonRow
from console.tui.widgets.safe_input import SafeInput

ICONS = {"pass": ("✓", "bold green"), "warn": ("!", "bold yellow"), "fail": ("✗", "bold red")}


def complete_path(value: str, folders_only: bool = False) -> str | None:
    """The path typed, completed as far as the names in its folder agree ("inv" -> "invoices/" when that is the
    one name starting so); folders end in "/". Hidden names only when a dot is typed; with `folders_only`, and
    otherwise files of the accepted types only."""
    head, sep, tail = value.rpartition("/")
    folder = os.path.expanduser(head + sep) if sep else "."
    accepted = {f".{e}" for t in rules().types for e in t.extensions}
    names = []
    try:
        with os.scandir(folder or "/") as entries:
            for entry in entries:
                if not entry.name.startswith(tail) or (entry.name.startswith(".") and not tail.startswith(".")):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    continue
                if is_dir:
                    names.append(entry.name + "/")
                elif not folders_only and os.path.splitext(entry.name)[1].lower() in accepted:
                    names.append(entry.name)
    except OSError:
        return None
    common = os.path.commonprefix(names) if names else ""
    return value + common[len(tail):] if len(common) > len(tail) else None


class PathSuggester(Suggester):
    """Completes a path from the file system as it is typed (no cache: files come and go)."""

    def __init__(self, folders_only: bool = False) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.folders_only = folders_only

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value, self.folders_only)


def attachment_row(a, width: int = 70) -> Text:
    """One attachment in the list, on one line of `width` cells: id, short kind, date, first ASIN (+ how many more),
    size, and the name cut with "…" to what is left."""
    asins = a.asins[0] + (f"+{len(a.asins) - 1}" if len(a.asins) > 1 else "") if a.asins else "no ASIN"
    text = Text(no_wrap=True)
    text.append(f"#{a.id:<3}", style="dim")
    text.append(f"{a.kind_short:<10.10}", style="bold")
    text.append(f"{a.doc_date.isoformat() if a.doc_date else 'undated':<11}")
    text.append(f"{asins:<13.13}")
    text.append(f"{size_text(a.size):>7}  ", style="dim")
    room = max(8, width - text.cell_len)
    name = one_line(a.name, 200)
    text.append(name if len(name) <= room else name[: room - 1] + "…")
    return text


def verdict_text(result) -> Text:
    icon, style = ICONS[result.status]
    text = Text()
    text.append(f"{icon} Evidence: ", style=style)
    text.append(result.reason)
    if result.status != "pass":
        for line in result.details[:2]:
            text.append(f"\n  {line}", style="dim")
    return text


class AttachmentsDialog(DeskModal):
    """F6: the appeal's attachments; attach one by path, detach one. Dismisses with whether anything changed."""
    CSS_PATH = [sheet("appeal.tcss")]

    BINDINGS = [
        Binding("escape", "close", "Close", id="attachments_close"),
        Binding("delete", "detach", "Detach", id="attachments_detach",
                tooltip="Detach the attachment under the cursor (audited)"),
    ]

    def __init__(self, appeal) -> None:
        super().__init__()
        self.appeal = appeal
        self.changed = False
        self.found: list = []

    def compose(self) -> ComposeResult:
        n = self.desk.notification(self.appeal.notification_id)
        editable = self.appeal.editable
        with Vertical(id="attachments-box", classes="dialog"):
            yield Static(Text(f"Attachments of appeal #{self.appeal.id}", style="bold"), id="attachments-title")
            yield OptionList(id="attachments-list", compact=True)
            yield Static(id="attachments-verdict")
            if editable:
                yield Label("File (→ completes the path)")
                yield SafeInput(id="attach-path", placeholder="path to a PDF, JPG, PNG, GIF or TIFF",
                                suggester=PathSuggester(), compact=True)
                yield Label("Kind, the document's date, the ASINs it covers")
                with Horizontal(classes="row"):
                    yield Select([(label, kind) for kind, label in kinds().items()], id="attach-kind",
                                 value="invoice", allow_blank=False, compact=True)
                    yield SafeInput(id="attach-date", placeholder="YYYY-MM-DD", compact=True)
                    yield SafeInput(", ".join(n.asins), id="attach-asins", placeholder="ASINs, comma-separated",
                                    compact=True)
            else:
                yield Static(Text(f"Appeal #{self.appeal.id} is {self.appeal.status}: its attachments are what was "
                                  "sent (read-only).", style="dim"))
            with ButtonRow(classes="buttons"):
                if editable:
                    yield Button("Attach", id="attach", variant="primary")
                    yield Button("Detach", id="detach")
                yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.settle_cursors()
        self._refresh_list()
        if self.appeal.editable:
            self.query_one("#attach-path", Input).focus()

    def _refresh_list(self, keep: int | None = None) -> None:
        """The list and the verdict as stored now; the cursor on `keep` (an index) when given."""
        from console.review.checklist import check_evidence

        self.found = self.desk.attachments(self.appeal)
        listing = self.query_one("#attachments-list", OptionList)
        listing.clear_options()
        if self.found:
            # The dialog is 90 cells at most and 96% of the screen; its border, padding, the list's border and a
            # scrollbar take 7.
            width = min(90, self.app.size.width * 96 // 100) - 7
            listing.add_options([Option(attachment_row(a, width), id=str(a.id)) for a in self.found])
            listing.highlighted = min(keep or 0, len(self.found) - 1)
        else:
            listing.add_option(Option(Text("Nothing attached yet.", style="dim"), disabled=True))
        title = self.query_one("#attachments-title", Static)
        total = sum(a.size for a in self.found)
        title.update(Text(f"Attachments of appeal #{self.appeal.id} · {len(self.found)} file"
                          f"{'s' if len(self.found) != 1 else ''} · {size_text(total)}", style="bold"))
        result = check_evidence(self.desk.appeal_context(self.appeal))
        self.query_one("#attachments-verdict", Static).update(verdict_text(result))

    @on(Input.Submitted, "#attach-path, #attach-date, #attach-asins")
    def _submitted(self) -> None:
        self._attach_file()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "attach":
            self._attach_file()
        elif event.button.id == "detach":
            self.action_detach()
        elif event.button.id == "close":
            self.action_close()

    def _attach_file(self) -> None:
        path = self.query_one("#attach-path", Input).value.strip()
        if not path:
            self.notify("Type the path of the file to attach.", severity="warning", markup=False)
            self.query_one("#attach-path", Input).focus()
            return
        kind = str(self.query_one("#attach-kind", Select).value)
        when = self.query_one("#attach-date", Input).value
        asins = [self.query_one("#attach-asins", Input).value]
        try:
            done = self.desk.attach_file(self.appeal, os.path.expanduser(path), kind, when, asins)
        except StoreError as exc:
            self.notify(str(exc), title="Not attached", severity="error", markup=False, timeout=10)
            return
        self.changed = True
        self.query_one("#attach-path", Input).value = ""
        self._refresh_list(keep=len(self.found))
        self.notify(f"Attached {done.name} as #{done.id} ({done.kind_label})", markup=False)
        self.query_one("#attach-path", Input).focus()

    def action_detach(self) -> None:
        if not self.appeal.editable or not self.found:
            return
        index = self.query_one("#attachments-list", OptionList).highlighted
        if index is None or index >= len(self.found):
            return
        chosen = self.found[index]
        try:
            gone, _ = self.desk.detach(self.appeal, chosen.id)
        except StoreError as exc:
            self.notify(str(exc), title="Not detached", severity="error", markup=False, timeout=10)
            return
        self.changed = True
        self._refresh_list(keep=index)
        self.notify(f"Detached #{gone.id} {gone.name}", markup=False)

    def action_close(self) -> None:
        self.dismiss(self.changed)


class BundleDialog(DeskModal):
    """F9: the folder to write the submission bundle to; dismisses with (folder, manifest) once written."""
    CSS_PATH = [sheet("appeal.tcss")]

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_bundle")]

    def __init__(self, appeal) -> None:
        super().__init__()
        self.appeal = appeal

    def compose(self) -> ComposeResult:
        with Vertical(id="bundle-box", classes="dialog"):
            yield Static(Text(f"Write the submission bundle of appeal #{self.appeal.id}", style="bold"))
            yield Static(Text("The plan as text, each attachment named for the upload form, and a manifest of what "
                              "covers which ASIN.", style="dim"))
            yield Label("Folder (→ completes the path)")
            yield SafeInput(str(self.desk.bundle_path(self.appeal)), id="bundle-path", suggester=PathSuggester(True),
                            compact=True)
            yield Checkbox("Replace the bundle in a folder that is not empty", id="bundle-force", compact=True)
            with ButtonRow(classes="buttons"):
                yield Button("Write", id="write", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.settle_cursors()
        self.query_one("#bundle-path", Input).focus()

    @on(Input.Submitted, "#bundle-path")
    def _submitted(self) -> None:
        self._write_bundle()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "write":
            self._write_bundle()
        else:
            self.action_cancel()

    def _write_bundle(self) -> None:
        folder = self.query_one("#bundle-path", Input).value.strip()
        if not folder:
            self.notify("Type the folder to write the bundle to.", severity="warning", markup=False)
            return
        force = self.query_one("#bundle-force", Checkbox).value
        try:
            written = self.desk.write_bundle(self.appeal, os.path.expanduser(folder), force=force)
        except StoreError as exc:
            tail = "; tick \"Replace\" to write over its bundle" if "not empty" in str(exc) else ""
            self.notify(f"{exc}{tail}", title="Not written", severity="error", markup=False, timeout=12)
            return
        self.dismiss(written)

    def action_cancel(self) -> None:
        self.dismiss(None)


def open_attachments(editor) -> None:
    """F6 from the appeal editor (its draft stored): the dialog; on closing, the checklist reads the attachments
    again when any changed."""

    def closed(changed: bool | None) -> None:
        if changed:
            editor.refresh_context()

    editor.app.push_screen(AttachmentsDialog(editor.appeal), closed)


def open_bundle(editor) -> None:
    """F9 from the appeal editor (its draft stored): the folder question, then what was written and the evidence
    check's verdict."""

    def written(done) -> None:
        if not done:
            return
        folder, manifest = done
        n = len(manifest["files"])
        evidence = manifest["evidence"]
        editor.notify(f"Wrote the bundle to {folder}: the plan, {n} attachment{'s' if n != 1 else ''} and the "
                      f"manifest. Evidence: {evidence['status']}: {evidence['reason']}", markup=False, timeout=15,
                      severity="information" if evidence["status"] == "pass" else "warning")

    editor.app.push_screen(BundleDialog(editor.appeal), written)

