"""A big Maildir import parses in worker processes (console/ingest/parallel.py): what it stores, counts and
reports is what an import in one process stores, counts and reports; a worker that dies costs only the
file it died on; Ctrl-C and SIGKILL leave no worker behind."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.desk import Desk
from console.ingest import parallel, pipeline
from console.ingest.pipeline import Importer
from console.store.db import open_store

from .reliability.maildirs import make_maildir, notice_email

DATA = Path(__file__).parent / "data" / "email"
TO = "notices+northwind@ops.example.com"
# A worker that dies (SIGKILL) on any file whose name holds CRASH; the rest is the real worker.
CRASHING_BOOT = (
    "import os, signal, sys; sys.path[0] = sys.argv[1]; import console.ingest.parallel as p; "
    "real = p.email_in.parse_bytes; p.email_in.parse_bytes = lambda data, origin: "
    "os.kill(os.getpid(), signal.SIGKILL) if 'CRASH' in origin else real(data, origin); p.serve(*sys.argv[2:])"
)


def with_accounts(desk: Desk) -> Desk:
    desk.add_account("Northwind", ["US", "CA"], [TO])  # two marketplaces: a notice naming none is warned of
    desk.add_account("Brightwater", ["UK", "DE"], ["eu-ops@brightwater.example.com"])
    return desk


@pytest.fixture
def two_desks(desk, tmp_path, config, clock):
    """The test's desk and another on its own database, the same accounts in both."""
    other = open_store(tmp_path / "other.db", "tester", clock)
    yield with_accounts(desk), with_accounts(Desk(other, config, clock))
    other.close()


@pytest.fixture
def small_batches(monkeypatch):
    """Workers for any Maildir, however small; small batches and tasks, so that a few dozen files make many."""
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 0)
    monkeypatch.setattr(pipeline, "BATCH", 5)
    monkeypatch.setattr(pipeline, "_TASK", 2)
    if parallel.worker_count() == 0:  # one core: none would start; two are asked for all the same
        monkeypatch.setattr(parallel, "worker_count", lambda: 2)


def mixed_maildir(folder: Path) -> Path:
    """Every kind of file a Maildir import meets: notices, duplicates in one batch and across batches, one
    stored before, one from elsewhere, an empty file, a gzip file, one without a date, one without a
    Message-ID (twice), a forwarded one, HTML, an unknown charset, garbage, one for no account, one whose
    marketplace the account's two could not tell."""
    make_maildir(folder, 14, "mix", TO)  # new/ holds mix-1, 2, 4, 5, 7 (batch 1), 8, 10, 11, 13 (batch 2)
    new = folder / "new"
    # Twins of mix-13: the first in its batch, the second in the next, read (with batches 1 and 2) before
    # batch 2 is stored: it is found stored when its batch is, and counted without its warning.
    (new / "1762900020.twin").write_text(notice_email("mix-13", TO, 13), encoding="utf-8")
    (new / "1762900021.twin").write_text(notice_email("mix-13", TO, 13).replace("charset=UTF-8", "charset=x-bar"),
                                         encoding="utf-8")
    for name in ("plain.eml", "forwarded.eml", "html_only.eml", "latin1.eml", "unknown_charset.eml",
                 "no_message_id.eml", "no_message_id_copy.eml", "not_amazon.eml", "garbage.eml", "base64.eml",
                 "rfc2047_subject.eml", "multipart.eml", "notice.eml.gz"):
        shutil.copyfile(DATA / name, new / f"1762910000.{name}")
    (new / "1762910001.empty").write_bytes(b"")
    (new / "1762910002.twin").write_text(notice_email("mix-3", TO, 3), encoding="utf-8")  # later batch, same id
    (new / "1762910003.twin").write_text(notice_email("mix-5", TO, 5), encoding="utf-8")
    undated = notice_email("undated", TO, 7).replace("Date: Mon, 02 Nov 2026 16:07:00 +0000\n", "")
    assert "Date:" not in undated
    (new / "1762910004.undated").write_text(undated, encoding="utf-8")
    (new / "1762910005.nomarket").write_text(
        notice_email("nomarket", TO, 8).replace("Amazon.com", "Amazon"), encoding="utf-8")
    (new / "1762910006.gz").write_bytes(gzip.compress(notice_email("zipped", TO, 9).encode()))
    (new / "1762910007.elsewhere").write_text(notice_email("elsewhere", "ops@example.net", 10), encoding="utf-8")
    (new / "1762910008.europe").write_text(
        notice_email("europe", "eu-ops@brightwater.example.com", 11).replace("Amazon.com", "Amazon")
        .replace("@amazon.com", "@sellercentral-europe.amazon.com"), encoding="utf-8")
    return folder


def everything(desk: Desk) -> tuple[list, list]:
    return (desk.store.rows("SELECT * FROM notifications ORDER BY id"),
            desk.store.rows("SELECT * FROM audit ORDER BY id"))


def test_workers_store_and_report_exactly_what_one_process_does(two_desks, tmp_path, small_batches, monkeypatch):
    with_workers, alone = two_desks
    folder = mixed_maildir(tmp_path / "Maildir")
    for desk in (with_workers, alone):  # one notice stored before: known from its header block
        Importer(desk).run([folder / "cur" / "1762900003.M3P1.box:2,S"])
    parsed_here = []
    real_parse = pipeline.email_in.parse_bytes

    def parse(data, origin):
        parsed_here.append(origin)
        return real_parse(data, origin)

    monkeypatch.setattr(pipeline.email_in, "parse_bytes", parse)
    first = Importer(with_workers).run([folder])
    assert parsed_here == []  # every message was parsed by a worker
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 10**9)
    second = Importer(alone).run([folder])
    assert len(parsed_here) > 20

    assert first.as_json() == second.as_json()
    assert (first.imported, first.duplicates, first.unassigned) == (28, 6, 1)
    assert [m for _, m in first.warnings] == [
        "unknown charset 'x-unknown-foo' in body: decoded as utf-8 with replacement characters",
        "marketplace not stated; filed under UK"]  # none from the twin known only once its twin was stored
    assert first.failed and first.skipped and first.warnings and first.unassigned
    assert everything(with_workers) == everything(alone)  # the same rows, ids, audit, in the same order
    # And again: every notice known, from its header or its dedupe key.
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 0)
    again = Importer(with_workers).run([folder])
    assert (again.imported, again.duplicates) == (0, 34)


def test_a_dry_run_with_workers_counts_as_one_without(desk, tmp_path, small_batches, monkeypatch):
    with_accounts(desk)
    folder = mixed_maildir(tmp_path / "Maildir")
    dry = Importer(desk, dry_run=True).run([folder])
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 10**9)
    assert dry.as_json() == Importer(desk, dry_run=True).run([folder]).as_json()
    assert desk.store.rows("SELECT count(*) AS n FROM notifications")[0]["n"] == 0
    assert dry.imported == 32  # a dry run stores no batch, so no later batch finds one stored


def test_a_worker_that_dies_fails_only_the_file_it_died_on(desk, tmp_path, small_batches, monkeypatch):
    with_accounts(desk)
    folder = make_maildir(tmp_path / "Maildir", 12, "crash", TO)
    victim = folder / "new" / "1762900004.M4P1.box"
    crashing = victim.with_name("1762900004.M4P1.CRASH.box")
    victim.rename(crashing)
    monkeypatch.setattr(parallel, "_BOOT", CRASHING_BOOT)
    s = Importer(desk).run([folder])
    assert s.failed == [(str(crashing), "the parser process stopped (killed by signal 9) while reading this "
                                        "file; not imported")]
    assert s.imported == 11
    ids = [r["external_id"] for r in desk.store.rows("SELECT external_id FROM notifications ORDER BY id")]
    assert ids == [f"mid:crash-{i}@email.amazonses.com" for i in (1, 2, 5, 7, 8, 10, 11, 0, 3, 6, 9)]  # new/, cur/


def test_workers_that_cannot_start_leave_the_parsing_to_the_importer(two_desks, tmp_path, small_batches,
                                                                      monkeypatch):
    with_workers, alone = two_desks
    folder = mixed_maildir(tmp_path / "Maildir")
    monkeypatch.setattr(parallel, "_BOOT", "import sys; sys.exit(3)")
    first = Importer(with_workers).run([folder])
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 10**9)
    assert first.as_json() == Importer(alone).run([folder]).as_json()
    assert everything(with_workers) == everything(alone)


def test_small_imports_start_no_worker(desk, tmp_path, monkeypatch):
    with_accounts(desk)

    def refuse(*args, **kwargs):
        raise AssertionError("a worker was started")

    monkeypatch.setattr(parallel, "ParsePool", refuse)
    folder = make_maildir(tmp_path / "Maildir", pipeline.PARALLEL_MIN, "few", TO)
    assert Importer(desk).run([folder]).imported == pipeline.PARALLEL_MIN


def test_interrupted_import_keeps_whole_batches_and_ends_its_workers(desk, tmp_path, small_batches, monkeypatch):
    with_accounts(desk)
    folder = make_maildir(tmp_path / "Maildir", 30, "stop", TO)
    started: list[subprocess.Popen] = []
    real_init = parallel._Worker.__init__

    def init(self, setup):
        real_init(self, setup)
        started.append(self.process)

    monkeypatch.setattr(parallel._Worker, "__init__", init)
    real_add = pipeline.notes.add_notifications
    calls = []

    def interrupted_on_the_second_batch(store, news):
        calls.append(len(news))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_add(store, news)

    monkeypatch.setattr(pipeline.notes, "add_notifications", interrupted_on_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        Importer(desk).run([folder])
    assert started and all(p.poll() is not None for p in started)
    assert desk.store.rows("SELECT count(*) AS n FROM notifications")[0]["n"] == 5


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


def gone(pid: int) -> bool:
    """Ended: no such process, or a zombie nobody has reaped yet."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def cli_import_with_workers(tmp_path: Path, desk: Desk) -> tuple[subprocess.Popen, set[int]]:
    """`flagdesk import` of a Maildir big enough for workers, once its first batch is stored and its workers
    run: the process and its workers' ids."""
    folder = make_maildir(tmp_path / "Maildir", pipeline.PARALLEL_MIN + 2 * pipeline.BATCH, "cli", TO)
    proc = subprocess.Popen([sys.executable, "-m", "console", "import", str(folder), "--db", str(desk.store.path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while desk.store.rows("SELECT count(*) AS n FROM notifications")[0]["n"] == 0:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no batch stored"
        workers |= children(proc.pid)
        time.sleep(0.005)
    workers |= children(proc.pid)
    return proc, workers


def wait_gone(pids: set[int]) -> None:
    deadline = time.monotonic() + 10
    while not all(gone(p) for p in pids):
        assert time.monotonic() < deadline, f"workers left running: {[p for p in pids if not gone(p)]}"
        time.sleep(0.02)


@pytest.mark.skipif(not Path("/proc/self/task").exists() or parallel.worker_count() == 0,
                    reason="needs /proc and more than one core")
def test_ctrl_c_stops_the_cli_import_and_its_workers(tmp_path, desk):
    with_accounts(desk)
    proc, workers = cli_import_with_workers(tmp_path, desk)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    if proc.returncode == 0:
        pytest.skip("the import finished before the interrupt arrived")
    assert proc.returncode == 130 and b"Traceback" not in err
    assert workers
    wait_gone(workers)
    stored = desk.store.rows("SELECT count(*) AS n FROM notifications")[0]["n"]
    assert stored % pipeline.BATCH == 0


@pytest.mark.skipif(not Path("/proc/self/task").exists() or parallel.worker_count() == 0,
                    reason="needs /proc and more than one core")
def test_workers_of_a_killed_import_exit(tmp_path, desk):
    with_accounts(desk)
    proc, workers = cli_import_with_workers(tmp_path, desk)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert workers
    wait_gone(workers)


def test_workers_that_cannot_be_started_at_all_leave_the_parsing_to_the_importer(two_desks, tmp_path,
                                                                                  small_batches, monkeypatch):
    with_workers, alone = two_desks
    folder = mixed_maildir(tmp_path / "Maildir")

    def no_process(*args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel.subprocess, "Popen", no_process)
    first = Importer(with_workers).run([folder])
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 10**9)
    assert first.as_json() == Importer(alone).run([folder]).as_json()
    assert everything(with_workers) == everything(alone)


def test_a_reimport_with_nothing_new_starts_no_worker(desk, tmp_path, small_batches, monkeypatch):
    with_accounts(desk)
    folder = make_maildir(tmp_path / "Maildir", 12, "again", TO)
    assert Importer(desk).run([folder]).imported == 12
    started = []
    monkeypatch.setattr(parallel._Worker, "__init__", lambda self, setup: started.append(setup))
    again = Importer(desk).run([folder])
    assert (again.imported, again.duplicates, started) == (0, 12, [])
