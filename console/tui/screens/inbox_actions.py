"""Every action of the inbox: what its keys and its command-palette entries do.

`InboxActions` is a mixin of `InboxScreen`, which keeps the key bindings and whatever these actions read and
refresh (`desk`, `scope`, the filter, `reload`); this module does not import it.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import SystemCommand
from textual.widgets import Input

from console.core.errors import ConflictError, StoreError
from console.core.model import Status
from console.core.triage import Filter
from console.tui.widgets.account_list import AccountList
from console.tui.widgets.detail import DetailPane
from console.tui.widgets.notice_list import NoticeList


class InboxActions:
    """The inbox's action_* methods (the keys are bound on InboxScreen), `_write` that runs their changes
    (the screen's open handler uses it too), and the command-palette entries."""

    def _write(self, change, keep_nid: int | None = None, cursor: int | None = None, changed: int | None = None) -> bool:
        """Run a change through the service API; a refused write is one line, never a crash. `changed`: the
        notification it changes (else keep_nid), whose mark, if marked, takes its new version."""
        try:
            change()
        except ConflictError as exc:
            self.notify(str(exc), title="Not saved", severity="warning", markup=False, timeout=10)
            self.reload()
            return False
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False, timeout=10)
            return False
        self.refresh_mark(changed if changed is not None else keep_nid)
        self.reload(keep_nid=keep_nid, cursor=cursor)
        return True

    def action_mark_read(self) -> None:
        notices = self.query_one(NoticeList)
        row = notices.current
        if not row:
            return
        if row["status"] == "new":
            # The row leaves the unread block, so the next one slides under the cursor.
            self._write(lambda: self.desk.mark_read(row["id"]), cursor=notices.cursor, changed=row["id"])
        else:
            notices.action_cursor_down()

    def action_claim(self) -> None:
        """Claim the notification (atomic: of two racing operators one wins); yours already: release it."""
        from console.tui.screens.modals import TakeOver

        row = self.query_one(NoticeList).current
        if not row:
            return
        nid = row["id"]
        if row.get("assignee") and self.desk.is_me(row["assignee"], row.get("assignee_os")):
            if self._write(lambda: self.desk.release(nid), keep_nid=nid):
                self.notify(f"#{nid} released: anyone may claim it", markup=False)
            return
        try:
            self.desk.claim(nid)
        except ConflictError as exc:
            self.reload(keep_nid=nid)  # show the owner the others already see
            try:
                held = self.desk.notification(nid)
            except StoreError:
                return
            holder = held.assignee
            if holder is None or self.desk.is_me(holder, held.assignee_os):  # it changed hands again meanwhile
                self._write(lambda: self.desk.claim(nid), keep_nid=nid)
                return

            def answered(take: bool) -> None:
                if take and self._write(lambda: self.desk.claim(nid, take_over_from=holder), keep_nid=nid):
                    self.notify(f"#{nid} is yours now (taken over from {self.desk.who(holder, held.assignee_os)})",
                                markup=False)

            self.app.push_screen(TakeOver(nid, row["subject"], str(exc)), answered)
            return
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False, timeout=10)
            return
        self.refresh_mark(nid)
        self.reload(keep_nid=nid)
        self.notify(f"#{nid} claimed by you", markup=False)

    def action_mark_unread(self) -> None:
        row = self.query_one(NoticeList).current
        if row and row["status"] != "new":
            self._write(lambda: self.desk.set_status(row["id"], Status.NEW, row["version"]), keep_nid=row["id"])

    def action_next_unread(self) -> None:
        """The next unread after the cursor, in any account (the scope widens to all when needed)."""
        notices = self.query_one(NoticeList)
        total, unread = self.desk.count(self.effective_filter)
        if unread == 0 and (self.scope.account_ids is not None or self.query_text):
            all_total, all_unread = self.desk.count(Filter())
            if all_unread:
                self.drop_marks()
                self.view_name = None
                self.scope = Filter()
                self.query_filter, self.query_text = Filter(), ""
                self.query_one("#filter", Input).display = False
                self.query_one(AccountList).show(self.desk.sidebar(), keep=(None, None, False))
                self.reload(cursor=0)
                return
        if unread == 0:
            self.notify("No unread notifications. All clear.", markup=False)
            return
        # Unread rows are always the first block of the triage order.
        nxt = notices.cursor + 1 if notices.cursor + 1 < unread else 0
        notices.move_to(nxt)

    def action_close(self) -> None:
        from console.tui.screens.modals import CloseNotice

        row = self.query_one(NoticeList).current
        if not row:
            return

        def done(status: Status | None) -> None:
            if status is not None and self._write(lambda: self.desk.set_status(row["id"], status, row["version"]),
                                                  keep_nid=row["id"]):
                self.notify(f"#{row['id']} {status.label}", markup=False)

        self.app.push_screen(CloseNotice(row["id"], row["subject"]), done)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.value = self.query_text
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        had = bool(self.query_text)
        box.value = ""
        box.display = False
        self.query_filter, self.query_text = Filter(), ""
        self.query_one(NoticeList).focus()
        if had:
            self.reload(cursor=0)

    def action_jump_account(self, number: int) -> None:
        accounts = self.query_one(AccountList)
        index = 0 if number == 0 else accounts.account_index(number)
        if index is None:
            self.notify(f"There is no account {number}.", markup=False)
            return
        accounts.highlighted = index

    def action_cycle_panes(self, step: int = 1) -> None:
        panes = [w for w in (self.query_one(AccountList), self.query_one(NoticeList), self.query_one(DetailPane))
                 if w.display]
        focused = self.focused
        index = panes.index(focused) if focused in panes else 0
        panes[(index + step) % len(panes)].focus()

    def action_assign(self) -> None:
        from console.tui.screens.modals import AssignAccount

        row = self.query_one(NoticeList).current
        if not row:
            return

        def chosen(answer) -> None:
            if answer:
                account, marketplace = answer
                if self._write(lambda: self.desk.assign(row["id"], account, marketplace, row["version"]),
                               keep_nid=row["id"]):
                    self.notify(f"#{row['id']} filed under {account.name} {marketplace}", markup=False)

        self.app.push_screen(AssignAccount(self.desk.accounts(), row), chosen)

    def action_correct(self) -> None:
        """Set the fate, cause or severity by hand (audited, kept on reread), or hand them back to the rules."""
        from console.tui.screens.correct import CorrectReading

        row = self.query_one(NoticeList).current
        if not row:
            return
        n = self.desk.notification(row["id"])

        def chosen(answer) -> None:
            if not answer:
                return
            if answer.get("reset"):
                if self._write(lambda: self.desk.correct(n.id, {}, answer["reason"], n.version, reset=True),
                               keep_nid=n.id):
                    self.notify(f"#{n.id}: fate, cause and severity are the rules' again "
                                "(the next reread sets them)", markup=False)
                return
            if self._write(lambda: self.desk.correct(n.id, answer["changes"], answer["reason"], n.version),
                           keep_nid=n.id):
                after = self.desk.notification(n.id)
                self.notify(f"#{n.id}: {self.desk.reading_label(after.category, after.cause)}, "
                            f"{after.severity.value} (kept when notices are read again)", markup=False)

        self.app.push_screen(CorrectReading(n, self.desk.fate_ids(), self.desk.cause_ids(), self.desk.config.rules()),
                             chosen)

    def _account_in_view(self):
        """The sidebar's account, else the account of the notification under the cursor."""
        ids = self.scope.account_ids
        if ids:
            return next((a for a in self.desk.accounts() if a.id == ids[0]), None)
        row = self.query_one(NoticeList).current
        if row and row["account_id"] is not None:
            return next((a for a in self.desk.accounts() if a.id == row["account_id"]), None)
        return None

    def action_health(self) -> None:
        from console.tui.screens.health import HealthScreen

        account = self._account_in_view()
        if account is None:
            self.notify("Pick an account first (1–9), or a notification of one.", markup=False)
            return
        self.app.push_screen(HealthScreen(account))

    def action_import(self) -> None:
        from console.tui.screens.imports import ImportScreen

        self.app.push_screen(ImportScreen(), lambda _: self.reload())

    def action_appeal(self) -> None:
        from console.tui.screens.appeal import AppealScreen

        row = self.query_one(NoticeList).current
        if row:
            self.app.push_screen(AppealScreen(row["id"]), lambda _: self.reload(keep_nid=row["id"]))

    def action_paste(self) -> None:
        from console.tui.screens.paste import PasteScreen

        if not self.desk.accounts():
            self.notify("Add an account first: flagdesk accounts add NAME --marketplace US", markup=False,
                        severity="warning")
            return

        def saved(nid: int | None) -> None:
            if nid is not None:
                self.reload(keep_nid=nid)
                self.notify(f"Saved notification #{nid}", markup=False)

        scope = self.scope.account_ids[0] if self.scope.account_ids else None
        self.app.push_screen(PasteScreen(account_id=scope, marketplace=(self.scope.marketplaces or [None])[0]),
                             saved)

    def action_add_account(self) -> None:
        from console.tui.screens.modals import AddAccount

        def added(name: str | None) -> None:
            if name:
                self.reload()
                self.notify(f"Added account {name}", markup=False)

        self.app.push_screen(AddAccount(), added)

    # --- the command palette --------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Paste a notice", "Add a notification from its text", self.action_paste)
        yield SystemCommand("Add account", "Add a seller account with its marketplaces", self.action_add_account)
        yield SystemCommand("Contact log", "Every Help → Contact Us case, and logging a new one",
                            self.app.action_contacts)
        yield SystemCommand("Import notices", "Import notice emails or Selling Partner API JSON from a path",
                            self.action_import)
        yield SystemCommand("Account health", "Health snapshots and status history of the account in view",
                            self.action_health)
        yield SystemCommand("File under account", "Assign the selected notification to an account",
                            self.action_assign)
        yield SystemCommand("Next unread", "Jump to the next unread notification", self.action_next_unread)
        yield SystemCommand("All accounts", "Show every account's notifications",
                            lambda: self.action_jump_account(0))
        yield SystemCommand("Filter: unread", "Only unread notifications", lambda: self._preset("status:new"))
        yield SystemCommand("Filter: critical and high", "Only the most severe",
                            lambda: self._preset("severity:critical,high status:open"))
        yield SystemCommand("Filter: open", "Everything not resolved or dismissed", lambda: self._preset("status:open"))
        yield SystemCommand("Claim", "Claim the selected notification (again: release it)", self.action_claim)
        yield SystemCommand("Filter: mine", "What I have claimed and not closed",
                            lambda: self._preset("owner:me status:open"))
        yield SystemCommand("Filter: unclaimed", "Open notifications nobody has claimed",
                            lambda: self._preset("owner:none status:open"))
        yield SystemCommand("Clear filter", "Show everything in scope", self.action_clear_filter)

    def _preset(self, text: str) -> None:
        box = self.query_one("#filter", Input)
        box.value = text
        box.display = True
        self.post_message(Input.Submitted(box, text))
