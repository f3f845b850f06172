"""The appeal editor's F6 and F9 (its BINDINGS declare the keys): the evidence locker and the submission bundle of
a stored draft, or of a sent appeal as it was sent. The dialogs (console/tui/screens/attachments.py) load on the
first press, not with the editor."""

from __future__ import annotations


class LockerKeys:
    def action_attachments(self) -> None:
        from console.tui.screens.attachments import open_attachments

        if not self.appeal.editable or self._stored():
            open_attachments(self)

    def action_bundle(self) -> None:
        from console.tui.screens.attachments import open_bundle

        if not self.appeal.editable or self._stored():
            open_bundle(self)

    def refresh_context(self) -> None:
        """What the checklist knows besides the text changed (the attachments): build it again, check again."""
        self._check_context = self.desk.appeal_context(self.appeal)
        self._schedule_checks()
