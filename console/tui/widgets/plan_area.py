"""The appeal editor's text area: a document pasted from Word or Google Docs arrives as a typed draft.

A paste (the terminal's bracketed paste) carries a word processor's bullets ("•", "●", "" and a tab),
numbers with tabs, non-breaking and zero-width spaces and its line separators; they are turned into what
a typed draft holds ("- " bullets, "1. " numbers, plain spaces, one newline per line) before the text is
inserted, so that the draft keeps its structure, shows as typed and is read as typed
(console/review/text.py `paste`). Words and quotes stay as they were; terminal escapes never get in.
"""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from console.core.textsafe import clean
from console.review.text import paste


class PlanArea(TextArea):
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # F6 is the editor's evidence locker, not the TextArea's "select line": without this, the footer would
        # list F6 where the TextArea's own keys sit (first) rather than in the editor's order.
        if action == "select_line":
            return False
        return super().check_action(action, parameters)

    def on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # instead of TextArea's own paste, which inserts the text as it came
        if self.read_only:
            return
        result = self.replace(clean(paste(event.text)), *self.selection)
        self.move_cursor(result.end_location)
        self.focus()
