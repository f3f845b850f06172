"""Importing from the console: a path, an optional account, and the summary when it is done."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from console.core.textsafe import one_line
from console.tui.screens.base import settle_cursors
from console.tui.screens.unsaved import FORM_BINDINGS, GuardsUnsaved
from console.tui.styles import sheet
from console.tui.widgets.button_row import ButtonRow
from console.tui.widgets.safe_input import SafeInput


def summary_text(summary) -> Text:
    text = Text()
    lines = summary.lines()
    text.append(lines[0] + "\n", style="bold red" if summary.failed else "bold green")
    for line in lines[1:]:
        style = "red" if line.startswith("failed") else "yellow" if line.startswith("warning") else "dim"
        # A line names the file as found on disk: a file name can hold escapes and bidi controls too.
        text.append(one_line(line, 2000) + "\n", style=style)
    return text


class ImportScreen(GuardsUnsaved, ModalScreen[None]):
    """Runs the same import as `flagdesk import`, in a worker with its own connection."""
    CSS_PATH = [sheet("appeal.tcss")]

    BINDINGS = [Binding("escape", "close", "Close", id="close_import"), *FORM_BINDINGS]

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box", classes="dialog"):
            yield Static(Text("Import notices", style="bold"))
            # A Static, not a Label: at 80 columns it wraps instead of losing its end.
            yield Static("Path: an .eml, mbox, Maildir, folder, SP-API .json/.jsonl, or a .gz of one", markup=False)
            yield SafeInput(id="import-path", placeholder="/srv/mail/notices")
            yield Label("Account (optional: needed for Selling Partner API files)")
            yield SafeInput(id="import-account", placeholder="leave empty to file by recipient")
            with ButtonRow(classes="buttons"):
                yield Button("Import", id="run", variant="primary")
                yield Button("Close (esc)", id="close")
            with VerticalScroll(id="import-result"):
                yield Static(id="import-summary")

    def on_mount(self) -> None:
        settle_cursors(self)
        self.query_one("#import-path", Input).focus()

    def on_input_submitted(self) -> None:
        self._start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "run":
            self._start()
        else:
            self.action_close()

    def action_close(self) -> None:
        self.leave_or_ask()

    def _start(self) -> None:
        raw = self.query_one("#import-path", Input).value.strip()
        if not raw:
            self.notify("Type the path to import.", severity="warning", markup=False)
            return
        account = self.query_one("#import-account", Input).value.strip() or None
        self.query_one("#import-summary", Static).update(Text("Importing…", style="italic"))
        self.query_one("#import-path", Input).focus()
        self.query_one("#run", Button).disabled = True
        self._run(Path(raw).expanduser(), account)

    @work(thread=True, exclusive=True)
    def _run(self, path: Path, account: str | None) -> None:
        try:
            # Its own connection: the import's transactions stay apart from the screen's reads and writes.
            desk = self.app.desk.sibling()
            try:
                summary = desk.import_paths([path], account)
            finally:
                desk.close()
            result = summary_text(summary)
        except Exception as exc:  # noqa: BLE001 - a worker must report, never take the console down
            result = Text(f"Import stopped: {exc}", style="bold red")
        self.app.call_from_thread(self._done, result)

    def _done(self, result: Text) -> None:
        self.note_saved()  # the path is used: closing now loses nothing
        self.query_one("#import-summary", Static).update(result)
        self.query_one("#run", Button).disabled = False
        self.query_one("#import-path", Input).focus()  # ready for the next path
