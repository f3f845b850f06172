"""The detail pane: the full notice and the fields flagdesk extracted from it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo

from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from console.core.fates import why_line
from console.core.model import Notification
from console.core.textsafe import one_line, shown
from console.core.triage import countdown, relative
from console.tui.emphasis import mono

HISTORY_LINES = 5


def history_line(entry, tz: tzinfo | None = None) -> str:
    """One audit row about a notification, short: "11-27 08:00  maria  status new → read"."""
    from console.core.audit import describe

    d = entry.detail
    if entry.action == "notification.add":
        what = "added" + (f" from {d['source']}" if d.get("source") else "")
    elif entry.action.startswith("notification."):  # claims name the OS user they were taken from
        what = describe(entry, tz)
    else:
        what = f"{entry.action.replace('.', ' ')}: {describe(entry, tz)}"
    at = entry.at.astimezone(tz) if tz else entry.at
    return one_line(f"{at:%m-%d %H:%M}  {entry.who}  {what}", 200)


def notice_text(n: Notification, now: datetime, reading_label: str, cases: list | None = None,
                present: list[tuple[str, str]] | None = None, me: str | None = None,
                history: list | None = None, tz: tzinfo | None = None, owner: str | None = None) -> Text:
    """Everything about one notification as plain Text: stored text is never read as markup.

    present: the other operators on it right now, as (name, 'viewing' | 'editing').
    me: "you" when the claim is this session's; owner: the claim's holder as shown ("maria (os: ops1)").
    history: its audit rows, oldest first (the last few are shown; L opens the whole log).
    """
    # Cleaned when stored; cleaned again here in case a row was written by other means (a raw SQL edit).
    n = replace(n, subject=shown(n.subject), body=shown(n.body), account=shown(n.account),
                marketplace=shown(n.marketplace), policy=shown(n.policy) or None,
                action_taken=shown(n.action_taken) or None, complaint_id=shown(n.complaint_id) or None,
                assignee=shown(n.assignee) or None, asins=[shown(x) for x in n.asins],
                skus=[shown(x) for x in n.skus], order_ids=[shown(x) for x in n.order_ids],
                appeal_button_used_by=shown(n.appeal_button_used_by) or None)
    reading_label = shown(reading_label)
    present = [(shown(a), w) for a, w in present or []]
    text = Text()
    text.append(n.subject + "\n", style="bold")
    text.append(f"#{n.id} · {n.account} · {n.marketplace}", style="dim")
    if not n.marketplace_listed:
        text.append(" (not listed for the account)", style="yellow")
    text.append(f" · {n.status.label}", style="dim")
    if n.assignee:
        who = "you" if me == "you" else shown(owner or n.assignee)
        since = f" {relative(n.claimed_at, now)}" if n.claimed_at else ""
        text.append(f" · claimed by {who}{since}", style="bold" if who != "you" else "dim")
    if present:
        here = ", ".join(f"{actor} ({'editing the appeal' if what == 'editing' else 'viewing'})"
                         for actor, what in present)
        text.append(f"\nHere now: {here}", style="italic yellow")
    text.append("\n\n")
    due = countdown(n.deadline_at, now)
    fields: list[tuple[str, str, str]] = [
        ("Severity", n.severity.value, f"sev-{n.severity.value}"),
        ("Reading", reading_label, ""),
        ("Why", shown(why_line(n.why, n.severity.value, n.corrected)), "dim"),
        ("Received", f"{n.received_at:%Y-%m-%d %H:%M} UTC ({relative(n.received_at, now)})", ""),
    ]
    if n.deadline_at:
        fields.append(("Deadline", f"{n.deadline_at:%Y-%m-%d %H:%M} UTC ({due.text})", "urgent" if due.urgent else ""))
    if n.appeal_button_used_at:
        fields.append(("Appeal", f"button spent by {n.appeal_button_used_by} at "
                                 f"{n.appeal_button_used_at:%Y-%m-%d %H:%M} (next appeal: Help → Contact Us)", "spent"))
    else:
        fields.append(("Appeal", "button unused: press a to write the Plan of Action", ""))
    for label, value in (("Policy", n.policy), ("Action", n.action_taken), ("Complaint", n.complaint_id),
                         ("ASINs", ", ".join(n.asins)), ("SKUs", ", ".join(n.skus)),
                         ("Orders", ", ".join(n.order_ids))):
        if value:
            fields.append((label, value, ""))
    styles = {"dim": "dim", "sev-critical": "bold red", "sev-high": "bold yellow", "urgent": "bold red", "spent": "bold yellow"}
    for label, value, kind in fields:
        text.append(f"{label:>10}  ", style="dim")
        text.append(value + "\n", style=styles.get(kind, ""))
    for case in cases or []:
        overdue = case.overdue(now)
        text.append(f"{'Case':>10}  ", style="dim")
        text.append(f"#{case.id} {shown(case.case_ref) or '(no case ID)'} {case.channel} · {case.status.replace('_', ' ')}"
                    + (f" · follow up {case.follow_up_at:%m-%d}" if case.follow_up_at else "")
                    + (" OVERDUE" if overdue else "") + "\n", style="bold red" if overdue else "")
    if history:
        last = history[-HISTORY_LINES:]
        lines = [history_line(e, tz) for e in last]
        if len(history) > len(last):
            lines.insert(0, f"… {len(history) - len(last)} earlier (L: the whole audit log)")
        for i, line in enumerate(lines):
            text.append(f"{'History' if i == 0 else '':>10}  ", style="dim")
            text.append(line + "\n", style="dim")
    text.append("\n")
    text.append(n.body)
    return text


class DetailPane(ScrollView, can_focus=True):
    """Scrolls with the keyboard when focused (tab), shows the cursor's notification.

    A Line-API view: the text is wrapped once per notification (and per width) and only the lines on
    screen are drawn, so moving the list's cursor repaints this pane without re-laying out the screen.
    """

    PLACEHOLDER = Text("Nothing selected.", style="dim")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text: Text = self.PLACEHOLDER
        self._strips: list[Strip] = []
        self._wrapped_width = -1

    @property
    def plain(self) -> str:
        """What the pane says, as plain text (tests, screen readers of the log)."""
        return self.text.plain

    def show(self, text: Text | None) -> None:
        self.text = mono(text, self.app) if text is not None else self.PLACEHOLDER
        self._wrapped_width = -1
        self.set_reactive(ScrollView.scroll_y, 0)
        self.set_reactive(ScrollView.scroll_x, 0)
        self._rewrap()
        self.refresh()

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wrapped_width:
            return
        console = self.app.console
        strips = []
        for line in self.text.wrap(console, width, overflow="fold"):
            line.end = ""
            strips.append(Strip(list(line.render(console)), line.cell_len))
        self._strips = strips
        self._wrapped_width = width
        size = Size(width, len(strips))
        if size != self.virtual_size:
            # Not the reactive's setter: that would lay the whole screen out again on every cursor move.
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)

    FOCUSED_TITLE = "▶ detail · arrows scroll · tab: back to the list"

    def on_focus(self) -> None:
        self.border_title = self.FOCUSED_TITLE  # the focused pane says so in words, not only in colour

    def on_blur(self) -> None:
        self.border_title = None

    def on_resize(self) -> None:
        self._wrapped_width = -1
        self._rewrap()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        self._rewrap()
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = int(self.scroll_y) + y
        if not 0 <= index < len(self._strips):
            return Strip.blank(width, base)
        strip = self._strips[index].crop_extend(int(self.scroll_x), int(self.scroll_x) + width, None)
        return strip.apply_style(base)
