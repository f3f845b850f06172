"""Help: the keys actually in force on the screen it was opened from (after any [keymap] remapping)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from console.tui.styles import sheet

FILTER_HELP = """Filter (/): words are searched in subject and body (FTS5: OR, NOT, "exact phrase", prefix*).
Qualifiers: account:north  status:new|read|in_progress|appealed|resolved|dismissed|open|closed
            severity:critical,high  category:account_deactivated (the fate)  cause:ip_complaint
            marketplace:DE  (flagdesk fates lists every fate and cause)
            owner:me (claimed by you)  owner:none (unclaimed)  owner:maria
            due:24h, due:3d (open, deadline within that time)  due:overdue  view:NAME (a saved view)
Marks: space, V (a range), * (all in the filter); M and ; change the marked rows, else all in the filter.
Order of the inbox: unread first, then severity, then nearest deadline, then newest."""


def key_label(keys: str) -> str:
    names = {"question_mark": "?", "slash": "/", "escape": "esc", "enter": "enter", "pagedown": "pgdn",
             "pageup": "pgup", "shift+tab": "shift+tab", "asterisk": "*", "semicolon": ";"}
    return ", ".join(names.get(k, k) for k in keys.split(","))


class HelpScreen(ModalScreen[None]):
    CSS_PATH = [sheet("help.tcss")]
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="close_help", tooltip="Close help"),
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

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Keys\n\n", style="bold")
        for keys, desc in self.rows:
            text.append(f"{keys:>16}  ", style="bold")
            text.append(desc + "\n")
        text.append(f"{'ctrl+p':>16}  ", style="bold")
        text.append("Command palette: the console's actions by name\n\n")
        text.append(FILTER_HELP, style="dim")
        with VerticalScroll(id="help-box"):
            yield Static(text, id="help-text")
