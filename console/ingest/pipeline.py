"""Importing notices: files in, notifications, status history and health snapshots out.

Each file is imported in its own transaction, so a bad or interrupted file leaves nothing half-written and
the rest goes on; dedupe keys (Message-ID or content hash, notificationId, snapshot hash) make every
import idempotent: running the same import again adds nothing, and finishes one that was killed.

A Maildir's message files go BATCH at a time, each batch one transaction: the files are read and parsed
first; a message whose Message-ID (from an Amazon sender) is already stored is counted as a duplicate
from its header block alone, without parsing its body (its warnings were reported when it was imported);
the others' dedupe keys are looked up in one query, and only new notices are extracted and then inserted
in one statement (`notifications.add_notifications`). A batch that fails is redone file by file.

A big Maildir (over PARALLEL_MIN message files) is parsed and extracted in worker processes
(console/ingest/parallel.py) while this process reads the files ahead and writes the batches, in the same
order and with the same checks: the rows, their ids and the summary are those of an import without them.
"""

from __future__ import annotations

import gzip
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console.core.errors import DataError, StoreError
from console.core.model import Progress
from console.core.textsafe import one_line
from console.ingest import email as email_in
from console.ingest import parallel, spapi
from console.ingest.extract import Extracted, extract_email
from console.ingest.spapi_import import (  # noqa: F401 (re-exported: the reading of API statuses)
    REPORT_ALERTS,
    STATUS_FATE,
    STATUS_SEVERITY,
    SpapiImport,
)
from console.store import notifications as notes
from console.store import stored_keys
from console.store.notifications import NewNotification

FORMATS = ("auto", "eml", "mbox", "maildir", "spapi")
BATCH = 500  # message files per transaction when importing a Maildir
PARALLEL_MIN = 1000  # Maildir message files: up to this many are parsed in this process, more by workers
_AHEAD = 2  # batches read and handed to the workers ahead of the one being written
_TASK = 125  # message files per worker task

# A full disk or a failing one: nothing after it can be stored either.
_DISK_TROUBLE = re.compile(r"disk is full|disk I/O error|no space left|database or disk is full|I/O error", re.I)
# Envelopes in the order the summary names them; any other (deeper) nesting after these, by name.
ENVELOPE_ORDER = ("raw", "SQS", "SNS", "SNS in SQS", "EventBridge", "EventBridge in SQS")
_MAX_TYPES_SHOWN = 40  # skipped notification types named on the summary line (the JSON has them all)


@dataclass
class ImportSummary:
    imported: int = 0
    duplicates: int = 0
    unassigned: int = 0
    snapshots: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    stopped: str | None = None  # why the import stopped before the end (a full disk, an I/O error)
    # SP-API notifications of types flagdesk does not track: type -> how many (skipped, not failed).
    skipped_types: Counter = field(default_factory=Counter)
    # SP-API notifications read (imported, duplicate or skipped) by the envelope they came in.
    envelopes: Counter = field(default_factory=Counter)
    cleared: int = 0  # LISTINGS_ITEM_ISSUES_CHANGE notifications saying a listing's issues are gone (no notice)
    resolved: int = 0  # open notices resolved because the API says they are over

    def skipped_count(self) -> int:
        return len(self.skipped) + sum(self.skipped_types.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "stopped": self.stopped,
            "imported": self.imported, "duplicates": self.duplicates, "unassigned": self.unassigned,
            "snapshots": self.snapshots, "listings_cleared": self.cleared, "resolved": self.resolved,
            "skipped": [{"origin": o, "reason": r} for o, r in self.skipped],
            "skipped_types": dict(_by_count(self.skipped_types)),
            "envelopes": dict(_by_envelope(self.envelopes)),
            "failed": [{"origin": o, "reason": r} for o, r in self.failed],
            "warnings": [{"origin": o, "message": m} for o, m in self.warnings],
        }

    def lines(self) -> list[str]:
        out = [f"imported {self.imported}, duplicates {self.duplicates}, skipped {self.skipped_count()}, "
               f"failed {len(self.failed)}"
               + (f" ({self.unassigned} unassigned: assign them in the console)" if self.unassigned else "")
               + (f"; {self.snapshots} health snapshots" if self.snapshots else "")]
        if self.skipped_types:
            types = _by_count(self.skipped_types)
            shown = ", ".join(f"{one_line(t, 80)} {n}" for t, n in types[:_MAX_TYPES_SHOWN])
            more = f", and {len(types) - _MAX_TYPES_SHOWN} more types" if len(types) > _MAX_TYPES_SHOWN else ""
            out.append(f"skipped {sum(self.skipped_types.values())} SP-API notifications flagdesk does not track: "
                       f"{shown}{more}")
        over = ([f"listings cleared {self.cleared}"] if self.cleared else []) + (
            [f"resolved {self.resolved} open notice{'s' if self.resolved != 1 else ''} the Selling Partner API "
             "says are over"] if self.resolved else [])
        if over:
            out.append("; ".join(over))
        if self.envelopes:
            out.append("envelopes: " + ", ".join(f"{one_line(e, 80)} {n}" for e, n in _by_envelope(self.envelopes)))
        # File names are untrusted too (a hostile name can hold terminal escapes): one clean line each.
        out += [f"skipped {one_line(o, 500)}: {one_line(r, 500)}" for o, r in self.skipped]
        out += [f"failed {one_line(o, 500)}: {one_line(r, 500)}" for o, r in self.failed]
        out += [f"warning {one_line(o, 500)}: {one_line(m, 500)}" for o, m in self.warnings]
        if self.stopped:
            out.append(one_line(self.stopped, 600))
        return out


class Importer(SpapiImport):
    """Import into one desk's store; `account` forces every notice into that account."""

    def __init__(self, desk, account_name: str | None = None, dry_run: bool = False):
        self.desk = desk
        self.store = desk.store
        self.forced = desk.account(account_name) if account_name else None
        self.dry_run = dry_run
        self.summary = ImportSummary()
        self.accounts = {a.id: a for a in desk.accounts(include_archived=True)}
        self.by_email = {e.lower(): a.id for a in self.accounts.values() for e in a.emails}
        self.by_name = {a.name.lower(): a.id for a in self.accounts.values()}
        self.by_seller = {a.seller_id.upper(): a.id for a in self.accounts.values() if a.seller_id}
        self.sender_patterns = tuple(email_in.DEFAULT_SENDER_PATTERNS) + tuple(desk.config.sender_patterns)
        # Read once: each config property builds its value anew on every call.
        self.rules = desk.config.rules()
        self._amazon: dict[str, bool] = {}  # sender address -> whether it is Amazon's
        self._pool: parallel.ParsePool | None = None  # parsing workers, during a big import
        self._sender_mp: dict[str, str | None] = {}  # sender address -> its marketplace

    # --- files --------------------------------------------------------------------------------

    def run(self, paths: list[Path], fmt: str = "auto",
            progress: Callable[[Progress], None] | None = None) -> ImportSummary:
        """Import every path. The messages of a Maildir or folder (one file each) are committed in batches of
        BATCH files: still all-or-nothing per batch, and a batch that fails is redone file by file so that
        only the failing file is left out. Every path is listed first, so that `progress` knows the total."""
        plan = [list(self._units(Path(path), fmt)) for path in paths]
        total = sum(kind != "failed" for units in plan for kind, _ in units)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(Progress(done, total, len(self.summary.failed)))

        advance(0)
        steps = list(_steps(plan))
        batches = [i for i, (kind, _) in enumerate(steps) if kind == "batch"]
        if sum(len(steps[i][1]) for i in batches) > PARALLEL_MIN:
            self._start_pool()
        prepared: dict[int, _Prepared] = {}
        try:
            for i, (kind, unit) in enumerate(steps):
                if self.summary.stopped:
                    break
                if kind == "failed":
                    self.summary.failed.append(unit)
                    advance(0)
                elif kind == "batch":
                    # With workers: this batch and the next few read, and their new messages handed out.
                    ahead = batches[batches.index(i): batches.index(i) + 1 + _AHEAD] if self._pool else []
                    for j in ahead:
                        if j not in prepared and self._pool:
                            prepared[j] = self._prepare(steps[j][1], self._pool)
                    self._import_batch(unit, fmt, prepared.pop(i, None))
                    advance(len(unit))
                else:
                    self._import_one(*unit, fmt)
                    advance(1)
        except BaseException:
            self._stop_pool(wait=False)  # Ctrl-C or an error: the workers are ended at once
            raise
        self._stop_pool(wait=True)
        return self.summary

    def _start_pool(self) -> None:
        """Workers for a big import, when more than one core can run them (they start with the first task
        handed out; if they cannot, this process parses everything)."""
        count = parallel.worker_count()
        if count:
            self._pool = parallel.ParsePool(count, self.desk.config.rules_table, self.sender_patterns)

    def _stop_pool(self, wait: bool) -> None:
        pool, self._pool = self._pool, None
        if pool:
            pool.close(wait=wait)

    def _import_one(self, kind: str, unit: str, fmt: str) -> None:
        if self.summary.stopped:
            return
        try:
            self._import_unit(kind, unit, fmt)
        except StoreError as exc:
            if _DISK_TROUBLE.search(str(exc)):
                # Every file after this one would fail the same way: one line, and stop.
                self.summary.failed.append((unit, one_line(str(exc), 200)))
                self.summary.stopped = (f"stopped at {unit}: {one_line(str(exc), 200)}; {self.summary.imported} "
                                        "imported before it, the rest not tried (free some space and run the "
                                        "same import again: it goes on where it stopped)")
            elif isinstance(exc, DataError):  # SQLite refused this file's data: it fails alone
                self.summary.failed.append((unit, f"cannot import: {one_line(str(exc), 200)}"))
            else:
                self.summary.failed.append((unit, str(exc)))
        except (ValueError, OverflowError, UnicodeError) as exc:
            # Whatever a hostile file trips on, it fails alone: nothing of it was stored, the rest goes on.
            self.summary.failed.append((unit, f"cannot import: {one_line(str(exc), 200)}"))

    def _prepare(self, units: list[str], pool: parallel.ParsePool) -> _Prepared:
        """A batch read, and its messages not already stored handed to the workers."""
        read = [(unit, email_in.read_message(unit)) for unit in units]
        guesses = _guesses(read)
        known = self._stored_by_message_id(read, guesses)
        new = [(unit, data) for unit, data in read if isinstance(data, bytes) and unit not in known]
        tasks = [(pool.submit(new[at:at + _TASK]), [unit for unit, _ in new[at:at + _TASK]])
                 for at in range(0, len(new), _TASK)]
        return _Prepared(read, guesses, known, tasks)

    def _import_batch(self, units: list[str], fmt: str, prepared: _Prepared | None = None) -> None:
        """One batch of message files in one transaction. `prepared`: the batch read ahead, its new messages
        with the workers (`_prepare`); whatever the workers did not parse is parsed here."""
        parsed: dict[str, parallel.Parsed] = {}
        if prepared is None:
            read = [(unit, email_in.read_message(unit)) for unit in units]
            known = self._stored_by_message_id(read, _guesses(read))
        else:
            read = prepared.read
            for number, origins in prepared.tasks:
                if self._pool is None:
                    break
                try:
                    parsed.update(zip(origins, self._pool.result(number)))
                except parallel.WorkersUnavailable:
                    self._stop_pool(wait=False)  # they never started: this process parses the rest
            # Read ahead: what was stored since (an earlier batch may have held the same message) is known too.
            known = prepared.known | self._stored_by_message_id(
                [(unit, data) for unit, data in read if unit not in prepared.known], prepared.guesses)
        records: list = []
        extracted: list[Extracted | None] = []
        for unit, data in read:
            fields = None
            if isinstance(data, email_in.ImportFailure):
                record = data
            elif unit in known:
                record = _Known(unit)
            elif unit in parsed:
                record, fields = parsed[unit]
            else:
                record = email_in.parse_bytes(data, unit)
            records.append(record)
            extracted.append(fields)
        try:
            self._in_transaction(lambda: self._emails(records, extracted))
        except (StoreError, ValueError, OverflowError, UnicodeError) as exc:
            if "locked" in str(exc):
                # Another process held the write lock past the busy timeout: file by file, every file would
                # wait as long again. The whole batch fails with the one reason; a re-run completes it.
                reason = one_line(str(exc), 300)
                self.summary.failed.extend((unit, reason) for unit in units)
                return
            if _DISK_TROUBLE.search(str(exc)):
                units = units[:1]  # the first file says why, the import stops (see _import_one)
            for unit in units:
                self._import_one("mail", unit, fmt)

    def _stored_by_message_id(self, read: list[tuple[str, bytes | email_in.ImportFailure]],
                              guesses: dict[str, str]) -> set[str]:
        """The units whose message is already stored: its Message-ID (as `parse_bytes` reads it) is, and its
        sender is Amazon's. One query for the batch; only the header blocks of those found are parsed.
        `guesses`: `_guesses(read)` (or of more units)."""
        stored = self._stored("email", {guesses[unit] for unit, _ in read if unit in guesses})
        found = set()
        for unit, data in read:
            if guesses.get(unit) in stored:
                peeked = email_in.peek(data)
                if peeked and peeked[0] and f"mid:{peeked[0]}" in stored and self._is_amazon(peeked[1]):
                    found.add(unit)
        return found

    def _units(self, path: Path, fmt: str) -> Iterator[tuple[str, Any]]:
        """(kind, path) pairs, each imported in its own transaction: a JSON file, an mbox, one message file;
        ("failed", (path, reason)) for a path that cannot be imported, in its place in the order."""
        if not path.exists():
            yield "failed", (str(path), "no such file or folder")
            return
        if fmt == "spapi":
            yield "json", str(path)
            return
        if path.is_dir() and fmt in ("auto", "eml") and email_in.detect_format(path) != "maildir":
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                if any(part.startswith(".") or part == "tmp" for part in child.relative_to(path).parts[:-1]):
                    continue
                yield from self._units(child, fmt)
            return
        if path.is_dir():  # a Maildir: its message files, committed BATCH at a time
            for sub in ("new", "cur"):
                for child in _message_files(path / sub):
                    yield "mail", child
            return
        kind = email_in.detect_format(path) if fmt == "auto" else fmt
        if kind == "json" or (kind is None and _looks_json(path)):
            yield "json", str(path)
        elif kind in ("eml", "mbox", "maildir") or fmt != "auto":
            yield "mail", str(path)
        else:
            yield "failed", (str(path), "not an email, mailbox or Selling Partner API JSON file")

    def _import_unit(self, kind: str, unit: str, fmt: str) -> None:
        if kind == "json":
            try:
                data = Path(unit).read_bytes()
            except OSError as exc:
                self.summary.failed.append((unit, f"cannot read: {exc.strerror}"))
                return
            records = spapi.parse_json_bytes(data, unit)
            self._in_transaction(lambda: [self._spapi_record(r) for r in records])
        else:
            mail_fmt = "auto" if fmt in ("auto", "spapi") else fmt
            records = list(email_in.iter_messages(Path(unit), "eml" if mail_fmt == "maildir" else mail_fmt))
            self._in_transaction(lambda: self._emails(records))

    def _in_transaction(self, work: Callable[[], Any]) -> None:
        """One file, one transaction; a dry run rolls it back after counting."""
        before = ImportSummary(**{k: (type(v)(v) if isinstance(v, list | Counter) else v)
                                  for k, v in vars(self.summary).items()})
        try:
            with self.store.write():
                work()
                if self.dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        except (StoreError, ValueError, OverflowError, UnicodeError):
            self.summary = before
            raise

    # --- emails -------------------------------------------------------------------------------

    def _emails(self, records: list, extracted: list[Extracted | None] | None = None) -> None:
        """Store the new notices among parsed emails (inside the caller's transaction): one query for the
        dedupe keys already stored, extraction only for what is new, one insert for all of them.
        `extracted`: each record's fields when a worker extracted them already (see `_notice`)."""
        stored = self._stored("email", {r.dedupe_key for r in records if isinstance(r, email_in.ParsedEmail)})
        pending: list[NewNotification] = []
        keys: set[str] = set()  # added in this transaction
        for at, record in enumerate(records):
            if isinstance(record, _Known):
                self.summary.duplicates += 1
                continue
            if isinstance(record, email_in.ImportFailure):
                self.summary.failed.append((record.origin, record.reason))
                continue
            for w in record.warnings:
                self.summary.warnings.append((record.origin, w))
            amazon_sender = self._is_amazon(record.sender) or (
                record.forwarded_sender is not None and self._is_amazon(record.forwarded_sender))
            if not amazon_sender:
                self.summary.skipped.append((record.origin, f"not from Amazon ({record.sender or 'no sender'})"))
                continue
            key = record.dedupe_key
            if key in stored or key in keys:
                self.summary.duplicates += 1
                continue
            keys.add(key)
            pending.append(self._notice(record, extracted[at] if extracted else None))
        notes.add_notifications(self.store, pending)
        self.summary.imported += len(pending)
        self.summary.unassigned += sum(n.account_id is None for n in pending)

    def _notice(self, record: email_in.ParsedEmail, fields: Extracted | None = None) -> NewNotification:
        """`fields`: what `extract_email` gives for the record, received at its date (from a worker)."""
        account_id = self._account_for(record)
        received = record.date or self.desk.now()
        if fields is None or record.date is None:
            fields = extract_email(record.subject, record.text, received, self.rules, record.flat_text)
        sender = record.forwarded_sender or record.sender
        if sender not in self._sender_mp:
            self._sender_mp[sender] = email_in.marketplace_from_address(sender)
        marketplace = self._marketplace(account_id, self._sender_mp[sender], fields.marketplace, record.origin)
        return NewNotification(
            account_id=account_id, marketplace=marketplace, received_at=received,
            subject=record.subject or fields.subject, body=record.text, category=fields.category,
            cause=fields.cause, why=fields.why, severity=fields.severity, policy=fields.policy, asins=fields.asins, skus=fields.skus,
            order_ids=fields.order_ids, complaint_id=fields.complaint_id, deadline_at=fields.deadline_at,
            deadline_text=fields.deadline_text, action_taken=fields.action_taken, source="email",
            external_id=record.dedupe_key,
        )

    def _is_amazon(self, address: str) -> bool:
        if address not in self._amazon:
            self._amazon[address] = email_in.is_amazon_sender(address, self.sender_patterns)
        return self._amazon[address]

    def _account_for(self, record) -> int | None:
        """--account, else the one account whose notice address received it; never a guess."""
        if self.forced:
            return self.forced.id
        for addresses in (record.recipients, record.forwarded_recipients):
            found = {self.by_email[a.lower()] for a in addresses if a.lower() in self.by_email}
            if len(found) == 1:
                return found.pop()
            if len(found) > 1:
                return None
        return None

    def _marketplace(self, account_id: int | None, *candidates_and_origin, warn: bool = True) -> str:
        """The first candidate the account sells in; else its first marketplace (said, when it has several)."""
        *candidates, origin = candidates_and_origin
        if account_id is None:
            return next((c for c in candidates if c), "")
        mps = self.accounts[account_id].marketplaces
        for c in candidates:
            if c and c in mps:
                return c
        if len(mps) > 1 and warn:
            named = next((c for c in candidates if c), None)
            why = f"{named} is not one of the account's marketplaces" if named else "marketplace not stated"
            self.summary.warnings.append((origin, f"{why}; filed under {mps[0]}"))
        return mps[0]

    # --- shared -------------------------------------------------------------------------------

    def _exists(self, source: str, external_id: str) -> bool:
        return stored_keys.is_stored(self.store, source, external_id)

    def _stored(self, source: str, external_ids: set[str]) -> set[str]:
        return stored_keys.stored_external_ids(self.store, source, external_ids)

    def _add(self, new: NewNotification) -> int:
        nid = notes.add_notification(self.store, new)
        self.summary.imported += 1
        if new.account_id is None:
            self.summary.unassigned += 1
        return nid


class _DryRun(Exception):
    """Raised inside a dry run's transaction so that it rolls back."""


@dataclass
class _Prepared:
    """A batch read ahead (see `Importer._prepare`): each file's bytes or why not, those already stored,
    and the worker tasks parsing the rest (task number, the files it holds)."""

    read: list[tuple[str, bytes | email_in.ImportFailure]]
    guesses: dict[str, str]
    known: set[str]
    tasks: list[tuple[int, list[str]]]


def _steps(plan: list[list[tuple[str, Any]]]) -> Iterator[tuple[str, Any]]:
    """The units of every path in order, a Maildir's message files grouped BATCH at a time:
    ("failed", (path, reason)), ("batch", [file, ...]) or a unit imported alone (kind, path)."""
    for units in plan:
        batch: list[str] = []
        for kind, unit in units:
            if kind == "failed":
                yield kind, unit
            elif kind == "mail" and os.path.basename(os.path.dirname(unit)) in ("new", "cur"):
                batch.append(unit)
                if len(batch) >= BATCH:
                    yield "batch", batch
                    batch = []
            else:
                yield "one", (kind, unit)
        if batch:
            yield "batch", batch


@dataclass
class _Known:
    """A message file whose notice is already stored (see `Importer._stored_by_message_id`)."""

    origin: str


def _message_files(folder: Path) -> list[str]:
    """The visible files of a Maildir's new/ or cur/, sorted by name (none when it cannot be read)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(e.path for e in entries if not e.name.startswith(".") and _is_file(e))
    except OSError:
        return []


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _guesses(read: list[tuple[str, bytes | email_in.ImportFailure]]) -> dict[str, str]:
    """Each unit's `_message_id_guess`, for the units read that have one."""
    return {unit: key for unit, data in read if isinstance(data, bytes) and (key := _message_id_guess(data))}


def _message_id_guess(data: bytes) -> str | None:
    """A cheap guess at the dedupe key of a message with a Message-ID: the first Message-ID line of the
    header block. Only a candidate: `peek` reads the real one before a message counts as stored."""
    head = email_in.header_block(data[:65536]).lower()  # the same length: positions hold in `data` too
    if head.startswith(b"message-id:"):
        at = 0
    else:
        at = head.find(b"\nmessage-id:") + 1
        if at == 0:
            return None
    end = head.find(b"\n", at)
    line = data[at + len(b"message-id:"): end if end >= 0 else len(head)].decode("utf-8", "replace")
    value = line[line.find("<") + 1: line.find(">")] if "<" in line and ">" in line else line.strip("<> ")
    value = "".join(value.split())
    return f"mid:{value}" if value else None


def _by_count(counts: Counter) -> list[tuple[str, int]]:
    """Most first, then by name."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _by_envelope(counts: Counter) -> list[tuple[str, int]]:
    known = [(e, counts[e]) for e in ENVELOPE_ORDER if counts.get(e)]
    return known + sorted((e, n) for e, n in counts.items() if e not in ENVELOPE_ORDER and n)


def _looks_json(path: Path) -> bool:
    try:
        head = path.open("rb").read(4096)
    except OSError:
        return False
    if head[:2] == b"\x1f\x8b":
        try:
            head = gzip.decompress(path.read_bytes())[:4096]
        except (OSError, EOFError, gzip.BadGzipFile):
            return False
    return spapi.looks_like_json(head)
