"""Bulk triage in the inbox: marks, the changes to the marked rows (or to the whole filter), undo, saved views.

`InboxMarks` is a mixin of `InboxScreen` (before `InboxActions`, whose `action_clear_filter` and palette it
extends): space marks the row and moves down, `V` opens a range (its rows show marked as the cursor moves;
`V` or space again keeps them), `*` marks every notification of the filter (again: unmarks them), esc drops
the range, then the marks, then the filter. `M` marks read and `;` offers every change: with rows marked
they are what it changes, at once; with none marked it is everything the filter shows, after a confirm that
says how many and what would happen to them. Marks are {id: version when marked}, so a notification another
operator changed since is left and reported by the store (console/store/batch.py), and stays marked to be
looked at. `U` undoes the session's last change to many, as a new audited change. `v` picks a saved view.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import SystemCommand

from console.core.errors import StoreError
from console.core.triage import FilterError
from console.tui.screens.bulk_dialogs import BULK_CHOICES, SEVERITY_CHOICES, BulkConfirm, ChoiceDialog
from console.tui.widgets.account_list import AccountList
from console.tui.widgets.notice_list import NoticeList


class InboxMarks:
    """The marks and what acts on them; the keys are bound on InboxScreen."""

    # --- marking -----------------------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        notices = self.query_one(NoticeList)
        if notices.range_anchor is not None:
            self._close_range()
            return
        row = notices.current
        if not row:
            return
        if row["id"] in notices.marks:
            del notices.marks[row["id"]]
        else:
            notices.marks[row["id"]] = row["version"]
        self._marks_changed()
        notices.action_cursor_down()

    def action_mark_range(self) -> None:
        notices = self.query_one(NoticeList)
        if not notices.total:
            return
        if notices.range_anchor is None:
            notices.range_anchor = notices.cursor
            self._marks_changed()
            self.notify("Range from here: move the cursor, then V (or space) to keep it marked; esc drops it",
                        markup=False, timeout=4)
        else:
            self._close_range()

    def _close_range(self) -> None:
        """The open range's rows join the marks (a row marked before keeps the version it was marked at)."""
        notices = self.query_one(NoticeList)
        span = notices.range_span
        notices.range_anchor = None
        if span is not None:
            try:
                picked = self.desk.select_range(self.effective_filter, span[0], span[1] - span[0] + 1)
            except (FilterError, StoreError) as exc:
                self.notify(str(exc), severity="error", markup=False, timeout=8)
                picked = {}
            notices.marks = {**picked, **notices.marks}
        self._marks_changed()

    def action_mark_all(self) -> None:
        """Mark every notification the filter shows, with the count; when all are marked already, unmark them."""
        notices = self.query_one(NoticeList)
        notices.range_anchor = None
        try:
            picked = self.desk.select(self.effective_filter)
        except (FilterError, StoreError) as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=8)
            return
        if picked and all(nid in notices.marks for nid in picked):
            notices.marks = {nid: v for nid, v in notices.marks.items() if nid not in picked}
            self.notify(f"{len(picked):,} unmarked", markup=False, timeout=4)
        else:
            notices.marks = {**picked, **notices.marks}
            self.notify(f"{len(picked):,} marked: every notification in {self.scope_words()}", markup=False,
                        timeout=4)
        self._marks_changed()

    def drop_marks(self) -> bool:
        """Forget the range and the marks (the filter or the account changed, or esc); True if there were any."""
        notices = self.query_one(NoticeList)
        had = bool(notices.marks) or notices.range_anchor is not None
        if had:
            notices.marks, notices.range_anchor = {}, None
            self._marks_changed()
        return had

    def action_clear_filter(self) -> None:
        """esc: the open range first, then the marks, and only then the filter."""
        notices = self.query_one(NoticeList)
        if notices.range_anchor is not None:
            notices.range_anchor = None
            self._marks_changed()
            return
        if self.drop_marks():
            self.notify("Marks cleared (esc again clears the filter)", markup=False, timeout=3)
            return
        super().action_clear_filter()

    def refresh_mark(self, nid: int | None) -> None:
        """This session changed notification nid on its own: a mark on it takes the new version (it is the
        others' changes that a bulk change leaves alone)."""
        notices = self.query_one(NoticeList)
        if nid is not None and nid in notices.marks:
            try:
                notices.marks.update(self.desk.versions([nid]))
            except StoreError:
                pass

    def marked_count(self) -> tuple[int, int]:
        """(rows marked, rows in the open range)."""
        notices = self.query_one(NoticeList)
        span = notices.range_span
        return len(notices.marks), (span[1] - span[0] + 1 if span else 0)

    def _marks_changed(self) -> None:
        self.query_one(NoticeList).marks_changed()
        self.show_flag()

    # --- changing many ------------------------------------------------------------------------

    def action_bulk_read(self) -> None:
        self.bulk("read")

    def action_bulk_menu(self) -> None:
        """`;`: what to do with the marked rows (or, with none marked, with everything in the filter)."""
        notices = self.query_one(NoticeList)
        if notices.range_anchor is not None:
            self._close_range()
        marked = len(notices.marks)
        if marked:
            lines = [f"The {marked:,} marked notification{'s' if marked != 1 else ''}."]
        else:
            lines = [f"Nothing marked: every notification in {self.scope_words()} "
                     f"({notices.exact_total():,}), after a confirm."]

        def chosen(change: str | None) -> None:
            if change:
                self.bulk(change)

        self.app.push_screen(ChoiceDialog("Change many", lines, BULK_CHOICES), chosen)

    def bulk(self, change: str) -> None:
        """Ask what a change needs (an account, a severity), then change the marked rows or the filter."""
        if change == "severity":
            self.app.push_screen(ChoiceDialog("Set the severity", [self._what_words()], SEVERITY_CHOICES),
                                 lambda sev: sev and self._bulk_go("severity", severity=sev))
            return
        if change == "assign":
            from console.tui.screens.modals import AssignAccount

            accounts = self.desk.accounts()

            def chosen(answer) -> None:
                if answer:
                    self._bulk_go("assign", account=answer[0], marketplace=answer[1])

            row = {"id": 0, "subject": self._what_words(), "account_id": None, "marketplace": ""}
            self.app.push_screen(AssignAccount(accounts, row, title="File many under an account"), chosen)
            return
        self._bulk_go(change)

    def _what_words(self) -> str:
        marked = len(self.query_one(NoticeList).marks)
        if marked:
            return f"The {marked:,} marked notification{'s' if marked != 1 else ''}"
        return f"Every notification in {self.scope_words()}"

    def _bulk_go(self, change: str, **options) -> None:
        notices = self.query_one(NoticeList)
        if notices.range_anchor is not None:
            self._close_range()
        if notices.marks:
            self._apply(change, dict(notices.marks), True, **options)
            return
        try:
            targets = self.desk.select(self.effective_filter)
            preview = self.desk.bulk(change, targets, dry_run=True, **options)
        except (FilterError, StoreError) as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False, timeout=10)
            return
        if not targets:
            self.notify("Nothing in this filter to change.", markup=False)
            return
        count = len(targets)
        lines = [f"Nothing is marked: this is every notification in {self.scope_words()}.",
                 f"{count:,} notification{'s' if count != 1 else ''}: {preview.summary(self.desk.me())}.",
                 "Each one is audited; U undoes the whole change."]

        def answered(yes: bool) -> None:
            if yes:
                self._apply(change, targets, False, **options)

        self.app.push_screen(BulkConfirm(f"{preview.title}: {count:,} notification{'s' if count != 1 else ''}?",
                                         lines, yes=preview.title), answered)

    def _apply(self, change: str, targets: dict[int, int], marked: bool, **options) -> None:
        notices = self.query_one(NoticeList)
        note = {"marked": True} if marked else {"query": self.scope_words()}
        try:
            result = self.desk.bulk(change, targets, note=note, **options)
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False, timeout=10)
            return
        self._report(result)
        self._keep_left(result)
        self.reload(cursor=notices.cursor)
        self._keep_keys()

    def _keep_keys(self) -> None:
        """After a change to many the keys go on working (U, v, *): to the list, else, when the change emptied
        it, to the sidebar rather than the filter box, where they would be typed."""
        notices = self.query_one(NoticeList)
        (notices if notices.display else self.query_one(AccountList)).focus()
        self.call_after_refresh(self.desk.checkpoint_soon)  # once the change is on screen

    def _keep_left(self, result) -> None:
        """What was left (changed by someone meanwhile, refused) stays marked, at its version now."""
        notices = self.query_one(NoticeList)
        left = [*result.moved, *result.refused]
        try:
            notices.marks = self.desk.versions(left) if left else {}
        except StoreError:
            notices.marks = {}
        notices.range_anchor = None
        notices.marks_changed()

    def _report(self, result) -> None:
        text = result.summary(self.desk.me())
        if result.moved or result.refused:
            text += " (still marked: look at them, then act again)"
        self.notify(text, title=result.title, severity="warning" if result.left else "information", markup=False,
                    timeout=12)

    def action_undo_bulk(self) -> None:
        last = self.desk.last_bulk
        if last is None:
            self.notify("Nothing to undo: no change to many notifications in this session.", markup=False)
            return
        count = len(last.done)

        def answered(yes: bool) -> None:
            if not yes:
                return
            try:
                result = self.desk.undo_bulk()
            except StoreError as exc:
                self.notify(str(exc), title="Not saved", severity="error", markup=False, timeout=10)
                return
            self._report(result)
            self._keep_left(result)
            self.reload()
            self._keep_keys()

        self.app.push_screen(BulkConfirm(
            f"Undo {last.title.lower()} of {count:,} notification{'s' if count != 1 else ''}?",
            ["Puts back what it changed, as a new audited change.",
             "Any changed by someone since are left as they are."], yes="Undo"), answered)

    # --- saved views ----------------------------------------------------------------------------

    def action_views(self) -> None:
        views = self.desk.views()
        if not views:
            self.notify('No saved views: add them under [views] in the config, e.g. critical = '
                        '"severity:critical status:open"', markup=False, timeout=8)
            return
        counts = {e.view: e.unread for e in self.query_one(AccountList).entries if e.view}
        choices = [(str(i), name, f"{name} ({counts.get(name, 0):,})  {text}")
                   for i, (name, text) in enumerate(views.items(), 1) if i <= 9]
        self.app.push_screen(ChoiceDialog("Saved views", [], choices),
                             lambda name: name and self.show_view(name))

    def show_view(self, name: str) -> None:
        """The saved view in the sidebar (its entry highlighted), the list focused."""
        accounts = self.query_one(AccountList)
        index = next((i for i, e in enumerate(accounts.entries) if e.view == name), None)
        if index is None:
            self.notify(f"There is no view {name}.", markup=False)
            return
        accounts.highlighted = index
        self.query_one(NoticeList).focus()

    # --- the command palette ------------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield from super().palette_commands()
        yield SystemCommand("Mark all in the filter", "Mark every notification the filter shows (*)",
                            self.action_mark_all)
        yield SystemCommand("Clear marks", "Unmark every notification", self.drop_marks)
        for _key, change, label in BULK_CHOICES:
            yield SystemCommand(f"Many: {label.rstrip('…')}",
                                "The marked notifications, else every one in the filter (after a confirm)",
                                lambda c=change: self.bulk(c))
        yield SystemCommand("Undo the last change to many", "Put back what it changed (U)", self.action_undo_bulk)
        for name, text in self.desk.views().items():
            yield SystemCommand(f"View: {name}", text, lambda n=name: self.show_view(n))
