"""The service API both faces call: the CLI and the console do everything through a Desk.

A Desk is one operator's session: the shared store, the effective config and the clock. It is the only
door from a face (console/cli/, console/tui/) to console/store/ and console/ingest/: a face that needs
something of them gets a method here (tests/test_architecture.py keeps it so).
"""

# size: the one door from both faces to the store and the importer; each method is a short delegation,
# grouped by area (accounts, notifications, claims, contacts, appeals, audit, operations).

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from console.core.bulk import BulkResult
from console.core.clock import Clock, parse_iso, to_iso
from console.core.config import Config
from console.core.errors import DuplicateNoticeError, StoreError
from console.core.model import Account, Notification, Status
from console.core.textsafe import clean
from console.core.triage import Filter
from console.store import accounts as accounts_store
from console.store import appeals as appeals_store
from console.store import claims
from console.store import notifications as notes
from console.store.db import Store, open_store
from console.store.notifications import NewNotification

if TYPE_CHECKING:  # the extractor compiles its patterns on import: only load it when a notice is read
    from console.core.attachments import Attachment
    from console.ingest.extract import Extracted
    from console.review.checklist import CheckResult
    from console.store.appeal_index import StoredIndex
    from console.store.appeals import Appeal


@dataclass
class SidebarEntry:
    """One line of the account sidebar: All, an account, or one of its marketplaces."""

    label: str
    unread: int
    account_id: int | None = None  # None: all accounts (or, with unassigned, none yet)
    marketplace: str | None = None
    unassigned: bool = False
    health: str | None = None  # the AHR band (healthy / at_risk / unhealthy) or the account status
    state: str | None = None  # what the account cannot do right now: "deactivated", "at risk", ... (fates.toml)
    view: str | None = None  # a saved view ([views]): its name; `unread` is then how many it shows


class Desk:
    HEARTBEAT_S = claims.HEARTBEAT_S  # how often a console says which notification it has in view

    def __init__(self, store: Store, config: Config, clock: Clock):
        self.store = store
        self.config = config
        self.clock = clock
        self._similarity: StoredIndex | None = None
        self._similarity_lock = threading.Lock()
        self._counting: set = set()  # (connection, stop event) of each count running apart (counter)
        self._counting_lock = threading.Lock()

    @classmethod
    def open(cls, config: Config, clock: Clock | None = None) -> Desk:
        clock = clock or Clock()
        return cls(open_store(config.db_path, config.operator, clock, config.os_user), config, clock)

    @property
    def operator(self) -> str:
        """This session's display name (FLAGDESK_OPERATOR, `operator`, else the OS user)."""
        return self.store.actor

    @property
    def os_user(self) -> str:
        """Who runs this session: the OS user of its uid, what every change is recorded as."""
        return self.store.os_user

    # --- identity and team policy ------------------------------------------------------------

    def shared_os_users(self) -> frozenset[str]:
        """OS users recorded with more than one display name: there a name is declared, not verified."""
        from console.store.identity import shared_os_users

        return shared_os_users(self.store)

    def who(self, name: str | None, os_user: str | None) -> str:
        """One person as every screen shows them: "maria (os: ops1)", marked declared on a shared account."""
        from console.core.identity import who

        return who(name, os_user, os_user is not None and os_user in self.shared_os_users())

    def me(self) -> str:
        """This session as shown (see `who`)."""
        return self.who(self.operator, self.os_user)

    def is_me(self, name: str | None, os_user: str | None) -> bool:
        """Whether a recorded (name, OS user) is this session: both match (a row from before the OS user was
        recorded: its name)."""
        from console.core.identity import same

        return same(name, os_user, self.operator, self.os_user)

    def policy(self, key: str) -> bool:
        from console.store import policy

        return policy.get(self.store, key)

    def policies(self) -> list:
        from console.store import policy

        return policy.settings(self.store)

    def set_policy(self, key: str, value: str, reason: str | None):
        """Change a team policy (audited, with the reason)."""
        from console.store import policy

        return policy.set_policy(self.store, key, value, reason)

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

    def add_marketplaces(self, name: str, marketplaces: list[str]) -> tuple[Account, list[str], dict[str, int]]:
        """Marketplaces added to an account (audited): (the account, those added, the notices and snapshots
        filed under them that were flagged as not listed)."""
        return accounts_store.add_marketplaces(self.store, name, marketplaces)

    def rename_account(self, name: str, new_name: str) -> Account:
        return accounts_store.rename_account(self.store, name, new_name)

    def archive_account(self, name: str, archived: bool = True) -> Account:
        return accounts_store.archive_account(self.store, name, archived)

    # --- adding a notice -------------------------------------------------------------------

    def extract(self, text: str, received_at: datetime | None = None) -> Extracted:
        """What flagdesk reads from a pasted notice, for the operator to confirm."""
        from console.ingest.extract import extract

        return extract(clean(text), received_at or self.now(), self.config.rules())

    @staticmethod
    def read_text(text: str, received_at: datetime, rules=None):
        """A notice's text read for its fate, cause and severity (console/core/reading.py), with what the
        extractor found (subject, body, deadline): (Extracted, Reading). Needs no database."""
        from console.core.reading import read
        from console.ingest.extract import READ_LIMIT, extract

        x = extract(clean(text), received_at, rules)
        hours = (x.deadline_at - received_at).total_seconds() / 3600 if x.deadline_at else None
        return x, read(x.subject, x.body[:READ_LIMIT], rules, deadline_hours=hours)

    def read_notification(self, nid: int):
        """A stored notification read again by today's rules: (Notification, Reading)."""
        from console.core.reading import read
        from console.ingest.extract import READ_LIMIT

        n = self.notification(nid)
        hours = (n.deadline_at - n.received_at).total_seconds() / 3600 if n.deadline_at else None
        return n, read(n.subject, n.body[:READ_LIMIT], self.config.rules(), deadline_hours=hours)

    # --- what a reading means ----------------------------------------------------------------

    def fate_ids(self) -> list[str]:
        """The fates' ids in the rules' order (from their table: nothing compiled)."""
        return self.config.labels().fate_ids

    def cause_ids(self) -> list[str]:
        return [*self.config.labels().cause_ids, "other"]

    def fate_label(self, fate: str) -> str:
        from console.core.fates import fate_label

        return fate_label(fate, self.config.labels())

    def cause_label(self, cause: str) -> str:
        from console.core.fates import cause_label

        return cause_label(cause, self.config.labels())

    def reading_label(self, fate: str, cause: str) -> str:
        """"Account deactivated · Product authenticity"."""
        from console.core.fates import label

        return label(fate, cause, self.config.labels())

    def row_label(self, fate: str, cause: str) -> str:
        """"Deactivated · Product authenticity": the inbox row's short form."""
        from console.core.fates import row_label

        return row_label(fate, cause, self.config.labels())

    def parse_filter(self, text: str) -> Filter:
        """The console's filter language, with fate and cause ids taken by prefix and `view:NAME` standing
        for a saved view's text."""
        from console.core.triage import parse_filter

        return parse_filter(text, self.fate_ids(), self.cause_ids(), self.config.views)

    def views(self) -> dict[str, str]:
        """Saved views ([views] in the config): name -> filter text."""
        return self.config.views

    def view_filter(self, name: str, more: str = "") -> Filter:
        """Saved view `name` (FilterError naming the views when there is none such), with `more` filter text."""
        return self.parse_filter(f"view:{name} {more}".strip())

    def correct(self, nid: int, changes: dict[str, str], reason: str = "", expected_version: int | None = None,
                reset: bool = False) -> Notification:
        """An operator's correction of the fate (`category`), cause or severity: audited, kept on reread."""
        for key, known in (("category", self.fate_ids()), ("cause", self.cause_ids())):
            if key in changes and changes[key] not in known:
                raise StoreError(f"unknown {'fate' if key == 'category' else key} '{changes[key]}' "
                                 f"(e.g. {', '.join(known[:4])})")
        return notes.correct(self.store, nid, expected_version, changes, reason, reset)

    def reread(self, f: Filter | None = None, dry_run: bool = False):
        """Stored notices read again by today's rules (console/store/rereading.py): fate, cause, severity,
        deadline and policy from the text, an operator's corrections kept. Returns a RereadResult."""
        from console.core.fates import why_json
        from console.core.reading import read
        from console.ingest.extract import READ_LIMIT, extract_email
        from console.store import rereading

        rules = self.config.rules()

        def reader(row: dict) -> dict:
            received = parse_iso(row["received_at"])
            x = extract_email(row["subject"], row["body"], received, rules)
            hours = (x.deadline_at - received).total_seconds() / 3600 if x.deadline_at else None
            r = read(row["subject"], row["body"][:READ_LIMIT], rules, deadline_hours=hours)
            return {"category": r.fate, "cause": r.cause, "severity": r.severity, "why": why_json(r, x.deadline_text),
                    "deadline_at": to_iso(x.deadline_at) if x.deadline_at else None,
                    "deadline_text": x.deadline_text, "policy": x.policy}

        where, params = notes.filter_where(self.store, f) if f is not None else ("1", [])
        return rereading.reread(self.store.conn, reader, where=where, params=params, dry_run=dry_run,
                                actor=self.operator, now=self.store.now_iso(), write=self.store.write,
                                os_user=self.store.os_user)

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
                   received_at: datetime | None = None, source: str = "paste", allow_duplicate: bool = False,
                   corrected: list[str] | None = None) -> int:
        """Store a typed or pasted notice. One that looks like a stored notice (console/core/dedupe.py)
        raises DuplicateNoticeError naming it, unless `allow_duplicate`. `corrected`: the fields the
        operator set instead of the reading (fate as "category", "cause", "severity"), kept on reread."""
        new = NewNotification(
            account_id=account.id, marketplace=marketplace, received_at=received_at or self.now(),
            subject=fields.subject, body=fields.body, category=fields.category, severity=fields.severity,
            cause=fields.cause, why=fields.why, corrected=corrected,
            policy=fields.policy, asins=fields.asins, skus=fields.skus, order_ids=fields.order_ids,
            complaint_id=fields.complaint_id, deadline_at=fields.deadline_at, deadline_text=fields.deadline_text,
            action_taken=fields.action_taken, source=source,
        )
        with self.store.write():  # the check and the insert in one transaction: two pastes cannot both pass
            if not allow_duplicate:
                found = notes.find_duplicate(self.store, new)
                if found:
                    raise DuplicateNoticeError(*found)
            return notes.add_notification(self.store, new)

    # --- reading ---------------------------------------------------------------------------

    def notification(self, nid: int) -> Notification:
        return notes.get_notification(self.store, nid)

    def page(self, f: Filter, offset: int, limit: int, after_key: str | None = None,
             total: int | None = None) -> list[dict]:
        return notes.list_page(self.store, f, offset, limit, after_key, total)

    def _count_key(self, f: Filter) -> tuple:
        """What a filter's count depends on: the filter, the writes (others' and ours), and for due: the minute."""
        return (repr(f), self.store.data_version(), self.store.conn.total_changes,
                self.now().replace(second=0, microsecond=0) if f.timed else None)

    def count(self, f: Filter, unread: bool = True) -> tuple[int, int | None]:
        """(rows, unread) for the filter; `unread=False`: (rows, None) when that is cheaper to tell (words:
        one pass over the full-text index, not two). Asked twice with nothing written in between (the filter
        box checks the query, then the list reloads), the second answer is the first one."""
        key = self._count_key(f)
        cached = getattr(self, "_count_cache", None)
        if cached is not None and cached[0] == key and (cached[1][1] is not None or not unread):
            return cached[1]
        result = notes.count(self.store, f, unread)
        self._count_cache = (key, result)
        return result

    def count_or_bound(self, f: Filter) -> tuple[int, bool]:
        """(rows, exact): the count when it is quick to tell (or was told for this filter since the last
        write), else a lower bound from the first rows in triage order; `count_apart` tells the rest."""
        cached = getattr(self, "_count_cache", None)
        if cached is not None and cached[0] == self._count_key(f):
            return cached[1][0], True
        n, exact = notes.count_or_bound(self.store, f)
        if exact:
            self._count_cache = (self._count_key(f), (n, None))
        return n, exact

    def check_filter(self, f: Filter) -> None:
        """Raise FilterError when the filter's words cannot be searched for (one match asked, not a count)."""
        notes.check_words(self.store, f)

    def counter(self, f: Filter) -> Callable[[], int | None] | None:
        """The filter's exact row count, to be told on a thread: a call that counts on a connection of its
        own (the console's stays free for the keys meanwhile) and returns None when it was stopped
        (`stop_counting`) or failed. None for an in-memory database, which no other connection sees."""
        key = self._count_key(f)  # here, on the console's thread: its connection is not the thread's to use
        reader = self.store.reader()
        if reader is None:
            return None
        stopped = threading.Event()
        # Stopped even before its statement starts (an interrupt then would be lost): SQLite asks every few
        # thousand steps, and a set event ends the statement as an interrupt does.
        reader.conn.set_progress_handler(stopped.is_set, 4000)
        entry = (reader.conn, stopped)
        with self._counting_lock:
            self._counting.add(entry)

        def run() -> int | None:
            try:
                n = None if stopped.is_set() else notes.count_quietly(reader, f)
            finally:
                with self._counting_lock:
                    self._counting.discard(entry)
                reader.close()
            if n is not None and not stopped.is_set():
                self._count_cache = (key, (n, None))
                return n
            return None

        return run

    def stop_counting(self) -> None:
        """Stop every count running apart (a newer filter, or the console closing)."""
        with self._counting_lock:
            for conn, stopped in self._counting:
                stopped.set()
                conn.interrupt()

    def position_of(self, f: Filter, nid: int) -> int | None:
        return notes.position_of(self.store, f, nid)

    def sidebar(self, reuse: list[SidebarEntry] | None = None) -> list[SidebarEntry]:
        """All accounts, then each account with its per-marketplace breakdown when it has several. `reuse`:
        the entries read before, when only read states changed since (`only_read_state_since`): their
        accounts' health and state are still true, and only the counts are read again."""
        counts = notes.unread_counts(self.store)
        entries = [SidebarEntry("All accounts", sum(counts.values()))]
        if reuse is not None:
            kept = [e for e in reuse if e.account_id is not None and e.marketplace is None and not e.view]
            health = {e.account_id: e.health for e in kept if e.health}
            states = {e.account_id: e.state for e in kept if e.state}
        else:
            health = self.health_marks()
            states = self.account_states()
        by_account: dict[int | None, int] = {}
        for (aid, _mp), n in counts.items():
            by_account[aid] = by_account.get(aid, 0) + n
        for account in self.accounts():
            per_mp = {mp: counts.get((account.id, mp), 0) for mp in account.marketplaces}
            # Notices filed under a marketplace the account no longer lists still count.
            extra = by_account.get(account.id, 0) - sum(per_mp.values())
            entries.append(SidebarEntry(account.name, sum(per_mp.values()) + extra, account.id,
                                        health=health.get(account.id), state=states.get(account.id)))
            if len(account.marketplaces) > 1:
                entries.extend(SidebarEntry(mp, n, account.id, mp) for mp, n in per_mp.items())
        waiting, unread = notes.unassigned_counts(self.store)
        if waiting:
            entries.append(SidebarEntry(notes.UNASSIGNED, unread, None, None, unassigned=True))
        for name in self.views():  # under the accounts, each with how many notifications it shows
            entries.append(SidebarEntry(name, notes.count(self.store, self.view_filter(name), unread=False)[0], view=name))
        return entries

    def health_marks(self) -> dict[int, str]:
        """Per account with health data: its AHR band, else its latest account status."""
        from console.store import health as health_store

        marks = {}
        for account_id in health_store.accounts_with_health(self.store):
            summary = health_store.health_summary(self.store, account_id, self.config.ahr_bands)
            if summary:
                marks[account_id] = summary["ahr_band"] or (summary["status"] or "").lower() or None
        return marks

    def health(self, account: Account) -> dict:
        from console.store import health as health_store

        return {
            "summary": health_store.health_summary(self.store, account.id, self.config.ahr_bands),
            # `listed`: False for a marketplace the account does not list (kept, flagged).
            "snapshots": [{**s, "listed": s["marketplace"] in account.marketplaces}
                          for s in health_store.snapshots(self.store, account.id)],
            "history": health_store.status_history(self.store, account.id),
        }

    def import_paths(self, paths: list[Path], account_name: str | None = None, fmt: str = "auto"):
        from console.ingest.pipeline import Importer

        return Importer(self, account_name).run(paths, fmt)

    def status(self) -> list[dict]:
        return notes.status_summary(self.store, self.now())

    def account_states(self) -> dict[int, str]:
        """Each account's state in words ("deactivated", "at risk", ...), for the accounts that have one."""
        return notes.account_states(self.store)

    def overdue_total(self) -> int:
        """Open notifications past their deadline, all active accounts (the flag's count): one index range."""
        return notes.overdue_total(self.store, self.now())

    # --- changes ---------------------------------------------------------------------------

    def mark_read(self, nid: int) -> bool:
        before = self.store.conn.total_changes
        changed = notes.mark_read(self.store, nid)
        # A run of marks read, with nothing else written by this session in between: see only_read_state_since.
        run = getattr(self, "_read_run", None)
        start = run[0] if run is not None and run[1] == before else before
        self._read_run = (start, self.store.conn.total_changes)
        return changed

    def only_read_state_since(self, stamp: tuple[int, int]) -> bool:
        """Whether nothing but this session's marks read was written since `stamp` (a `write_stamp`): then
        only unread counts moved (no account's state, deadline or follow-up does when a notice is read)."""
        run = getattr(self, "_read_run", None)
        data_version, changes = stamp
        return (run is not None and data_version == self.store.data_version() and run[0] <= changes <= run[1]
                and run[1] == self.store.conn.total_changes)

    def set_status(self, nid: int, status: Status, expected_version: int | None = None) -> Notification:
        return notes.set_status(self.store, nid, status, expected_version)

    # --- many at once (console/store/batch.py) --------------------------------------------------

    def select(self, f: Filter) -> dict[int, int]:
        """Every notification the filter shows, in triage order: {id: version} (what `*` marks)."""
        from console.store import batch

        return batch.select(self.store, f)

    def select_range(self, f: Filter, start: int, count: int) -> dict[int, int]:
        """The notifications at these positions of the filter's triage order: {id: version} (a `V` range)."""
        from console.store import batch

        return batch.select_range(self.store, f, start, count)

    def versions(self, ids: list[int]) -> dict[int, int]:
        from console.store import batch

        return batch.versions(self.store, ids)

    def bulk(self, change: str, targets: dict[int, int | None] | None = None, f: Filter | None = None, *,
             dry_run: bool = False, account: Account | None = None, marketplace: str | None = None,
             severity: str | None = None, force: bool = False, note: dict | None = None) -> BulkResult:
        """One change to many notifications (read, unread, resolved, dismissed, claim, release, assign,
        severity): `targets` {id: version seen, or None}, or every one `f` shows. One transaction, an audit
        row per notification and one for the whole; one another operator changed since it was seen is left
        and reported. What it wrote is what `undo_bulk` puts back."""
        from console.store import batch

        if change == "assign" and account is not None and marketplace is None:
            marketplace = self.pick_marketplace(account, None, None)
        result = batch.apply(self.store, change, targets, f, dry_run=dry_run,
                             account_id=account.id if account is not None else None, marketplace=marketplace,
                             severity=severity, force=force, note=note)
        if not dry_run and result.audit_id is not None:
            self.last_bulk = result
        return result

    last_bulk: BulkResult | None = None  # this session's last change to many notifications (what U undoes)

    def checkpoint_soon(self) -> None:
        """After a change to many, once it is on screen: copy the WAL back into the database file, on a thread
        (the change itself commits without it)."""
        self.store.checkpoint_soon()

    def undo_bulk(self) -> BulkResult:
        """Undo this session's last change to many notifications: a new change, audited, putting back the old
        values of those still as it left them (the others are reported). StoreError when there is none."""
        from console.store import batch

        if self.last_bulk is None:
            raise StoreError("nothing to undo: no change to many notifications in this session")
        result = batch.undo(self.store, self.last_bulk)
        self.last_bulk = None
        return result

    def assign(self, nid: int, account: Account, marketplace: str, expected_version: int) -> Notification:
        return notes.assign(self.store, nid, account.id, marketplace, expected_version)

    def claim(self, nid: int, take_over_from: str | None = None) -> Notification:
        """Claim for this operator; someone else's claim is refused naming them (see store/claims.py)."""
        return claims.claim(self.store, nid, take_over_from)

    def takeovers_since(self, after_id: int | None) -> tuple[int, list[tuple[int, str]]]:
        """Claims of this operator taken over by someone else since audit row `after_id` (None: from now
        on): (the newest audit row id, [(notification id, who took it)])."""
        if after_id is None:
            return claims.last_audit_id(self.store), []
        found = claims.taken_from(self.store, self.operator, after_id)
        return (found[-1][0] if found else after_id), [(nid, who) for _, nid, who in found]

    def release(self, nid: int, force: bool = False) -> Notification:
        """Give up this session's claim; someone else's (another OS user) only with `force` (audited)."""
        return claims.release(self.store, nid, force)

    def beat(self, nid: int | None) -> None:
        """Presence: this operator has notification nid in view (None: nothing)."""
        claims.beat(self.store, "notification", nid)

    def leave(self) -> None:
        claims.leave(self.store)

    def others_present(self) -> dict[int, list[tuple[str, str]]]:
        """{notification id: [(operator, 'viewing' | 'editing')]} for everyone else, right now."""
        return claims.others_by_notification(self.store, self.now())

    def overdue_follow_ups_by_account(self) -> dict[int, int]:
        from console.store import contacts

        return contacts.overdue_by_account(self.store, self.now())

    def overdue_follow_ups(self) -> int:
        from console.store import contacts

        return contacts.overdue_count(self.store, self.now())

    def cases_for(self, nid: int) -> list:
        from console.store import contacts

        return contacts.cases_for_notification(self.store, nid)

    def data_version(self) -> int:
        return self.store.data_version()

    def write_stamp(self) -> tuple[int, int]:
        """Changes when anyone writes: another session (data_version) or this one (its change count)."""
        return self.store.data_version(), self.store.conn.total_changes

    # --- appeals ---------------------------------------------------------------------------

    def appeal(self, appeal_id: int) -> Appeal:
        return appeals_store.get_appeal(self.store, appeal_id)

    def open_appeal(self, nid: int) -> Appeal:
        """The notification's current appeal, or a new draft holding only the three headings."""
        from console.review.checklist import NEW_DRAFT

        current = appeals_store.current_appeal(self.store, nid)
        if current is not None:
            return current
        try:
            return appeals_store.create_appeal(self.store, nid, NEW_DRAFT)
        except StoreError:
            # Another operator opened it in the same instant: their draft is the one to work in.
            current = appeals_store.current_appeal(self.store, nid)
            if current is not None and current.status == "draft":
                return current
            raise

    def peek_appeal(self, nid: int) -> Appeal:
        """The notification's current appeal, else an unsaved draft (id 0) on the three headings: looking is
        not writing, so nothing is stored until `new_appeal` is called with typed text."""
        from console.review.checklist import NEW_DRAFT

        current = appeals_store.current_appeal(self.store, nid)
        if current is not None:
            return current
        now = self.now()
        return appeals_store.Appeal(
            id=0, notification_id=self.notification(nid).id, author=self.operator, created_at=now, updated_at=now,
            text=NEW_DRAFT, revision=0, status="draft", route=None, channel=None, case_id=None, submitted_at=None,
            submitted_by=None, override_reason=None, outcome_at=None, outcome_note=None, reviewed_by=None,
            reviewed_at=None, reviewed_revision=None, revised_from=None, version=0)

    def draft_of(self, nid: int) -> Appeal | None:
        """The notification's open draft appeal, if it has one."""
        current = appeals_store.current_appeal(self.store, nid)
        return current if current is not None and current.status == "draft" else None

    def new_appeal(self, nid: int, text: str | None = None) -> Appeal:
        from console.review.checklist import NEW_DRAFT

        return appeals_store.create_appeal(self.store, nid, text if text and text.strip() else NEW_DRAFT)

    def save_appeal(self, appeal: Appeal, text: str) -> Appeal:
        return appeals_store.save_text(self.store, appeal.id, text, appeal.version)

    def similarity_index(self) -> StoredIndex:
        """Every appeal in the database (all accounts) plus the built-in generic phrasings, answered from the
        signatures each save stores (console/review/signatures.py): opening it hashes no appeal's text, and
        what other sessions save counts at once. Appeals left without an up-to-date signature (rows written
        behind flagdesk's back) are signed first, once per session."""
        from console.store.appeal_index import StoredIndex, heal

        with self._similarity_lock:
            if self._similarity is None:
                heal(self.store)
                self._similarity = StoredIndex.open(self.store)
            return self._similarity

    def appeal_context(self, appeal: Appeal, text: str | None = None):
        """Everything the checklist needs except the similar matches (see `check_appeal`)."""
        from console.review.checklist import AppealContext

        n = self.notification(appeal.notification_id)
        settings = self.config.appeals
        writers = tuple(appeals_store.writers(self.store, appeal.id)) if appeal.id else (
            (self.operator, self.store.os_user),)
        return AppealContext(
            text=appeal.text if text is None else text, asins=n.asins, order_ids=n.order_ids,
            complaint_id=n.complaint_id, category=n.cause, account=n.account, author=appeal.author,
            reviewed_by=appeal.reviewed_by,
            reviewed_at=appeal.reviewed_at.strftime("%Y-%m-%d %H:%M") if appeal.reviewed_at else None,
            reviewed_by_os=appeal.reviewed_by_os, writers=writers, shared_os=self.shared_os_users(),
            require_review=self.policy("require_review"), max_chars=int(settings["max_chars"]),
            template_warn=float(settings["template_warn"]), template_fail=float(settings["template_fail"]),
            attachments=tuple(self.attachments(appeal)), today=self.now().date(),
        )

    # --- the evidence locker (console/store/attachments.py) -----------------------------------

    def attachments(self, appeal: Appeal) -> list[Attachment]:
        """The appeal's attachments, in the order attached (none for an unsaved draft)."""
        from console.store import attachments

        return attachments.listing(self.store, appeal.id) if appeal.id else []

    def attach_file(self, appeal: Appeal, path: Path | str, kind: str, doc_date: str | None = None,
                    asins=None) -> Attachment:
        """Check a file (type by its bytes, size limit, readable) and store it on a draft appeal, audited. No
        ASINs given: every ASIN of the notification. Refusals are one line naming the file (AttachmentError)."""
        from console.core import attachments as rules
        from console.store import attachments

        kind = rules.check_kind(kind)
        when = rules.parse_date(doc_date, self.now().date())
        n = self.notification(appeal.notification_id)
        chosen = rules.parse_asins(asins) or tuple(n.asins)
        foreign = [a for a in chosen if n.asins and a not in n.asins]
        if foreign:
            raise rules.AttachmentError(f"ASIN {', '.join(foreign)} is not one of notification #{n.id}'s "
                                        f"({', '.join(n.asins)})")
        if not appeal.id:
            raise StoreError("nothing is stored yet: write the appeal first, then attach")
        content, ftype = rules.read_file(path, rules.max_bytes(self.config.appeals))
        return attachments.attach(self.store, appeal.id, Path(path).name, content, ftype, kind, when, chosen)

    def detach(self, appeal: Appeal, attachment_id: int) -> tuple[Attachment, bool]:
        """Remove an attachment from a draft appeal (audited): (what it was, whether its bytes went too)."""
        from console.store import attachments

        return attachments.detach(self.store, appeal.id, attachment_id)

    def attachment_content(self, attachment_id: int) -> bytes:
        from console.store import attachments

        return attachments.content(self.store, attachment_id)

    def write_bundle(self, appeal: Appeal, folder: Path | str, force: bool = False) -> tuple[Path, dict]:
        """The submission bundle (console/core/bundle.py) written to `folder`, whole or not at all: (the folder,
        the manifest as JSON). A folder holding anything is refused unless `force` (StoreError, one line)."""
        import json

        from console.core import bundle
        from console.review.checklist import check_evidence
        from console.store import files

        n = self.notification(appeal.notification_id)
        found = self.attachments(appeal)
        check = check_evidence(self.appeal_context(appeal))
        head = {"appeal_id": appeal.id, "notification_id": n.id, "account": n.account, "marketplace": n.marketplace,
                "revision": appeal.revision, "written_at": to_iso(self.now())}
        contents = bundle.manifest(head, appeal.text, found, list(n.asins),
                                   {"status": check.status, "reason": check.reason, "details": list(check.details)})
        for i, a in enumerate(found, 1):
            contents[bundle.file_name(i, a)] = self.attachment_content(a.id)
        try:
            earlier = Path(folder) / bundle.MANIFEST_JSON
            stale = bundle.earlier_files(earlier.read_text(encoding="utf-8", errors="replace")
                                         if force and earlier.is_file() else None)
            written = files.write_folder(Path(folder), contents, force=force, stale=stale.__contains__)
        except (FileExistsError, NotADirectoryError) as exc:
            raise StoreError(str(exc)) from None
        except OSError as exc:
            raise StoreError(f"{folder}: cannot write the bundle: {exc.strerror or exc}") from None
        return written, json.loads(contents[bundle.MANIFEST_JSON])

    def bundle_path(self, appeal: Appeal) -> Path:
        """Where a bundle goes unless the operator says otherwise: beside the exports, one folder per revision."""
        return self.export_path(appeal).with_name(f"appeal-{appeal.id}-rev{appeal.revision}-bundle")

    def review_standing(self, appeal: Appeal) -> tuple[str, str]:
        """The checklist's second-pair-of-eyes item alone (no similarity index): (pass | warn | fail, message)."""
        from console.review.checklist import check_reviewed

        r = check_reviewed(self.appeal_context(appeal))
        return r.status, r.reason

    def own_history(self, appeal: Appeal) -> set[str]:
        """Index keys of the notification's other appeals: its own history, never a template."""
        return {f"appeal:{i}" for i in appeals_store.appeal_ids_of(self.store, appeal.notification_id)}

    @staticmethod
    def warm_up() -> None:
        """Import what the first appeal check needs (its phrase patterns compile on import: ~80 ms), so that
        opening an appeal does not pay for it. The console calls this on a thread once its first screen is up;
        an appeal opened before it is done waits for the same import, never longer than it would have."""
        from console.review.checklist import warm

        warm()

    def check_appeal(self, appeal: Appeal, text: str | None = None, context=None,
                     own_history: set[str] | None = None) -> list[CheckResult]:
        """Run the checklist on the appeal (or on unsaved text). From a worker thread, pass the context
        and own_history built on the main thread: then nothing here uses the session's connection (the
        similarity index, opened by the first check, reads its candidates through a connection of its own)."""
        from dataclasses import replace

        from console.review.checklist import CheckResult, run_checks

        ctx = context or self.appeal_context(appeal, text)
        if text is not None:
            ctx = replace(ctx, text=text)
        skip = own_history if own_history is not None else self.own_history(appeal)
        index = self.similarity_index()
        with self._similarity_lock:
            matches = index.closest(ctx.text, exclude=f"appeal:{appeal.id}", limit=3 + len(skip))
        ctx = replace(ctx, similar=[m for m in matches if m.key not in skip][:3])
        results = run_checks(ctx)
        if appeal.reviewed_by and appeal.reviewed_revision and appeal.reviewed_revision < appeal.revision:
            # A review vouches for the text it saw: once the text moved on, it has to be done again.
            results = [
                CheckResult(r.id, r.label, "fail" if r.required else "warn", r.required,
                            f"reviewed by {self.who(appeal.reviewed_by, appeal.reviewed_by_os)} at revision "
                            f"{appeal.reviewed_revision}; "
                            f"changed since (now {appeal.revision}): review again")
                if r.id == "reviewed" and r.status == "pass" else r
                for r in results
            ]
        return results

    def failing_required(self, results: list[CheckResult]) -> list[str]:
        return [r.id for r in results if r.required and r.status == "fail"]

    def submit_appeal(self, appeal: Appeal, route: str, channel: str | None = None, case_id: str | None = None,
                      override_reason: str | None = None) -> Appeal:
        failing = self.failing_required(self.check_appeal(appeal))
        if route == "contact-us":
            # The second pair of eyes guards the one-time Appeal button, not a Contact Us case.
            failing = [f for f in failing if f != "reviewed"]
        if failing and not override_reason:
            from console.review.checklist import LABELS

            named = ", ".join(LABELS.get(f, f) for f in failing)  # as the checklist shows them
            raise StoreError(f"required checks fail ({named}): fix them, or override with a written reason")
        with self.store.write():
            # The checks ran on this version's text: the store refuses if another one was saved since.
            done = appeals_store.submit(self.store, appeal.id, route, channel=channel, case_id=case_id,
                                        failing=failing, override_reason=override_reason,
                                        expected_version=appeal.version)
            if route == "contact-us":
                self._log_appeal_contact(done, channel or "email", case_id)
        return done

    def _log_appeal_contact(self, appeal: Appeal, channel: str, case_ref: str | None) -> None:
        """A Contact Us appeal is a Seller Support contact: add it to the open case about the notification,
        or open one linked to the appeal (inside the submission's transaction)."""
        from console.store import contacts

        n = self.notification(appeal.notification_id)
        if n.account_id is None:
            return
        cases = contacts.cases_for_notification(self.store, n.id)
        # The open case about this notification, else the last closed one (reopened): never a second case.
        existing = [c for c in cases if c.status in contacts.ACTIVE] or cases[-1:]
        text = f"Appeal #{appeal.id} sent via Help → Contact Us ({len(appeal.text):,} characters)."
        if existing:
            case = contacts.add_contact(self.store, existing[0].id, channel, text)
            if case_ref and not case.case_ref:
                contacts.update(self.store, case.id, case_ref=case_ref)
        else:
            contacts.open_case(self.store, n.account_id, channel, f"Appeal: {n.subject}", marketplace=n.marketplace,
                               path="Help → Contact Us → Account Health", case_ref=case_ref, notification_id=n.id,
                               appeal_id=appeal.id, notes=text)

    def appeal_outcome(self, appeal: Appeal, outcome: str, note: str | None = None) -> Appeal:
        return appeals_store.record_outcome(self.store, appeal.id, outcome, note)

    def revise_appeal(self, appeal: Appeal) -> Appeal:
        """A new draft from a rejected appeal, carrying its attachments (one transaction)."""
        from console.store import attachments

        with self.store.write():
            draft = appeals_store.revise(self.store, appeal.id)
            attachments.carry(self.store, appeal.id, draft.id)
        return draft

    def review_appeal(self, appeal: Appeal) -> Appeal:
        """Review the revision this Appeal object holds (the text the reviewer read)."""
        return appeals_store.mark_reviewed(self.store, appeal.id, appeal.revision)

    def button_state(self, nid: int) -> tuple[str | None, str | None]:
        return appeals_store.button_state(self.store, nid)

    @staticmethod
    def write_file(path: Path, text: str) -> None:
        """Write an export (an appeal's text, a kept copy) readable by the group only when its folder is
        shared (setgid or group-writable), never by others (console/store/files.py)."""
        from console.store import files

        Path(path).parent.mkdir(parents=True, exist_ok=True)
        files.write_text(path, text)

    def export_path(self, appeal: Appeal) -> Path:
        from console.core.config import default_db_path

        # The operator's own data folder, not the shared database's: exports are personal copies.
        return default_db_path().parent / "exports" / f"appeal-{appeal.id}-rev{appeal.revision}.txt"

    # --- audit log -------------------------------------------------------------------------

    def audit_log(self, since: datetime | None = None, account_id: int | None = None, table: str | None = None,
                  row_id: int | None = None, actor: str | None = None, limit: int = 200,
                  before_id: int | None = None, **kw) -> list:
        """Audit rows newest first, a page at a time (keyset by id; see store.audit_log.query)."""
        from console.store import audit_log

        return audit_log.query(self.store, since, account_id, table, row_id, actor, limit, before_id, **kw)

    def history(self, table: str, row_id: int) -> list:
        """One row's audit trail, oldest first (a notification's includes its appeals and cases)."""
        from console.store import audit_log

        return audit_log.history(self.store, table, row_id)

    def audit_count(self, **criteria) -> int:
        """How many audit rows match (the keyword arguments of `audit_log`)."""
        from console.store import audit_log

        return audit_log.count(self.store, **criteria)

    def last_change(self, table: str, row_id: int) -> dict | None:
        """The newest audit row about one row: {at, actor, action}, or None."""
        return self.store.last_change(table, row_id)

    # --- Seller Support cases ------------------------------------------------------------------

    def find_case(self, ref: str):
        """A case by its number (#12 or 12) or its Amazon case ID."""
        from console.store import contacts

        return contacts.find_case(self.store, ref)

    def list_cases(self, **criteria) -> list:
        from console.store import contacts

        return contacts.list_cases(self.store, **criteria)

    def case_timeline(self, case_id: int) -> list:
        from console.store import contacts

        return contacts.timeline(self.store, case_id)

    def open_case(self, account_id: int, channel: str, summary: str, **details):
        """A new case (raises DuplicateCaseError when an active one covers the same issue, unless confirmed)."""
        from console.store import contacts

        return contacts.open_case(self.store, account_id, channel, summary, **details)

    def append_contact(self, case_id: int, channel: str, text: str | None = None, follow_up_at=None,
                       case_ref: str | None = None):
        """Another contact on a case (reopens a closed one), and its Amazon case ID when newly given:
        one transaction."""
        from console.store import contacts

        with self.store.write():
            case = contacts.add_contact(self.store, case_id, channel, text, follow_up_at)
            if case_ref and case_ref.strip() != (case.case_ref or ""):
                case = contacts.update(self.store, case.id, case_ref=case_ref)
        return case

    def change_case(self, case_id: int, status: str | None = None, expected_version: int | None = None,
                    note: str | None = None, **changes):
        """A new status (checked against expected_version), a note and other fields (follow_up_at,
        case_ref): one transaction."""
        from console.store import contacts

        with self.store.write():
            case = None
            if status:
                case = contacts.set_status(self.store, case_id, status, expected_version=expected_version, note=note)
                note = None
            if changes or note:
                case = contacts.update(self.store, case_id, note=note, **changes)
        return case

    # --- appeal presence and revisions ---------------------------------------------------------

    def appeal_heartbeat(self, appeal_id: int, editing: bool = True) -> None:
        appeals_store.heartbeat(self.store, appeal_id, editing)

    def other_editors(self, appeal_id: int) -> list[str]:
        """The other operators with this appeal open right now, as shown ("maria (os: ops1)")."""
        return [self.who(name, os_name) for name, os_name in
                appeals_store.other_editors(self.store, appeal_id, self.now())]

    def appeal_revisions(self, appeal_id: int) -> list:
        """The revisions, oldest first, each with its author as shown ("maria (os: ops1)")."""
        revisions = appeals_store.revisions(self.store, appeal_id)
        for r in revisions:
            r.shown = self.who(r.author, r.author_os)
        return revisions

    def restore_revision(self, appeal: Appeal, number: int) -> Appeal:
        """An older revision's text as the newest revision (checked against the appeal's version)."""
        return appeals_store.restore_revision(self.store, appeal.id, number, appeal.version)

    # --- health, status and import -------------------------------------------------------------

    def health_summary(self, account_id: int) -> dict | None:
        from console.store import health as health_store

        return health_store.health_summary(self.store, account_id, self.config.ahr_bands)

    def notification_json(self, n: Notification) -> dict:
        """The JSON shape of `flagdesk list/show --json`: the stored fields, with the fate's and cause's labels."""
        data = notes.as_json(n)
        data["fate_label"] = self.fate_label(n.category)
        data["cause_label"] = self.cause_label(n.cause)
        return data

    def importer(self, account_name: str | None = None, dry_run: bool = False):
        """An importer of notice emails and SP-API JSON into this session's store (see ingest/pipeline.py)."""
        from console.ingest.pipeline import Importer

        return Importer(self, account_name, dry_run)

    def sources(self):
        """The config's `[[sources]]`: list, check and fetch them (see ingest/fetch.py)."""
        from console.ingest.fetch import Sources

        return Sources(self)

    def alerts(self):
        """The config's `[alerts]`: evaluate the rules, send, test, list (see ingest/alerts.py)."""
        from console.ingest.alerts import Alerts

        return Alerts(self)

    def source_health(self) -> list[dict]:
        """The top bar's sources (none configured: [] without a query): each one's name, `last_ok` (when it
        last succeeded, or None) and `failing` (for how long it has failed, once that is longer than [watch]
        warn_after_minutes; else None). One read of a table of a row per source."""
        names = [s["name"] for s in self.config.values["sources"]]
        if not names:
            return []
        from datetime import timedelta

        from console.store.sources import states

        rows = states(self.store)
        now = self.now()
        limit = timedelta(minutes=float(self.config.watch["warn_after_minutes"]))
        out = []
        for name in names:
            row = rows.get(name, {})
            since = parse_iso(row["failing_since"]) if row.get("failing_since") else None
            out.append({"name": name, "last_ok": parse_iso(row["last_ok_at"]) if row.get("last_ok_at") else None,
                        "failing": now - since if since and now - since > limit else None})
        return out

    def watch(self, sources: list[dict], log):
        """`fetch --watch` of these sources, alerts included when configured (see ingest/watch.py)."""
        from console.ingest.alerts import Alerts
        from console.ingest.watch import Watch

        alerts = self.config.alerts
        return Watch(self, sources, log, Alerts.run_in if alerts["urls"] or alerts.get("urls_file") else None)

    def sibling(self) -> Desk:
        """A Desk of its own connection to the same file (a background import keeps its transactions apart
        from the session's reads and writes); close it with `close`."""
        return Desk(open_store(self.store.path, self.operator, self.clock, self.store.os_user), self.config,
                    self.clock)

    def close(self) -> None:
        self.store.close()

    # --- operations: doctor, backup, restore ---------------------------------------------------

    @property
    def db_path(self) -> Path:
        return self.store.path

    @staticmethod
    def doctor(path: Path) -> list:
        """Every check of a shared database and its folder (reads only; the file need not open as a Store)."""
        from console.store import doctor

        return doctor.run_checks(path)

    def backup(self, dest: Path, force: bool = False):
        from console.store import backup

        return backup.backup(self.store, dest, force)

    @staticmethod
    def verify_backup(src: Path):
        """Check a backup file before anything is opened or replaced (raises StoreError naming the problem)."""
        from console.store import backup

        return backup.verify(src)

    def live_counts(self) -> dict[str, int]:
        from console.store import backup

        return backup.live_counts(self.store)

    def restore(self, src: Path):
        """Replace the database's content with a verified backup; returns (restored info, safety copy path)."""
        from console.store import backup

        return backup.restore(self.store, src)

    def verify_audit(self) -> tuple[bool, int | None, str]:
        """The audit log's hash chain and append-only triggers: (ok, the first broken row's id or None, the
        reason — "audit chain intact: N rows" when ok; a line per problem otherwise)."""
        from console.store import audit_chain

        return audit_chain.verify(self.store.conn)

