"""The account sidebar: All accounts and each account with its own red unread count."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from console.core.textsafe import one_line
from console.desk import SidebarEntry
from console.tui.emphasis import mono

# Account health in the sidebar: the AHR band's colour (or the account status), with a symbol so that it
# still reads without colour.
HEALTH_MARKS = {
    "healthy": ("●", "green"), "normal": ("●", "green"),
    "at_risk": ("▲", "yellow"), "warning": ("▲", "yellow"),
    "unhealthy": ("✖", "bold red"), "deactivated": ("✖", "bold red"), "suspended": ("✖", "bold red"),
}


# An account's state (console/core/data/fates.toml) on the line under its name: capitals and a mark, so that
# "which account cannot sell right now" reads at a glance and without colour.
STATE_MARKS = {
    "deactivated": ("✖", "bold red"), "under review": ("◆", "bold yellow"), "at risk": ("▲", "bold yellow"),
    "funds held": ("$", "bold yellow"),
}


class AccountList(OptionList):
    """Choosing an entry filters the inbox to it; names are shown literally (never as markup)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.entries: list[SidebarEntry] = []
        self._rendered_width: int | None = None  # the width the options were last built for

    def show(self, entries: list[SidebarEntry], keep: tuple | None = None) -> None:
        """Replace the entries, keeping the highlighted one where it still exists. keep: (account id,
        marketplace[, unassigned[, view]]) of the entry to highlight instead."""
        if keep is None and self.entries and self.highlighted is not None and self.highlighted < len(self.entries):
            e = self.entries[self.highlighted]
            keep = (e.account_id, e.marketplace, e.unassigned, e.view)
        old = self.entries
        self.entries = entries
        width = self._label_width()
        if width == self._rendered_width and len(old) == len(entries) and all(
                (a.account_id, a.marketplace, a.unassigned, a.state, a.view) == (
                    b.account_id, b.marketplace, b.unassigned, b.state, b.view)
                for a, b in zip(old, entries)):
            # The same lines with other counts (a mark read, a refresh): replace only the lines that changed;
            # rebuilding every option costs a frame at 50 accounts.
            changed = []
            for i, (e, number) in enumerate(entries_with_numbers(entries)):
                if e != old[i]:
                    self._set_label(i, mono(self._label(e, number, width), self.app))
                    changed.append(i)
            self._refresh_options(changed)
        else:
            self._render_options()
        index = 0
        if keep is not None:
            want = (*keep, *(False, None)[len(keep) - 2:])
            for i, e in enumerate(entries):
                if (e.account_id, e.marketplace, e.unassigned, e.view) == want:
                    index = i
                    break
        with self.prevent(OptionList.OptionHighlighted):
            self.highlighted = index if entries else None

    def _set_label(self, index: int, label: Text) -> None:
        """A new prompt for one single-line option, dropping only that option's cached render.

        OptionList's own replace_option_prompt_at_index drops every option's cached lines and heights,
        which costs several milliseconds per refresh with 50 accounts; each label here is one line, so the
        heights never change. Falls back to the public method if Textual's internals differ.
        """
        option = self.get_option_at_index(index)
        cache = getattr(self, "_option_render_cache", None)
        if cache is None or not hasattr(option, "_set_prompt"):
            self.replace_option_prompt_at_index(index, label)
            return
        option._set_prompt(label)
        for key in [k for k in cache.keys() if k[0] is option]:
            cache.discard(key)

    def _refresh_options(self, indexes: list[int]) -> None:
        """Repaint only the lines of these options (a mark read changes two or three of 200): repainting the
        whole sidebar was a third of the key's paint at 200 accounts. Falls back to a full refresh if
        Textual's line map is not there."""
        if not indexes:
            return
        lines = getattr(self, "_index_to_line", None)
        heights = getattr(self, "_heights", None)
        if not isinstance(lines, dict) or not isinstance(heights, dict) or any(i not in lines for i in indexes):
            self.refresh()
            return
        for i in indexes:
            self.refresh_lines(lines[i], heights.get(i, 1))

    def _label_width(self) -> int:
        return max((self.size.width or 26) - 2, 12)

    @staticmethod
    def _label(entry: SidebarEntry, number: int, width: int) -> Text:
        """One entry's line: the name cut to fit so that the red count always shows; an account with a state
        (deactivated, under review, at risk, funds held) gets a second line saying it, in words and a mark
        that read without colour."""
        prefix = "   " if entry.marketplace else ("" if entry.account_id is None else
                                                  f"{number if number < 10 else ' '} ")
        if entry.view:  # a saved view: a mark, so that it does not read as an account
            prefix = "≡ "
        mark, mark_style = HEALTH_MARKS.get(entry.health or "", ("", ""))
        count = f" {entry.unread} " if entry.unread else ""
        room = width - len(prefix) - len(count) - (1 if count else 0) - (2 if mark else 0)
        text = one_line(entry.label, 200)  # names are cleaned when saved; again for rows written by other means
        name = text if len(text) <= room else text[: max(room - 1, 1)] + "…"
        label = Text(no_wrap=True)
        label.append(prefix, style="dim")
        if mark:
            label.append(mark + " ", style=mark_style)
        label.append(name, style="bold yellow" if entry.unassigned else
                     "bold" if entry.account_id is None and not entry.view else "")
        if count:
            label.append(" " * (room - len(name) + 1))
            label.append(count, style="bold white on red")
        if entry.state:
            mark, style = STATE_MARKS.get(entry.state, ("▲", "bold yellow"))
            label.append("\n")
            label.append(" " * len(prefix))
            label.append(f"{mark} {entry.state.upper()}"[: max(width - len(prefix), 1)], style=style)
        return label

    def _render_options(self) -> None:
        """One line per entry: the name cut to fit so that the red count always shows."""
        width = self._label_width()
        self._rendered_width = width
        options = [Option(mono(self._label(entry, number, width), self.app))
                   for entry, number in entries_with_numbers(self.entries)]
        highlighted = self.highlighted
        self.set_options(options)
        if highlighted is not None and highlighted < len(options):
            with self.prevent(OptionList.OptionHighlighted):
                self.highlighted = highlighted

    def on_resize(self) -> None:
        if self.entries:
            self._render_options()

    def account_index(self, number: int) -> int | None:
        """Where the Nth account (1-based, marketplaces not counted) sits in the list."""
        seen = 0
        for i, e in enumerate(self.entries):
            if e.account_id is not None and e.marketplace is None:
                seen += 1
                if seen == number:
                    return i
        return None


def entries_with_numbers(entries: list[SidebarEntry]) -> list[tuple[SidebarEntry, int]]:
    """Each entry with the number key that jumps to its account (0 for All and marketplaces)."""
    out, number = [], 0
    for e in entries:
        if e.account_id is not None and e.marketplace is None:
            number += 1
            out.append((e, number))
        else:
            out.append((e, 0))
    return out
