"""`flagdesk sources` and `flagdesk fetch`: the config's `[[sources]]` read into the store through the import
pipeline (console/ingest/pipeline.py: the same de-duplication, routing, summary and exit codes).

An IMAP source's new messages (UIDs above the last one imported, per folder and UIDVALIDITY) are all fetched
first, into a private temporary Maildir, and only then imported: a connection lost in the middle imports
nothing and moves no cursor, so the next run fetches them again. A changed UIDVALIDITY re-reads the whole
folder and the de-duplication (Message-ID, content hash) absorbs what is already stored.

An SQS source's messages are imported ten at a time (each its own transaction, as a JSON file is) and
deleted from the queue only once their import has committed: a crash in between leaves them in the queue,
they come again after their visibility timeout, and the de-duplication by notificationId counts them as
duplicates. A message that cannot be read (not JSON, no notification in it) is kept aside in the database
with its reason (`flagdesk sources kept`) and deleted from the queue; the others are imported.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from console.core.clock import to_iso
from console.core.config import ConfigError
from console.core.sources import SourceError
from console.ingest.pipeline import Importer, ImportSummary
from console.store import sources as state

QUIET_RECORD = timedelta(minutes=5)
SQS_BATCHES = 500  # receives per fetch (5,000 messages): a queue that fills as fast as it is read still ends a fetch


@dataclass
class FetchResult:
    name: str
    kind: str
    summary: ImportSummary | None = None
    error: str | None = None  # the source could not be read: nothing imported from it
    notes: list[str] = field(default_factory=list)
    fetched: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.error or (self.summary and self.summary.failed))

    def as_json(self) -> dict[str, Any]:
        return {"source": self.name, "kind": self.kind, "error": self.error, "notes": self.notes,
                "fetched": self.fetched, **(self.summary.as_json() if self.summary else {})}


def where(source: dict) -> str:
    if source["kind"] == "maildir":
        return source["path"]
    if source["kind"] == "sqs":
        return source["queue_url"]
    return f"imap://{source['user']}@{source['host']}:{source['port']}/{source['folder']}"


class Sources:
    def __init__(self, desk):
        self.desk = desk
        self.store = desk.store
        self.all = desk.config.fetch_sources()
        self._queues: dict = {}  # an SQS source's client, kept between fetches (the watch polls often)

    def pick(self, names: list[str] | tuple[str, ...] = ()) -> list[dict]:
        by_name = {s["name"]: s for s in self.all}
        if not self.all:
            raise ConfigError("no [[sources]] in the config (see README, Sources)")
        for name in names:
            if name not in by_name:
                raise ConfigError(f"no source named {name!r} in the config (sources: {', '.join(by_name)})")
        return [by_name[n] for n in dict.fromkeys(names)] if names else list(self.all)

    def listing(self) -> list[dict[str, Any]]:
        stored = state.states(self.store)
        kept = state.kept_counts(self.store)
        out = []
        for s in self.all:
            row = stored.get(s["name"], {})
            item = {"name": s["name"], "kind": s["kind"], "where": where(s)}
            for key in ("last_run_at", "last_ok_at", "last_error"):
                item[key] = row.get(key)
            for key in ("runs", "imported", "duplicates", "failed"):
                item[key] = row.get(key, 0)
            if s["kind"] == "sqs":
                item["kept_aside"] = kept.get(s["name"], 0)
            if s["kind"] == "imap":
                cur = state.cursor(self.store, s["name"], s["folder"])
                item["uidvalidity"], item["last_uid"] = cur if cur else (None, None)
            out.append(item)
        return out

    def kept(self, name: str | None = None) -> list[dict[str, Any]]:
        """The SQS messages kept aside (could not be read), newest first."""
        if name:
            self.pick([name])
        return state.kept(self.store, name)

    def check(self, source: dict) -> tuple[bool, str]:
        """Connect (or look) and say what is there, importing nothing: (ok, one line)."""
        if source["kind"] == "maildir":
            path = Path(os.path.expanduser(source["path"]))
            if not ((path / "new").is_dir() and (path / "cur").is_dir()):
                return False, f"source {source['name']}: {path} is not a Maildir (no new/ and cur/)"
            count = sum(1 for sub in ("new", "cur") for p in (path / sub).iterdir() if p.is_file())
            return True, f"source {source['name']}: {path}: {count} messages"
        if source["kind"] == "sqs":
            from console.ingest.sqs import Queue

            try:
                queue = Queue(source)
                try:
                    waiting, flight = queue.waiting()
                finally:
                    queue.close()
            except SourceError as exc:
                return False, str(exc)
            return True, (f"source {source['name']}: {where(source)}: connected, {waiting} messages waiting, "
                          f"{flight} in flight")
        from console.ingest.imap import Mailbox

        try:
            with Mailbox(source) as box:
                cur = state.cursor(self.store, source["name"], source["folder"])
                last = cur[1] if cur and cur[0] == box.uidvalidity else 0
                new = len(box.uids_after(last))
                return True, (f"source {source['name']}: {where(source)}: connected, {box.exists} messages, "
                              f"{new} not fetched yet")
        except SourceError as exc:
            return False, str(exc)

    def fetch(self, source: dict, stop=None, wait: int = 1, quiet: bool = False) -> FetchResult:
        """What is new from one source, imported; its run recorded. `stop` (a threading.Event) ends an SQS
        fetch between batches; `wait` is its long poll (seconds) for the first batch. `quiet` (the watch's
        many empty polls): a run that brought nothing new is recorded only when the source's last recorded
        success is older than QUIET_RECORD, so that the audit is not a row per poll."""
        result = FetchResult(source["name"], source["kind"])
        try:
            if source["kind"] == "maildir":
                result.summary = self._importer(source).run([Path(os.path.expanduser(source["path"]))], "maildir")
            elif source["kind"] == "sqs":
                self._fetch_sqs(source, result, stop, wait)
            else:
                self._fetch_imap(source, result, stop)
        except SourceError as exc:
            result.error = str(exc)
        s = result.summary
        if quiet and not result.error and s is not None and not (s.imported or s.failed or s.stopped) and (
                source["kind"] == "maildir" or not result.fetched) and state.ok_since(
                self.store, source["name"], to_iso(self.desk.now() - QUIET_RECORD)):
            return result
        state.record_run(self.store, source["name"], source["kind"], s.imported if s else 0,
                         s.duplicates if s else 0, len(s.failed) if s else 0,
                         result.error or (s.stopped if s else None))
        return result

    def _importer(self, source: dict) -> Importer:
        return Importer(self.desk, source.get("account"))

    def _fetch_sqs(self, source: dict, result: FetchResult, stop, wait: int) -> None:
        from console.ingest import spapi
        from console.ingest.sqs import Queue

        name = source["name"]
        queue = self._queues.get(name) or Queue(source)
        self._queues[name] = queue
        importer = self._importer(source)
        result.summary = importer.summary
        origin: dict[str, str] = {}
        tmp = Path(tempfile.mkdtemp(prefix="flagdesk-sqs-"))
        try:
            for _ in range(SQS_BATCHES):
                if stop is not None and stop.is_set():
                    break
                messages = queue.receive(wait)
                wait = 0  # the first receive waits (a long poll); the rest take what is already there
                if not messages:
                    break
                result.fetched += len(messages)
                files, done = [], []
                for i, m in enumerate(messages):
                    label = f"{where(source)} message {m.message_id}"
                    failures = [r for r in spapi.parse_json_bytes(m.body.encode("utf-8", "replace"), label)
                                if isinstance(r, spapi.ImportFailure)]
                    if failures:  # poison: kept aside with its reason; what else it holds is imported
                        state.keep_aside(self.store, name, m.message_id, m.body, failures[0].reason)
                        result.notes.append(f"source {name}: message {m.message_id} kept aside "
                                            f"(flagdesk sources kept): {failures[0].reason}")
                    path = tmp / f"{result.fetched - len(messages) + i:08d}.json"
                    path.write_bytes(m.body.encode("utf-8", "replace"))
                    origin[str(path)] = label
                    files.append((str(path), m))
                before = len(importer.summary.failed)
                importer.run([Path(p) for p, _ in files], "spapi")
                summary = importer.summary
                result.summary = summary
                failed_now = {o.split("#", 1)[0] for o, _ in summary.failed[before:]}
                for path, m in files:
                    Path(path).unlink(missing_ok=True)
                    # A message that failed while being stored (not while being read) stays in the queue.
                    if path not in failed_now or state.is_kept(self.store, name, m.message_id):
                        done.append(m)
                if summary.stopped:
                    break  # a full disk: nothing more is deleted, it all comes again
                queue.delete(done)
        except SourceError:
            self._queues.pop(name, None)  # a new client (a new connection) the next time
            queue.close()
            raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            if result.summary:
                _rename(result.summary, origin)

    def _fetch_imap(self, source: dict, result: FetchResult, stop=None) -> None:
        from console.ingest.imap import Mailbox

        name, folder = source["name"], source["folder"]
        box = Mailbox(source)
        box.open()
        try:
            cur = state.cursor(self.store, name, folder)
            last = 0
            if cur and cur[0] == box.uidvalidity:
                last = cur[1]
            elif cur:
                result.notes.append(f"source {name}: UIDVALIDITY of {folder!r} changed ({cur[0]} -> "
                                    f"{box.uidvalidity}): the folder is read again, what is stored is skipped")
            uids = box.uids_after(last)
            if not uids:
                result.summary = ImportSummary()
                if cur != (box.uidvalidity, last):
                    state.set_cursor(self.store, name, folder, box.uidvalidity, last)
                return
            tmp = Path(tempfile.mkdtemp(prefix="flagdesk-fetch-"))
            try:
                for sub in ("new", "cur", "tmp"):
                    (tmp / sub).mkdir()
                origin: dict[str, str] = {}
                files: dict[str, int] = {}
                done = 0  # the last UID read: a stop (SIGTERM under --watch) imports what was read before it
                for uid in uids:  # every message first: a lost connection imports nothing
                    if stop is not None and stop.is_set():
                        break
                    done = uid
                    data = box.fetch(uid)
                    if data is None:
                        continue
                    path = tmp / "new" / f"{uid:012d}.eml"
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                    with os.fdopen(fd, "wb") as fh:
                        fh.write(data)
                    origin[str(path)] = f"{where(source)} UID {uid}"
                    files[str(path)] = uid
                result.fetched = len(files)
                summary = self._importer(source).run([tmp], "maildir")
                _rename(summary, origin)
                result.summary = summary
                if summary.stopped:
                    return  # the cursor stays: the next run goes on where this one stopped
                if done:
                    state.set_cursor(self.store, name, folder, box.uidvalidity, done)
                if source.get("move_to"):
                    failed = {o for o, _ in summary.failed}
                    box.move([u for p, u in files.items() if origin[p] not in failed], source["move_to"])
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        finally:
            box.close()


def _rename(summary: ImportSummary, origin: dict[str, str]) -> None:
    """The temporary files' names in the summary replaced by the mailbox and UID they came from."""
    for name in ("skipped", "failed", "warnings"):
        setattr(summary, name, [(_origin(origin, o), r) for o, r in getattr(summary, name)])


def _origin(origin: dict[str, str], name: str) -> str:
    base, sep, rest = name.partition("#")  # a record inside a file: "file#Records[0]"
    return origin.get(base, base) + sep + rest
