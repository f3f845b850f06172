"""Help: the keys actually in force on the screen it was opened from (after any [keymap] remapping)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from console.tui.styles import sheet
from console.tui.widgets.hanging import HangingText

# (label, text): the label in the key column, the text beside it, wrapped under itself.
FILTER_HELP = [
    ("Filter (/)", 'words are searched in subject and body (FTS5: OR, NOT, "exact phrase", prefix*)'),
    ("Qualifiers", "account:north"),
    ("", "status:new|read|in_progress|appealed|resolved|dismissed|open|closed"),
    ("", "severity:critical,high"),
    ("", "category:account_deactivated (the fate)  cause:ip_complaint"),
    ("", "marketplace:DE  (flagdesk fates lists every fate and cause)"),
    ("", "owner:me (claimed by you)  owner:none (unclaimed)  owner:maria"),
    ("", "due:24h, due:3d (open, deadline within that time)  due:overdue  view:NAME (a saved view)"),
    ("Marks", "space, V (a range), * (all in the filter); M and ; change the marked rows, else all in the "
              "filter"),
    ("Order", "unread first, then severity, then nearest deadline, then newest"),
]

# Which pane has the keys, in words (the inbox).
FOCUS_HELP = [
    ("Focus", "enter reads the notification in the detail pane and the list keeps the keys (j/k/g still "
              "move it); tab moves into the detail on purpose, and back. The pane with the keys is marked: "
              "▶ before the list's header, a heavy border on the sidebar and the detail, which also says "
              "\"▶ detail\". esc from the contact log gives the keys back to the list."),
    ("Narrow", "under 90 columns the sidebar hides itself (s shows or hides it); at 80 columns the list "
               "drops the received time and folds the marketplace into the account before it cuts the "
               "subject; presence and claims become marks: ◉ someone is looking, ✎ editing, @ claimed."),
]

KEY_W = 16  # the key column, right-aligned


def key_label(keys: str) -> str:
    names = {"question_mark": "?", "slash": "/", "escape": "esc", "enter": "enter", "pagedown": "pgdn",
             "pageup": "pgup", "shift+tab": "shift+tab", "asterisk": "*", "semicolon": ";"}
    return ", ".join(names.get(k, k) for k in keys.split(","))


class HelpScreen(ModalScreen[None]):
    CSS_PATH = [sheet("help.tcss")]
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="close_help", tooltip="Close help"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="help_down", tooltip="Scroll help down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help_up", tooltip="Scroll help up"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="help_page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="help_page_up"),
    ]

    def __init__(self, bindings: dict[str, ActiveBinding]) -> None:
        super().__init__()
        self.rows = self._rows(bindings)

    @staticmethod
    def _rows(bindings: dict[str, ActiveBinding]) -> list[tuple[str, str]]:
        """One row per flagdesk binding (those with an id), keys joined, in declaration order."""
        by_id: dict[str, tuple[list[str], str]] = {}
        numbers: list[str] = []
        for key, active in bindings.items():
            b = active.binding
            if not b.id or b.system:
                continue
            if b.id.startswith("account_"):
                numbers.append(key)
                continue
            keys, _ = by_id.setdefault(b.id, ([], b.tooltip or b.description or b.action))
            keys.append(key)
        rows = [(key_label(",".join(keys)), desc) for keys, desc in by_id.values()]
        if numbers:
            rows.append((f"{min(numbers)}–{max(numbers)}", "Jump to the Nth account in the sidebar"))
        return rows

    def lines(self) -> list[tuple[Text, int]]:
        """Every line of help with its hanging indent: a description wraps under itself, not under its key."""
        out: list[tuple[Text, int]] = [(Text("Keys", style="bold"), 0), (Text(), 0)]

        def row(label: str, desc: str, label_style: str = "bold", style: str = "") -> None:
            line = Text()
            line.append(f"{label:>{KEY_W}}  ", style=label_style)
            line.append(desc, style=style)
            out.append((line, KEY_W + 2))

        for keys, desc in self.rows:
            row(keys, desc)
        row("ctrl+p", "Command palette: the console's actions by name")
        out.append((Text(), 0))
        for label, desc in FOCUS_HELP:
            row(label, desc)
        out.append((Text(), 0))
        for label, desc in FILTER_HELP:
            row(label, desc, "bold", "")
        return out

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield HangingText(id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-text", HangingText).show(self.lines())
        self.query_one("#help-box").focus()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help-box", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        box = self.query_one("#help-box", VerticalScroll)
        box.scroll_relative(y=pages * max(box.size.height - 1, 1), animate=False)
