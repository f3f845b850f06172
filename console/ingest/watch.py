"""`flagdesk fetch --watch`: every source fetched as mail or messages arrive, until SIGTERM or SIGINT.

One thread per source, each with its own connection to the database:
- IMAP: the folder opened on a connection of its own, a fetch, then IDLE on that connection (RFC 2177) until
  the server says mail arrived, renewed every `[watch] idle_seconds`; a server without IDLE is fetched every
  `poll_seconds` instead;
- SQS: long polls (the source's `wait_seconds`), each batch imported and then deleted (console/ingest/fetch.py);
- Maildir: fetched every `poll_seconds`.
A source that fails (a dropped connection, a refused login) is retried after a backoff that doubles from
`backoff_seconds` up to `backoff_max_seconds`, with jitter so that several watchers do not retry in step.
A stop is seen between messages: each batch's import is its own transaction, so nothing is half-imported.
Alerts are evaluated by a thread of their own after each fetch and every ALERT_TICK seconds.
One line per event goes to `log`.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable

from console.core.errors import StoreError
from console.core.sources import SourceError
from console.core.textsafe import one_line
from console.store import sources as state

ALERT_TICK = 30.0  # seconds between two evaluations of the alerts when nothing was fetched


def backoff(failures: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """The wait before retry number `failures` (1, 2, ...): base doubled each time up to cap, then a random
    part of it taken off (between half and all of it is waited)."""
    delay = min(cap, base * 2 ** max(failures - 1, 0))
    return delay * (0.5 + (rng or random).random() / 2)


class Watch:
    def __init__(self, desk, sources: list[dict], log: Callable[[str], None],
                 alerts: Callable[[object], list[str]] | None = None):
        self.desk = desk
        self.sources = sources
        self.settings = desk.config.watch
        self.stop = threading.Event()
        self.poke = threading.Event()  # set after a fetch: the alerts thread looks at once
        self._log = log
        self._lock = threading.Lock()
        self.alerts = alerts
        self.errors: list[str] = []  # a thread that died of something unexpected (said, and exit 1)

    def halt(self) -> None:
        """Stop at the next step (a signal handler calls this)."""
        self.stop.set()
        self.poke.set()

    def log(self, line: str) -> None:
        with self._lock:
            self._log(one_line(line, 800))

    def run(self) -> None:
        """Until `stop` is set (by the caller's signal handler): then every thread ends at its next step."""
        threads = [threading.Thread(target=self._guard, args=(self._source, s), name=f"watch-{s['name']}",
                                    daemon=True) for s in self.sources]
        if self.alerts:
            threads.append(threading.Thread(target=self._guard, args=(self._alerts, None), name="alerts",
                                            daemon=True))
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            for t in threads:
                t.join(0.2)  # short joins: the main thread stays free to run the signal handler

    def _guard(self, work, arg) -> None:
        try:
            work(arg)
        except Exception as exc:  # noqa: BLE001 - one thread's bug must not leave the others unwatched silently
            self.errors.append(f"{type(exc).__name__}: {exc}")
            self.log(f"flagdesk: error: {threading.current_thread().name} stopped: {type(exc).__name__}: {exc}")
            self.halt()

    # --- sources ------------------------------------------------------------------------------

    def _source(self, source: dict) -> None:
        desk = self.desk.sibling()  # a connection of this thread's own
        try:
            fetcher = desk.sources()
            if source["kind"] == "imap":
                self._imap(desk, fetcher, source)
            else:
                self._polled(fetcher, source)
        finally:
            desk.close()

    def _fetch(self, fetcher, source: dict, **kw) -> str | None:
        """One fetch, said in one line when it brought something; None when it went, else its error."""
        try:
            result = fetcher.fetch(source, quiet=True, **kw)
        except StoreError as exc:  # the database busy or full: this source waits and tries again
            return f"source {source['name']}: {exc}"
        for note in result.notes:
            self.log(note)
        if result.error:
            return result.error
        s = result.summary
        news = s and (s.imported or s.failed or s.stopped or s.snapshots or (
            source["kind"] != "maildir" and (s.duplicates or s.skipped_count() or result.fetched)))
        if news:
            self.log(f"source {source['name']}: {s.lines()[0]}")
            for line in s.lines()[1:]:
                if line.startswith(("failed ", "warning ")) or line == s.stopped:
                    self.log(f"source {source['name']}: {line}")
            self.poke.set()
        return f"source {source['name']}: {s.stopped}" if s and s.stopped else None

    def _retry(self, source: dict, failures: int, error: str) -> None:
        delay = backoff(failures, float(self.settings["backoff_seconds"]), float(self.settings["backoff_max_seconds"]))
        self.log(f"{error}; retrying in {delay:.1f} s")
        self.stop.wait(delay)

    def _polled(self, fetcher, source: dict) -> None:
        """SQS (each fetch a long poll) and Maildir (a fetch every poll_seconds)."""
        what = f"long polling {source['queue_url']}" if source["kind"] == "sqs" else \
            f"polling {source['path']} every {self.settings['poll_seconds']} s"
        self.log(f"source {source['name']}: watching ({what})")
        failures = 0
        while not self.stop.is_set():
            if source["kind"] == "sqs":
                error = self._fetch(fetcher, source, stop=self.stop, wait=int(source["wait_seconds"]))
            else:
                error = self._fetch(fetcher, source)
            if error:
                failures += 1
                self._retry(source, failures, error)
                continue
            failures = 0
            if source["kind"] != "sqs":
                self.stop.wait(float(self.settings["poll_seconds"]))

    def _imap(self, desk, fetcher, source: dict) -> None:
        """The watching connection is opened (its folder selected) before each fetch: what arrived before the
        SELECT is fetched then, what arrives after it IDLE says (no mail slips in between)."""
        from console.ingest.imap import Mailbox

        failures = 0
        said = False
        while not self.stop.is_set():
            error = None
            try:
                with Mailbox(source) as box:
                    idle = box.can_idle()
                    error = self._fetch(fetcher, source, stop=self.stop)
                    if not error:
                        if failures:
                            self.log(f"source {source['name']}: connected again")
                        failures = 0
                        if not said:
                            how = "IDLE" if idle else \
                                f"the server has no IDLE: polling every {self.settings['poll_seconds']} s"
                            self.log(f"source {source['name']}: watching {source['folder']} ({how})")
                            said = True
                    while not error and not self.stop.is_set():
                        if idle:
                            box.idle(self.stop, float(self.settings["idle_seconds"]))
                        elif self.stop.wait(float(self.settings["poll_seconds"])):
                            break
                        if self.stop.is_set():
                            break
                        error = self._fetch(fetcher, source, stop=self.stop)  # recorded by the fetch
            except SourceError as exc:  # the watching connection lost, or refused
                if self.stop.is_set():
                    break
                error = str(exc)
                try:
                    state.record_run(desk.store, source["name"], source["kind"], error=error)
                except StoreError:
                    pass  # said on the next line all the same
            if error and not self.stop.is_set():
                failures += 1
                self._retry(source, failures, error)

    # --- alerts -------------------------------------------------------------------------------

    def _alerts(self, _) -> None:
        desk = self.desk.sibling()
        try:
            while not self.stop.is_set():
                self.poke.clear()
                try:
                    for line in self.alerts(desk):
                        self.log(line)
                except StoreError as exc:  # the database busy: the alerts wait for the next tick
                    self.log(f"alerts: {exc}; tried again in {ALERT_TICK:g} s")
                self.poke.wait(ALERT_TICK)
        finally:
            desk.close()
