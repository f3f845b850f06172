"""The service API both faces call: the CLI and the console do everything through a Desk.

A Desk is one operator's session: the shared store, the effective config and the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from console.clock import Clock
from console.config import Config
from console.model import Account, Notification, Status
from console.store import Store, StoreError, open_store
from console.store import accounts as accounts_store
from console.store import notifications as notes
from console.store.notifications import NewNotification
from console.textsafe import clean
from console.triage import Filter

if TYPE_CHECKING:  # the extractor compiles its patterns on import: only load it when a notice is read
    from console.ingest.extract import Extracted


@dataclass
class SidebarEntry:
    """One line of the account sidebar: All, an account, or one of its marketplaces."""

    label: str
    unread: int
    account_id: int | None = None  # None: all accounts
    marketplace: str | None = None


class Desk:
    def __init__(self, store: Store, config: Config, clock: Clock):
        self.store = store
        self.config = config
        self.clock = clock

    @classmethod
    def open(cls, config: Config, clock: Clock | None = None) -> Desk:
        clock = clock or Clock()
        return cls(open_store(config.db_path, config.operator, clock), config, clock)

    @property
    def operator(self) -> str:
        return self.store.actor

    def now(self) -> datetime:
        return self.clock.now()

    # --- accounts ------------------------------------------------------------------------

    def accounts(self, include_archived: bool = False) -> list[Account]:
        return accounts_store.list_accounts(self.store, include_archived)

    def account(self, name: str) -> Account:
        return accounts_store.get_account(self.store, name)

    def add_account(self, name: str, marketplaces: list[str], emails: list[str] | None = None,
                    seller_id: str | None = None) -> Account:
        return accounts_store.add_account(self.store, name, marketplaces, emails, seller_id)

    def rename_account(self, name: str, new_name: str) -> Account:
        return accounts_store.rename_account(self.store, name, new_name)

    def archive_account(self, name: str, archived: bool = True) -> Account:
        return accounts_store.archive_account(self.store, name, archived)

    # --- adding a notice -------------------------------------------------------------------

    def extract(self, text: str, received_at: datetime | None = None) -> Extracted:
        """What flagdesk reads from a pasted notice, for the operator to confirm."""
        from console.ingest.extract import extract

        return extract(clean(text), received_at or self.now(), self.config.categories, self.config.severity_rules)

    def pick_marketplace(self, account: Account, requested: str | None, found: str | None) -> str:
        """The marketplace asked for, else the one the text names, else the account's only one."""
        if requested:
            code = requested.strip().upper()
            if code not in account.marketplaces:
                raise StoreError(
                    f"account '{account.name}' does not sell in '{code}' (it has {', '.join(account.marketplaces)})"
                )
            return code
        if found and found in account.marketplaces:
            return found
        if len(account.marketplaces) == 1:
            return account.marketplaces[0]
        raise StoreError(
            f"account '{account.name}' has several marketplaces ({', '.join(account.marketplaces)}): "
            "say which with --marketplace"
        )

    def add_notice(self, account: Account, marketplace: str, fields: Extracted,
                   received_at: datetime | None = None, source: str = "paste") -> int:
        return notes.add_notification(self.store, NewNotification(
            account_id=account.id, marketplace=marketplace, received_at=received_at or self.now(),
            subject=fields.subject, body=fields.body, category=fields.category, severity=fields.severity,
            policy=fields.policy, asins=fields.asins, skus=fields.skus, order_ids=fields.order_ids,
            complaint_id=fields.complaint_id, deadline_at=fields.deadline_at, deadline_text=fields.deadline_text,
            action_taken=fields.action_taken, source=source,
        ))

    # --- reading ---------------------------------------------------------------------------

    def notification(self, nid: int) -> Notification:
        return notes.get_notification(self.store, nid)

    def page(self, f: Filter, offset: int, limit: int, after_key: str | None = None,
             total: int | None = None) -> list[dict]:
        return notes.list_page(self.store, f, offset, limit, after_key, total)

    def count(self, f: Filter) -> tuple[int, int]:
        return notes.count(self.store, f)

    def position_of(self, f: Filter, nid: int) -> int | None:
        return notes.position_of(self.store, f, nid)

    def sidebar(self) -> list[SidebarEntry]:
        """All accounts, then each account with its per-marketplace breakdown when it has several."""
        counts = notes.unread_counts(self.store)
        entries = [SidebarEntry("All accounts", sum(counts.values()))]
        for account in self.accounts():
            per_mp = {mp: counts.get((account.id, mp), 0) for mp in account.marketplaces}
            # Notices filed under a marketplace the account no longer lists still count.
            extra = sum(n for (aid, mp), n in counts.items() if aid == account.id and mp not in per_mp)
            entries.append(SidebarEntry(account.name, sum(per_mp.values()) + extra, account.id))
            if len(account.marketplaces) > 1:
                entries.extend(SidebarEntry(mp, n, account.id, mp) for mp, n in per_mp.items())
        return entries

    def status(self) -> list[dict]:
        return notes.status_summary(self.store, self.now())

    # --- changes ---------------------------------------------------------------------------

    def mark_read(self, nid: int) -> bool:
        return notes.mark_read(self.store, nid)

    def set_status(self, nid: int, status: Status, expected_version: int | None = None) -> Notification:
        return notes.set_status(self.store, nid, status, expected_version)

    def data_version(self) -> int:
        return self.store.data_version()
