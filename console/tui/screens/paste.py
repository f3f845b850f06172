"""Adding a notice by pasting it: flagdesk reads the fields, the operator confirms or corrects, then saves."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from console.core.clock import parse_iso, to_iso
from console.core.errors import DuplicateNoticeError, StoreError
from console.core.model import Extracted
from console.core.reading import SEVERITIES
from console.core.textsafe import clean, unsafe
from console.tui.screens.base import DeskScreen
from console.tui.screens.unsaved import FORM_BINDINGS, GuardsUnsaved, typed_chars
from console.tui.styles import sheet
from console.tui.widgets.button_row import ButtonRow
from console.tui.widgets.footer import FittingFooter
from console.tui.widgets.safe_input import SafeInput

# Input id -> the Extracted attribute it shows; lists are edited comma-separated.
TEXT_FIELDS = ("subject", "policy", "asins", "skus", "order_ids", "complaint_id", "deadline_at", "action_taken")
LABELS = {"subject": "Subject", "policy": "Policy", "asins": "ASINs", "skus": "SKUs", "order_ids": "Order IDs",
          "complaint_id": "Complaint ID", "deadline_at": "Deadline (UTC)", "action_taken": "Action taken"}


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, datetime):
        return to_iso(value)
    return str(value)


def scrub(area: TextArea) -> None:
    """A paste can carry terminal escapes, C1 and bidi controls, which the editor would draw raw (straight to
    the terminal): keep the text without them, as it would be saved."""
    if unsafe(area.text):
        area.load_text(clean(area.text))
        area.move_cursor(area.document.end)


class DuplicateDialog(ModalScreen[str | None]):
    """The notice looks like a stored one: open that one, save this anyway, or keep editing (the default)."""
    CSS_PATH = [sheet("paste.tcss")]

    BINDINGS = [Binding("escape", "choose('')", "Keep editing", id="keep_editing")]

    def __init__(self, found: DuplicateNoticeError) -> None:
        super().__init__()
        self.found = found

    def compose(self) -> ComposeResult:
        f = self.found
        with Vertical(id="duplicate-box"):
            yield Static(Text("Already stored?", style="bold"))
            yield Static(Text(f"Looks like #{f.nid}, received {f.received_at:%Y-%m-%d %H:%M} UTC ({f.why})"),
                         id="duplicate-message")
            with ButtonRow(classes="buttons"):
                yield Button("Keep editing (esc)", id="keep", variant="primary")
                yield Button(f"Open #{f.nid}", id="open")
                yield Button("Save anyway", id="save-anyway", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose("" if event.button.id == "keep" else event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)


class PasteScreen(GuardsUnsaved, DeskScreen):
    CSS_PATH = [sheet("paste.tcss")]
    BINDINGS = [
        Binding("f2", "save", "Save", id="save_notice", tooltip="Save the notice with these fields"),
        Binding("escape", "cancel", "Cancel", id="cancel_paste",
                tooltip="Leave without saving (asks first when something is typed)"),
        *FORM_BINDINGS,
    ]

    def __init__(self, account_id: int | None = None, marketplace: str | None = None) -> None:
        super().__init__()
        self.start_account_id = account_id
        self.start_marketplace = marketplace
        self.extracted: Extracted | None = None
        self._auto: dict[str, str] = {}  # what extraction last put in each field
        self.touched: set[str] = set()  # fields the operator changed by hand: extraction leaves them alone

    def compose(self) -> ComposeResult:
        accounts = self.desk.accounts()
        start = next((a for a in accounts if a.id == self.start_account_id), accounts[0])
        start_mp = self.start_marketplace if self.start_marketplace in start.marketplaces else start.marketplaces[0]
        rules = self.desk.config.rules()
        fates = [(r.label, r.id) for r in rules.fates]
        causes = [(r.label, r.id) for r in rules.causes] + [("Other", "other")]
        yield Static(Text("Paste a notice", style="bold"), id="paste-title")
        with Horizontal(id="paste-main"):
            with Vertical(id="paste-left"):
                yield Label("Notice text (paste it here)")
                yield TextArea(id="notice-text", soft_wrap=True, show_line_numbers=False)
            with VerticalScroll(id="paste-fields"):
                yield Label("Account")
                yield Select([(Text(a.name), a.id) for a in accounts], id="account", allow_blank=False,
                             value=start.id, compact=True)
                yield Label("Marketplace")
                yield Select([(mp, mp) for mp in start.marketplaces], id="marketplace", allow_blank=False,
                             value=start_mp, compact=True)
                yield Label("Received (UTC)")
                yield SafeInput(to_iso(self.desk.now()), id="received_at", compact=True)
                yield Label("Fate")
                yield Select(fates, id="category", allow_blank=False, value="information", compact=True)
                yield Label("Cause")
                yield Select(causes, id="cause", allow_blank=False, value="other", compact=True)
                yield Label("Severity")
                yield Select([(s, s) for s in SEVERITIES], id="severity", allow_blank=False, value="medium",
                             compact=True)
                for name in TEXT_FIELDS:
                    yield Label(LABELS[name])
                    yield SafeInput(id=name, compact=True)
                with ButtonRow(id="paste-buttons"):
                    yield Button("Save (F2)", id="save", variant="primary")
                    yield Button("Cancel (esc)", id="cancel")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.settle_cursors()
        self.query_one("#notice-text", TextArea).focus()

    # --- extraction -----------------------------------------------------------------------

    @on(TextArea.Changed, "#notice-text")
    def _text_changed(self, event: TextArea.Changed) -> None:
        scrub(event.text_area)
        self.set_timer(0.25, self.refresh_fields, name="extract")

    def refresh_fields(self) -> None:
        """Re-read the fields from the text, leaving alone what the operator typed."""
        text = self.query_one("#notice-text", TextArea).text
        received = self._received_at() or self.desk.now()
        self.extracted = x = self.desk.extract(text, received)
        for name in TEXT_FIELDS:
            self._set_auto(name, _shown(getattr(x, name)))
        self._set_auto("category", x.category)
        self._set_auto("cause", x.cause)
        self._set_auto("severity", x.severity)
        if x.marketplace and "marketplace" not in self.touched:
            mp = self.query_one("#marketplace", Select)
            if any(value == x.marketplace for _label, value in mp._options):
                self._set_auto("marketplace", x.marketplace)

    def _set_auto(self, name: str, value: str) -> None:
        if name in self.touched:
            return
        self._auto[name] = value
        widget = self.query_one(f"#{name}")
        with widget.prevent(Input.Changed, Select.Changed):
            widget.value = value

    @on(Input.Changed)
    @on(Select.Changed)
    def _field_changed(self, event) -> None:
        name = event.control.id
        if name == "account":
            self._account_changed(event.value)
            return
        if name in self._auto and str(event.value) != self._auto[name]:
            self.touched.add(name)

    def _account_changed(self, account_id) -> None:
        account = next((a for a in self.desk.accounts() if a.id == account_id), None)
        if account is None:
            return
        mp = self.query_one("#marketplace", Select)
        mp.set_options([(m, m) for m in account.marketplaces])
        wanted = self.extracted.marketplace if self.extracted else None
        mp.value = wanted if wanted in account.marketplaces else account.marketplaces[0]

    def _received_at(self) -> datetime | None:
        try:
            return parse_iso(self.query_one("#received_at", Input).value)
        except ValueError:
            return None

    # --- saving ---------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.leave_or_ask()

    def unsaved_chars(self) -> int:
        """The notice text, and what the operator typed over the fields (not what extraction filled in)."""
        baseline = self._baseline or {}
        typed = len(self.query_one("#notice-text", TextArea).text)
        received = self.query_one("#received_at", Input)
        typed += typed_chars(baseline.get(received, received.value), received.value)
        for name in TEXT_FIELDS:
            typed += typed_chars(self._auto.get(name, ""), self.query_one(f"#{name}", Input).value)
        return typed

    def _error(self, message: str) -> None:
        self.notify(message, title="Not saved", severity="error", markup=False, timeout=8)

    def action_save(self) -> None:
        text = clean(self.query_one("#notice-text", TextArea).text)
        if not text.strip():
            self._error("Paste the notice text first.")
            return
        received = self._received_at()
        if received is None:
            self._error("Received must be a time like 2026-11-27T08:00:00Z.")
            return
        self.refresh_fields()
        x = self.extracted
        value = {name: self.query_one(f"#{name}", Input).value.strip() for name in TEXT_FIELDS}
        deadline = None
        if value["deadline_at"]:
            try:
                deadline = parse_iso(value["deadline_at"])
            except ValueError:
                self._error("Deadline must be a time like 2026-11-30T23:59:59Z, or empty.")
                return
        split = lambda s: [p.strip() for p in s.split(",") if p.strip()]  # noqa: E731
        fields = Extracted(
            subject=value["subject"] or x.subject, body=x.body, asins=split(value["asins"]),
            skus=split(value["skus"]), order_ids=split(value["order_ids"]),
            complaint_id=value["complaint_id"] or None, policy=value["policy"] or None, deadline_at=deadline,
            deadline_text=x.deadline_text if deadline == x.deadline_at else "set by hand",
            action_taken=value["action_taken"] or None,
            category=str(self.query_one("#category", Select).value),
            severity=str(self.query_one("#severity", Select).value), marketplace=None,
            cause=str(self.query_one("#cause", Select).value), why=x.why,
        )
        # What the operator chose over the reading is theirs: a reread leaves it as they set it.
        corrected = [name for name in ("category", "cause", "severity") if name in self.touched]
        account_id = self.query_one("#account", Select).value
        account = next(a for a in self.desk.accounts() if a.id == account_id)
        marketplace = str(self.query_one("#marketplace", Select).value)
        self._add(lambda allow: self.desk.add_notice(account, marketplace, fields, received, source="paste",
                                                     allow_duplicate=allow, corrected=corrected))

    def _add(self, add, allow_duplicate: bool = False) -> None:
        """Store the notice; one that looks like a stored notice asks first (open it, save anyway, keep editing)."""
        try:
            nid = add(allow_duplicate)
        except DuplicateNoticeError as exc:
            found = exc
            self.app.push_screen(DuplicateDialog(found), lambda choice: self._duplicate(choice, found.nid, add))
            return
        except StoreError as exc:
            self._error(str(exc))
            return
        self.dismiss(nid)

    def _duplicate(self, choice: str | None, nid: int, add) -> None:
        if choice == "save-anyway":
            self._add(add, allow_duplicate=True)
        elif choice == "open":
            # Nothing new is stored: leave the form and show the stored notice in the inbox below.
            below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
            self.dismiss(None)
            if hasattr(below, "reload"):
                below.reload(keep_nid=nid)
            self.app.notify(f"Notification #{nid} was already stored: it is selected", markup=False)
