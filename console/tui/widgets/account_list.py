"""The account sidebar: All accounts and each account with its own red unread count."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from console.desk import SidebarEntry


class AccountList(OptionList):
    """Choosing an entry filters the inbox to it; names are shown literally (never as markup)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.entries: list[SidebarEntry] = []

    def show(self, entries: list[SidebarEntry], keep: tuple[int | None, str | None] | None = None) -> None:
        """Replace the entries, keeping the highlighted one where it still exists."""
        if keep is None and self.entries and self.highlighted is not None:
            e = self.entries[self.highlighted]
            keep = (e.account_id, e.marketplace)
        self.entries = entries
        options = []
        number = 0
        for e in entries:
            label = Text(no_wrap=True, overflow="ellipsis")
            if e.marketplace:
                label.append(f"   {e.label}")
            elif e.account_id is None:
                label.append(e.label, style="bold")
            else:
                number += 1
                label.append(f"{number if number < 10 else ' '} ", style="dim")
                label.append(e.label)
            if e.unread:
                label.append(" ")
                label.append(f" {e.unread} ", style="bold white on red")
            options.append(Option(label))
        self.set_options(options)
        index = 0
        if keep is not None:
            for i, e in enumerate(entries):
                if (e.account_id, e.marketplace) == keep:
                    index = i
                    break
        with self.prevent(OptionList.OptionHighlighted):
            self.highlighted = index if entries else None

    def account_index(self, number: int) -> int | None:
        """Where the Nth account (1-based, marketplaces not counted) sits in the list."""
        seen = 0
        for i, e in enumerate(self.entries):
            if e.account_id is not None and e.marketplace is None:
                seen += 1
                if seen == number:
                    return i
        return None
