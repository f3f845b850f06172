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

    def sync_attachments(self) -> None:
        """When the stored attachments are not those the checklist last read (another session changed them),
        read them again."""
        if self._check_context is None or not self.appeal.id:
            return
        stored = tuple(a.id for a in self.desk.attachments(self.appeal))
        if stored != tuple(a.id for a in self._check_context.attachments):
            self.refresh_context()
