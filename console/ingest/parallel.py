"""Parsing and extraction in worker processes, for a big import (see `Importer.run`).

The importing process reads the message files and writes the batches; `ParsePool` parses the new ones
(`email.parse_bytes`) and extracts their fields (`extract.extract_email`) in a few worker processes
meanwhile. The workers run the same pure functions on the same bytes, so a record and its fields are
what the importing process would have made itself; they touch no database, and their answers are used
in the order they were asked for, so the import stores the same rows under the same ids.

Each worker is a fresh interpreter (a spawn, never a fork: the console runs threads) started with
`subprocess` rather than `multiprocessing`: multiprocessing's spawn imports the caller's main module
again in every worker (a script without an `if __name__ == "__main__"` guard would import recursively)
and starts a resource-tracker process besides. Tasks and answers are pickles over two private pipes.
A worker runs in a session of its own, so a Ctrl-C at the terminal reaches only the importing process,
which then ends the workers; a worker whose importer is gone (its pipe closed, e.g. after a SIGKILL)
exits. Each worker gets its tasks in turn (task i goes to worker i % count), so when one dies its
unanswered task is known: a new worker parses that task's files one at a time, so that `result` returns
an `ImportFailure` (with a one-line reason) for the file it died on only, and then takes over the tasks
queued behind. A worker that dies before it is ready (it could not start: the environment, not a file)
makes the pool unavailable, and the importer parses in its own process instead.
"""

from __future__ import annotations

import os
import pickle
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from console.ingest import email as email_in
from console.ingest.extract import Extracted, extract_email

MAX_WORKERS = 4

# What a worker returns for one file: the parsed record (or why not), and its fields when it is a
# notice from an Amazon sender with a date (the rest are left to the importer, which knows the clock).
Parsed = tuple[email_in.ParsedEmail | email_in.ImportFailure, Extracted | None]

# The folder holding the `console` package, put first on the worker's path so that it imports this
# very package (never one that happens to sit in the current folder).
_ROOT = str(Path(__file__).resolve().parents[2])
_BOOT = "import sys; sys.path[0] = sys.argv[1]; from console.ingest.parallel import serve; serve(*sys.argv[2:])"


def worker_count() -> int:
    """How many workers pay: one per core this process may run on (up to MAX_WORKERS); 0 with one core,
    where a worker would only take turns with the importer."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return min(MAX_WORKERS, cores) if cores > 1 else 0


class WorkerCrashed(Exception):
    """A worker process ended without answering."""


class WorkersUnavailable(Exception):
    """A worker ended before it was ready (it could not start: the environment, not a file): the pool is
    of no use, and the importer parses in its own process instead."""


class ParsePool:
    """Worker processes that parse messages and extract their fields, answering in the order asked."""

    def __init__(self, count: int, rules_table: dict[str, Any], sender_patterns: Sequence[str]):
        # The config's `[rules]` (plain data, sent to each worker), compiled there once.
        self._setup = (rules_table, tuple(sender_patterns))
        self._workers: list[_Worker | None] = [None] * count
        self._tasks: dict[int, list[tuple[str, bytes]]] = {}  # task number -> its files, until answered
        self._queued: list[deque[int]] = [deque() for _ in range(count)]  # per worker, in the order sent
        self._next = 0
        self._started = False  # the workers start with the first task (a re-import may have none to give)

    def submit(self, files: list[tuple[str, bytes]]) -> int:
        """Send (origin, bytes) pairs to be parsed; returns the task number that `result` takes."""
        if not self._started:
            self._started = True
            for slot in range(len(self._workers)):
                try:
                    self._start(slot)
                except OSError:
                    pass  # none in this slot: asked for its answer, the pool says it is unavailable
        number = self._next
        self._next += 1
        slot = number % len(self._workers)
        self._tasks[number] = files
        self._queued[slot].append(number)
        self._send(slot, number)
        return number

    def result(self, number: int) -> list[Parsed]:
        """The answer to task `number`, one (record, fields) per file, in order. Each worker answers in
        the order it was asked: take the results in the order the tasks were submitted."""
        slot = number % len(self._workers)
        if not self._queued[slot] or self._queued[slot][0] != number:
            raise ValueError(f"task {number} is not the next one answered")
        worker = self._workers[slot]
        if worker is None:
            raise WorkersUnavailable("no parser process")
        answer, reason = None, "the parser process answered out of turn; not imported"
        try:
            answer = worker.receive()
        except WorkerCrashed as exc:
            reason = str(exc)
        self._queued[slot].popleft()
        files = self._tasks.pop(number)
        if isinstance(answer, list) and len(answer) == len(files):
            return answer
        # The worker died on this task. A new one parses its files one at a time, so that only the file it
        # died on fails; then it takes over the tasks that were queued behind.
        self._restart(slot)
        answers = [self._alone(slot, origin, data, reason) for origin, data in files] if len(files) > 1 else \
            [(email_in.ImportFailure(files[0][0], reason), None)]
        for later in self._queued[slot]:
            self._send(slot, later)
        return answers

    def _alone(self, slot: int, origin: str, data: bytes, reason: str) -> Parsed:
        """One file of a task a worker died on, parsed alone by the (new) worker in `slot`."""
        worker = self._workers[slot]
        if worker is not None:
            worker.send([(origin, data)])
            try:
                answer = worker.receive()
                if isinstance(answer, list) and len(answer) == 1:
                    return answer[0]
            except WorkerCrashed as exc:
                reason = str(exc)
            except WorkersUnavailable:
                pass
            self._restart(slot)
        return email_in.ImportFailure(origin, reason), None

    def close(self, wait: bool = True) -> None:
        """Stop the workers: let them finish what they were given (wait) or end them at once."""
        workers = [w for w in self._workers if w is not None]
        self._workers = [None] * len(self._workers)
        for worker in workers:  # all told first, so that they end together
            worker.hang_up()
        for worker in workers:
            worker.stop(wait)

    def _send(self, slot: int, number: int) -> None:
        worker = self._workers[slot]
        if worker is not None:
            worker.send(self._tasks[number])

    def _start(self, slot: int) -> None:
        self._workers[slot] = _Worker(self._setup)

    def _restart(self, slot: int) -> None:
        self._stop(slot)
        try:
            self._start(slot)
        except OSError:
            pass  # no new worker: the importer is told so when it asks for the next answer

    def _stop(self, slot: int, wait: bool = False) -> None:
        worker, self._workers[slot] = self._workers[slot], None
        if worker is not None:
            worker.stop(wait)


class _Worker:
    """One worker process and the two pipes to it."""

    def __init__(self, setup: tuple[Any, ...]):
        tasks_read, tasks_write = os.pipe()
        results_read, results_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, _ROOT, str(tasks_read), str(results_write)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                pass_fds=(tasks_read, results_write), start_new_session=True)
        except BaseException:
            for fd in (tasks_read, tasks_write, results_read, results_write):
                os.close(fd)
            raise
        os.close(tasks_read)
        os.close(results_write)
        for fd in (tasks_write, results_read):
            _widen(fd)
        self._tasks: BinaryIO = open(tasks_write, "wb")
        self._results: BinaryIO = open(results_read, "rb")
        self._failed = False
        self._ready = False  # whether it said it is ready: it started, and read its setup
        self.send(setup)

    def send(self, message: Any) -> None:
        if self._failed:
            return
        try:
            _write(self._tasks, message)
        except (OSError, ValueError):  # it is gone; `receive` says so
            self._failed = True

    def receive(self) -> Any:
        try:
            if self._failed:
                raise EOFError
            if not self._ready:
                self._ready = _read(self._results) == "ready"
            return _read(self._results)
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            if not self._ready:
                self.stop(wait=False)
                raise WorkersUnavailable("the parser process did not start") from None
            try:
                code = self.process.wait(5)
            except subprocess.TimeoutExpired:
                code = None
            how = (f"killed by signal {-code}" if code is not None and code < 0 else
                   f"exit code {code}" if code is not None else type(exc).__name__)
            raise WorkerCrashed(f"the parser process stopped ({how}) while reading this file; not imported") \
                from None

    def hang_up(self) -> None:
        """No more tasks: the worker ends when it has answered those it has."""
        try:
            self._tasks.close()
        except OSError:
            pass

    def stop(self, wait: bool) -> None:
        """End the worker: once it has answered what it has (wait, up to a few seconds), or now."""
        self.hang_up()
        if wait:
            # Its end closes the answer pipe: waiting on that wakes up at once, unlike a timed wait.
            deadline = time.monotonic() + 5
            try:
                while (left := deadline - time.monotonic()) > 0 and select.select([self._results], [], [], left)[0]:
                    if not os.read(self._results.fileno(), 1 << 16):
                        break
            except (OSError, ValueError):
                pass
        if self.process.poll() is None or wait:
            try:
                self.process.wait(0.5 if wait else 0)
            except subprocess.TimeoutExpired:
                pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._results.close()


def _widen(fd: int) -> None:
    """Let a pipe hold a megabyte (a task or an answer of a hundred notices fits) where Linux allows it."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass  # the default size only means more waits


def _write(stream: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("!Q", len(data)))
    stream.write(data)
    stream.flush()


def _read(stream: BinaryIO) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    size = struct.unpack("!Q", head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


# --- in the worker process ----------------------------------------------------------------------


def serve(tasks_fd: str, results_fd: str) -> None:
    """A worker's life: the setup, then tasks answered until the importer closes the pipe (or is gone).
    Tasks are read and answers written by threads of their own, so that parsing never waits for the
    importer (busy writing a batch) to take an answer, nor the importer for a worker to take a task."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tasks = open(int(tasks_fd), "rb")
    results = open(int(results_fd), "wb")
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    outbox: queue.SimpleQueue = queue.SimpleQueue()

    def read() -> None:
        try:
            while True:
                inbox.put(_read(tasks))
        except (EOFError, OSError, pickle.UnpicklingError):
            inbox.put(None)

    def write() -> None:
        while (answer := outbox.get()) is not None:
            try:
                _write(results, answer)
            except (OSError, ValueError):  # the importer is gone
                os._exit(0)
        results.close()

    threading.Thread(target=read, daemon=True).start()
    setup = inbox.get()
    if setup is None:
        return
    try:
        _write(results, "ready")  # before any task: a worker that dies later died on its task
    except (OSError, ValueError):
        return
    writer = threading.Thread(target=write)
    writer.start()
    try:
        _answer(setup, inbox, outbox)
    finally:
        outbox.put(None)
        writer.join()
    os._exit(0)  # every answer is written: nothing is left for an orderly interpreter exit to do


def _answer(setup: tuple[Any, ...], inbox: queue.SimpleQueue, outbox: queue.SimpleQueue) -> None:
    from console.core.reading import load_rules

    rules_table, sender_patterns = setup
    rules = load_rules(rules_table or None)
    amazon: dict[str, bool] = {}

    def is_amazon(address: str) -> bool:
        if address not in amazon:
            amazon[address] = email_in.is_amazon_sender(address, sender_patterns)
        return amazon[address]

    while (files := inbox.get()) is not None:
        # All parsed, then all extracted: each loop keeps to its own code (a little faster than alternating).
        records = [email_in.parse_bytes(data, origin) for origin, data in files]
        outbox.put([_extract_one(record, rules, is_amazon) for record in records])


def _extract_one(record, rules, is_amazon) -> Parsed:
    """A parsed file with its fields, when it is a dated notice from Amazon."""
    if not isinstance(record, email_in.ParsedEmail) or record.date is None or not (
            is_amazon(record.sender) or (record.forwarded_sender is not None and is_amazon(record.forwarded_sender))):
        return record, None
    try:
        fields = extract_email(record.subject, record.text, record.date, rules, record.flat_text)
    except Exception:  # the importer extracts it again, and meets the error where it would have
        return record, None
    # Sent back without what the importer no longer needs: the flattened text (for extraction) and the
    # body the fields repeat (the importer stores the record's text).
    record.flat_text = fields.body = ""
    return record, fields
