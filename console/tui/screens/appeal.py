"""The appeal editor: the Plan of Action on the left, the live checklist on the right.

Drafts save themselves 1.5 s after typing stops (and on SIGHUP), every save is a revision, a save
based on an old version opens the conflict dialog instead of overwriting, and the header keeps the
notification and its one-time Appeal button in view.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import TextArea

from console.core.errors import ConflictError, StoreError
from console.core.textsafe import clean, unsafe
from console.core.triage import countdown
from console.tui.emphasis import mono
from console.tui.screens.base import DeskScreen
from console.tui.screens.locker_keys import LockerKeys
from console.tui.screens.unsaved import FORM_BINDINGS, GuardsUnsaved, typed_chars
from console.tui.styles import sheet
from console.tui.widgets.footer import FittingFooter
from console.tui.widgets.hanging import HangingText, text_lines
from console.tui.widgets.plan_area import PlanArea

AUTOSAVE_S = 1.5
CHECK_DEBOUNCE_S = 0.3
HEARTBEAT_S = 15  # presence rows expire after a minute
ICONS = {"pass": ("✓", "bold green"), "warn": ("!", "bold yellow"), "fail": ("✗", "bold red")}
DETAILS_SHOWN = 6  # per check; the rest are counted, and `flagdesk appeal check` lists them all
CHECK_MARKS = {f"{icon} " for icon, _ in ICONS.values()}


def checklist_text(results, ready: bool, sent_status: str | None) -> Text:
    """The checklist: ready or not (or, for a sent appeal, the checks as sent), then each check's reason."""
    text = Text()
    if sent_status is not None:
        text.append(f"{sent_status.capitalize()}: the checks as sent\n\n", style="bold")
    else:
        text.append("Ready to submit\n\n" if ready else "Not ready\n\n", style="bold green" if ready else "bold red")
    for r in results:
        icon, style = ICONS[r.status]
        text.append(f"{icon} ", style=style)
        text.append(r.label, style="bold")
        if not r.required:
            text.append(" (advice)", style="dim")
        text.append("\n  " + r.reason + "\n", style="")
        shown = r.details[:DETAILS_SHOWN] if r.status != "pass" else ()
        for d in shown:
            text.append(f"    {d}\n", style="dim")
        if shown and len(r.details) > len(shown):
            text.append(f"    … +{len(r.details) - len(shown)} more (flagdesk appeal check)\n", style="dim")
    return text


def state_text(desk, a) -> str:
    if a.id == 0:
        return "new draft, stored once you type"
    if a.status == "draft":
        return f"draft, revision {a.revision}, read-write"
    if a.status == "submitted":
        days = (desk.now() - a.submitted_at).days if a.submitted_at else 0
        return f"submitted via {a.route}, pending {days} day{'s' if days != 1 else ''} (read-only)"
    return f"{a.status} (read-only){': ' + a.outcome_note if a.outcome_note else ''}"


def header_text(desk, a) -> Text:
    """The notification, its one-time Appeal button, the appeal's state and who else is editing it."""
    n = desk.notification(a.notification_id)
    used_at, used_by = desk.button_state(n.id)
    text = Text(no_wrap=False)
    text.append(f" Appeal #{a.id} " if a.id else " New appeal ", style="bold reverse")
    text.append(f" {n.account} · {n.marketplace} · {desk.reading_label(n.category, n.cause)}")
    due = countdown(n.deadline_at, desk.now())
    if due.text:
        text.append(" · deadline ")
        text.append(due.text, style="bold red" if due.urgent else "bold")
    text.append("\n ")
    text.append(n.subject, style="bold")
    ids = [*n.asins, *n.order_ids] + ([f"complaint {n.complaint_id}"] if n.complaint_id else [])
    if ids:
        text.append("\n " + ", ".join(ids), style="dim")
    text.append("\n Appeal button: ")
    if used_at:
        text.append(f"spent by {used_by} at {used_at[:16].replace('T', ' ')}", style="bold red")
    else:
        text.append("unused (works once)", style="bold green")
    text.append(f" · {state_text(desk, a)}")
    others = desk.other_editors(a.id) if a.id else []
    if others:
        verb = "is" if len(others) == 1 else "are"
        text.append(f" · {', '.join(others)} {verb} editing this appeal now", style="bold yellow")
    return text


def write_export(desk, appeal, text: str, suffix: str = "") -> str:
    """Write the text to the operator's exports folder: the path, or why it could not be written."""
    path = desk.export_path(appeal)
    if suffix:
        path = path.with_name(path.stem + suffix + path.suffix)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        return f"(could not write {path}: {exc.strerror})"
    return str(path)


class AppealScreen(LockerKeys, GuardsUnsaved, DeskScreen):
    CSS_PATH = [sheet("appeal.tcss")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    # A narrow footer drops these first: y copies too, the bundle is for the end, drafts save by themselves
    # (F6, F10 and esc stay).
    FOOTER_DROP = ("appeal_copy", "appeal_bundle", "appeal_save")
    BINDINGS = [
        Binding("f2", "save", "Save", id="appeal_save", tooltip="Save a revision now (it also saves by itself)"),
        Binding("f3", "revisions", "Revisions", id="appeal_revisions", tooltip="Revisions: diff and restore"),
        Binding("f4", "review", "Reviewed", id="appeal_review", tooltip="Mark the logic reviewed (not the author)"),
        Binding("f5", "submit", "Submit", id="appeal_submit", tooltip="Mark submitted: Appeal button or Contact Us"),
        # F6 is the TextArea's "select line" too: the evidence locker takes it first. F7 stays the TextArea's.
        Binding("f6", "attachments", "Attach", id="appeal_attachments", priority=True,
                tooltip="The evidence locker: attach files by path, list and detach them"),
        Binding("f8", "outcome", "Outcome", id="appeal_outcome", tooltip="Record Amazon's answer"),
        Binding("f9", "bundle", "Bundle", id="appeal_bundle",
                tooltip="Write the submission bundle: the plan, the attachments named for upload, a manifest"),
        Binding("f11,y", "copy_appeal", "Copy", id="appeal_copy", tooltip="Copy the appeal to your clipboard (OSC 52)"),
        Binding("f10", "revise", "Revise", id="appeal_revise", tooltip="New draft from a rejected appeal"),
        Binding("escape", "leave", "Back", id="appeal_leave", priority=True,
                tooltip="Save and go back to the inbox (asks first when the text cannot be saved)"),
        *FORM_BINDINGS,
    ]

    def __init__(self, notification_id: int) -> None:
        super().__init__()
        self.notification_id = notification_id
        self.appeal = None
        self.results = []
        self._check_context = None
        self._own_history: set[str] = set()
        self._saved_text = ""
        self._warned_version: int | None = None

    def compose(self) -> ComposeResult:
        yield HangingText(id="appeal-header")
        with Horizontal(id="appeal-main"):
            yield PlanArea(id="appeal-text", soft_wrap=True, show_line_numbers=False, tab_behavior="indent")
            with VerticalScroll(id="checklist"):  # shift+tab from the text: arrows scroll the whole checklist
                yield HangingText(id="checklist-body")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.settle_cursors()
        try:
            self.appeal = self.desk.peek_appeal(self.notification_id)  # looking is not writing
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            self.dismiss(None)
            return
        self._load(self.appeal)
        self.set_interval(HEARTBEAT_S, self._heartbeat)
        self.watch_writes()
        self._heartbeat()
        self.query_one("#appeal-text", TextArea).focus()

    def _load(self, appeal) -> None:
        """Show an appeal (after opening, a conflict, a revise, a submission)."""
        self.appeal = appeal
        self._check_context = self.desk.appeal_context(appeal)
        self._own_history = self.desk.own_history(appeal)
        area = self.query_one("#appeal-text", TextArea)
        with area.prevent(TextArea.Changed):
            area.text = appeal.text
        area.read_only = not appeal.editable
        self._saved_text = appeal.text
        self.results = self.desk.check_appeal(appeal, appeal.text, self._check_context)
        self._render_header()
        self._render_checklist()

    # --- header and checklist --------------------------------------------------------------

    def _render_header(self) -> None:
        self.query_one("#appeal-header", HangingText).show(
            text_lines(mono(header_text(self.desk, self.appeal), self.app)))

    def _render_checklist(self) -> None:
        read_only = self.appeal is not None and not self.appeal.editable
        text = checklist_text(self.results, not self.desk.failing_required(self.results),
                              self.appeal.status if read_only else None)
        # A check's reason wraps under its words, not under its mark.
        self.query_one("#checklist-body", HangingText).show(text_lines(
            mono(text, self.app), lambda line: 2 if line.plain[:2] in CHECK_MARKS else None))

    # --- typing -----------------------------------------------------------------------------

    @on(TextArea.Changed, "#appeal-text")
    def _typed(self, event: TextArea.Changed) -> None:
        area = event.text_area
        if unsafe(area.text):  # a paste carrying terminal escapes or bidi controls: never drawn raw
            area.load_text(clean(area.text))
            area.move_cursor(area.document.end)
        # One pending timer each, pushed back by every keystroke: a save 1.5 s after typing stops.
        for name, delay, callback in (("_autosave_timer", AUTOSAVE_S, self._autosave),
                                      ("_checks_timer", CHECK_DEBOUNCE_S, self._schedule_checks)):
            timer = getattr(self, name, None)
            if timer is not None:
                timer.stop()
            setattr(self, name, self.set_timer(delay, callback))

    def _schedule_checks(self) -> None:
        self._run_checks(self.query_one("#appeal-text", TextArea).text)

    @work(thread=True, exclusive=True, group="checks")
    def _run_checks(self, text: str) -> None:
        results = self.desk.check_appeal(self.appeal, text, self._check_context, self._own_history)
        self.app.call_from_thread(self._show_results, text, results)

    def _show_results(self, text: str, results) -> None:
        if text == self.query_one("#appeal-text", TextArea).text:
            self.results = results
            self._render_checklist()

    def _autosave(self) -> None:
        self.flush()

    def flush(self) -> bool:
        """Save what is typed if it differs from the last save; True when nothing is left unsaved."""
        refused = self._save_typed()
        if isinstance(refused, ConflictError):
            self._conflict(self.query_one("#appeal-text", TextArea).text)
        elif refused is not None:
            self.notify(str(refused), title="Not saved", severity="error", markup=False, timeout=10)
        return refused is None

    def _save_typed(self) -> StoreError | None:
        """Save what is typed if it differs from the last save: None when nothing is left unsaved, else
        what refused the save (a newer revision by someone else, a locked or read-only database)."""
        if self.appeal is None or not self.appeal.editable:
            return None
        text = self.query_one("#appeal-text", TextArea).text
        if text == self._saved_text:
            return None
        if self.appeal.id == 0:
            return self._create(text)
        try:
            self.appeal = self.desk.save_appeal(self.appeal, text)
        except StoreError as exc:
            return exc
        self._saved_text = text
        self._render_header()
        self._schedule_checks()  # the review check depends on the revision number
        return None

    def _create(self, text: str) -> StoreError | None:
        """The first save of a new appeal stores the draft. When another operator created one meanwhile, theirs
        is loaded and ours kept in a file (as 'take theirs' does after a conflict)."""
        try:
            self.appeal = self.desk.new_appeal(self.notification_id, text)
        except StoreError as exc:
            theirs = self.desk.draft_of(self.notification_id)
            path = write_export(self.desk, theirs, text, suffix="-yours") if theirs else ""
            if theirs is None or path.startswith("(could not"):
                return exc
            self._load(theirs)
            self.notify(f"Someone started appeal #{theirs.id} meanwhile: it is shown now; yours is kept in {path}",
                        severity="warning", markup=False, timeout=15)
            return None
        self._saved_text = text
        self._check_context = self.desk.appeal_context(self.appeal)
        self._render_header()
        self._schedule_checks()
        return None

    def unsaved_chars(self) -> int:
        """What was typed since the last successful save."""
        if self.appeal is None or not self.appeal.editable:
            return 0
        return typed_chars(self._saved_text, self.query_one("#appeal-text", TextArea).text)

    def save_quietly(self) -> str | None:
        """Save without the conflict dialog (leaving, quitting): the reason it was refused, else None. A
        refused save stops the pending autosave too, which would open the dialog over the question."""
        refused = self._save_typed()
        if refused is not None and getattr(self, "_autosave_timer", None) is not None:
            self._autosave_timer.stop()
        return None if refused is None else str(refused)

    def _conflict(self, mine: str) -> None:
        from console.tui.screens.appeal_dialogs import ConflictDialog

        theirs = self.desk.appeal(self.appeal.id)

        def decided(choice: str | None) -> None:
            if choice == "mine":
                try:
                    saved = self.desk.save_appeal(theirs, mine)
                except StoreError as exc:
                    self.notify(str(exc), severity="error", markup=False)
                    return
                self._load(saved)
                self.notify(f"Your text saved as revision {saved.revision}, over {self.desk.who(theirs.author, theirs.author_os)}'s", markup=False)
            elif choice == "theirs":
                path = self._write_export(mine, suffix="-yours")
                if path.startswith("(could not"):
                    self.notify(f"Your text could not be kept {path}: still showing yours", severity="error",
                                markup=False, timeout=12)
                    return
                self._load(theirs)
                self.notify(f"Loaded the saved text; yours is kept in {path}", markup=False, timeout=12)

        # Before the dialog: drop the pending autosave (it would open a second dialog) and the debounced
        # check, and show the checklist of the text being decided on, not the one from before the typing.
        for timer in (getattr(self, "_autosave_timer", None), getattr(self, "_checks_timer", None)):
            if timer is not None:
                timer.stop()
        self.results = self.desk.check_appeal(self.appeal, mine, self._check_context, self._own_history)
        self._render_checklist()
        self.app.push_screen(ConflictDialog(theirs, mine, self.desk.last_change("appeals", theirs.id)), decided)

    def _heartbeat(self) -> None:
        """Presence, and what other sessions changed around the text (none before the first save)."""
        if self.appeal is None or self.appeal.id == 0:
            return
        try:
            if self.appeal.editable:
                self.desk.appeal_heartbeat(self.appeal.id)
        except StoreError:
            pass  # presence is a courtesy; the checks below still run
        self._sync()

    def others_wrote(self) -> None:
        """Another session wrote (PRAGMA data_version moved): look again within a second."""
        if self.appeal is not None and self.appeal.id:
            self._sync()

    def _sync(self) -> None:
        """What other sessions changed: a submission, a review, a newer revision of the text."""
        try:
            fresh = self.desk.appeal(self.appeal.id)
        except StoreError:
            return
        if fresh.status != self.appeal.status:
            if not self.flush():
                self._keep_unsaved()
            self._load(self.desk.appeal(self.appeal.id))
            self.notify(f"Appeal #{fresh.id} is now {fresh.status} (changed by another session)", markup=False)
            return
        if (fresh.reviewed_by, fresh.reviewed_revision) != (self.appeal.reviewed_by, self.appeal.reviewed_revision):
            # Only the review fields: the text and its version stay ours until we save.
            self.appeal.reviewed_by = fresh.reviewed_by
            self.appeal.reviewed_at = fresh.reviewed_at
            self.appeal.reviewed_revision = fresh.reviewed_revision
            self._check_context = self.desk.appeal_context(self.appeal)
            self._schedule_checks()
        self.sync_attachments()  # another operator attached or detached a file: the evidence check reads it
        if fresh.editable and fresh.revision > self.appeal.revision and fresh.version != self.appeal.version:
            last = self.desk.last_change("appeals", fresh.id)
            who = last["actor"] if last else "another session"
            if self.query_one("#appeal-text", TextArea).text == self._saved_text:
                self._load(fresh)  # nothing typed since our last save: show theirs
                self.notify(f"{who} saved revision {fresh.revision}; it is shown now", markup=False)
                return
            if self._warned_version != fresh.version:  # typing goes on undisturbed; F2 will offer both
                self._warned_version = fresh.version
                self.notify(f"{who} saved revision {fresh.revision} while you typed; saving (F2) shows both "
                            "to choose", severity="warning", markup=False, timeout=12)
        self._render_header()

    # --- actions ----------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.flush():
            self.notify(f"Saved revision {self.appeal.revision}", markup=False)

    def action_leave(self) -> None:
        """Save and go back; when the save is refused, ask before the typing is lost (F2 shows a conflict)."""
        self.leave_or_ask(self.save_quietly())

    def close_form(self) -> None:
        if self.appeal is not None and self.appeal.id:
            try:
                self.desk.appeal_heartbeat(self.appeal.id, editing=False)
            except StoreError:
                pass
        self.dismiss(None)

    def contact_context(self) -> dict:
        """F12 from the editor: the log, ready to log a contact about this notification."""
        n = self.desk.notification(self.notification_id)
        return {"account_id": n.account_id, "notification_id": n.id,
                "appeal_id": self.appeal.id if self.appeal is not None and self.appeal.id else None}

    def _keep_unsaved(self) -> None:
        """Before showing another text, put what is typed but unsaved in a file and say where."""
        text = self.query_one("#appeal-text", TextArea).text
        if text != self._saved_text:
            path = self._write_export(text, suffix="-unsaved")
            self.notify(f"Your unsaved text is kept in {path}", severity="warning", markup=False, timeout=15)

    def _stored(self) -> bool:
        """Flush what is typed; False (and a word why) while nothing is stored yet."""
        if not self.flush():
            return False
        if self.appeal.id == 0:
            self.notify("Nothing is stored yet: write the appeal first.", markup=False)
            return False
        return True

    def action_review(self) -> None:
        if not self._stored():
            return
        try:
            self._load(self.desk.review_appeal(self.appeal))
        except StoreError as exc:
            self.notify(str(exc), severity="warning", markup=False, timeout=8)
            return
        self.notify(f"Marked reviewed by {self.desk.me()}", markup=False)

    def action_submit(self) -> None:
        from console.tui.screens.appeal_dialogs import SubmitDialog

        if not self.appeal.editable:
            self.notify(f"Appeal #{self.appeal.id} is already {self.appeal.status}.", markup=False)
            return
        if not self._stored():
            return
        self.results = self.desk.check_appeal(self.appeal, self.appeal.text, self._check_context)
        self._render_checklist()
        used_at, used_by = self.desk.button_state(self.appeal.notification_id)
        failing = [r for r in self.results if r.required and r.status == "fail"]

        def chosen(answer: dict | None) -> None:
            if not answer:
                return
            try:
                done = self.desk.submit_appeal(self.appeal, answer["route"], answer.get("channel"),
                                               answer.get("case_id"), answer.get("override"))
            except StoreError as exc:
                self.notify(str(exc), title="Not submitted", severity="error", markup=False, timeout=10)
                return
            self._load(done)
            self.notify(f"Appeal #{done.id} marked submitted via {done.route}", markup=False)

        self.app.push_screen(SubmitDialog(button_spent_by=used_by if used_at else None, failing=failing,
                                          suggested=self.appeal.route,
                                          notice=self.desk.notification(self.notification_id)), chosen)

    def action_outcome(self) -> None:
        from console.tui.screens.appeal_dialogs import OutcomeDialog

        if self.appeal.status == "draft":
            self.notify("Submit the appeal first (F5).", markup=False)
            return

        def chosen(answer: tuple[str, str] | None) -> None:
            if not answer:
                return
            try:
                self._load(self.desk.appeal_outcome(self.appeal, *answer))
            except StoreError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            tail = " — F10 starts a revised draft (via Contact Us)" if answer[0] == "rejected" else ""
            self.notify(f"Outcome: {answer[0]}{tail}", markup=False, timeout=10)

        self.app.push_screen(OutcomeDialog(), chosen)

    def action_revise(self) -> None:
        if self.appeal.status != "rejected":
            self.notify("Only a rejected appeal can be revised.", markup=False)
            return
        try:
            self._load(self.desk.revise_appeal(self.appeal))
        except StoreError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(f"New draft #{self.appeal.id} from the rejected text; it goes via Contact Us.", markup=False)

    def action_revisions(self) -> None:
        from console.tui.screens.appeal_dialogs import RevisionsScreen

        if not self._stored():
            return

        def restored(number: int | None) -> None:
            if number is None:
                return
            try:
                self._load(self.desk.restore_revision(self.appeal, number))
            except StoreError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify(f"Restored revision {number} as revision {self.appeal.revision}", markup=False)

        self.app.push_screen(RevisionsScreen(self.desk.appeal_revisions(self.appeal.id),
                                             editable=self.appeal.editable), restored)

    def _write_export(self, text: str, suffix: str = "") -> str:
        return write_export(self.desk, self.appeal, text, suffix)

    def action_copy_appeal(self) -> None:
        text = self.query_one("#appeal-text", TextArea).text
        self.app.copy_to_clipboard(text)
        path = self._write_export(text)
        self.notify(f"Sent {len(text):,} characters to your clipboard (OSC 52; under tmux it needs "
                    f"set-clipboard on). Also saved to {path}", markup=False, timeout=12)
