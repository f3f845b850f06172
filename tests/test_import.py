"""Importing the corpus in tests/data: what is stored, what is skipped, and that a second run adds nothing."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from console.core.triage import Filter
from console.ingest.pipeline import Importer
from console.store import health as health_store

DATA = Path(__file__).parent / "data"


@pytest.fixture
def accounts(desk):
    desk.add_account("Northwind", ["US", "CA"], ["notices+northwind@ops.example.com"])
    desk.add_account("Brightwater", ["UK", "DE"], ["eu-ops@brightwater.example.com"])
    return desk


def stored(desk, **where):
    rows = desk.store.rows("SELECT n.*, a.name AS account FROM notifications n LEFT JOIN accounts a "
                           "ON a.id = n.account_id ORDER BY n.id")
    return [r for r in rows if all(r[k] == v for k, v in where.items())]


def test_email_corpus_imports_once(accounts):
    summary = Importer(accounts).run([DATA / "email"])
    assert summary.imported == len(stored(accounts))
    assert ("not from Amazon (news@example.org)" in {r for _, r in summary.skipped})
    assert any(o.endswith("garbage.eml") for o, _ in summary.failed)
    assert any("truncated mbox" in r for _, r in summary.failed)
    assert any("unknown charset" in m for _, m in summary.warnings)
    again = Importer(accounts).run([DATA / "email"])
    assert again.imported == 0 and again.duplicates == summary.imported + summary.duplicates
    assert accounts.store.rows("SELECT count(*) AS n FROM audit WHERE action = 'notification.add'")[0]["n"] == \
        summary.imported


def test_duplicate_message_id_and_content_twins(accounts):
    s = Importer(accounts).run([DATA / "email" / "plain.eml", DATA / "email" / "duplicate.eml",
                                DATA / "email" / "no_message_id.eml", DATA / "email" / "no_message_id_copy.eml"])
    assert (s.imported, s.duplicates) == (2, 2)


def test_account_from_recipient_and_forwarded_block(accounts):
    Importer(accounts).run([DATA / "email" / "plain.eml", DATA / "email" / "forwarded.eml"])
    [plain] = stored(accounts, source="email", account="Northwind")
    assert plain["marketplace"] == "US"
    [fwd] = stored(accounts, account="Brightwater")
    assert fwd["marketplace"] == "UK" and fwd["subject"].startswith("Fwd:")


def test_latin1_notice_is_decoded_and_filed_by_sender_domain(accounts):
    Importer(accounts).run([DATA / "email" / "latin1.eml"])
    [row] = stored(accounts)
    assert row["marketplace"] == "DE" and "ü" in row["body"] + row["subject"]


def test_unknown_account_is_kept_unassigned_then_assigned(desk):
    desk.add_account("Other", ["US"])
    s = Importer(desk).run([DATA / "email" / "plain.eml"])
    assert (s.imported, s.unassigned) == (1, 1)
    [row] = stored(desk)
    assert row["account_id"] is None
    entries = desk.sidebar()
    assert entries[-1].unassigned and entries[-1].unread == 1
    assert desk.count(Filter(unassigned=True)) == (1, 1)
    n = desk.notification(row["id"])
    moved = desk.assign(n.id, desk.account("Other"), "US", n.version)
    assert moved.account == "Other" and desk.count(Filter(unassigned=True)) == (0, 0)


def test_account_flag_overrides_recipients(accounts):
    Importer(accounts, "Brightwater").run([DATA / "email" / "plain.eml"])
    assert [r["account"] for r in stored(accounts)] == ["Brightwater"]


def test_dry_run_stores_nothing(accounts):
    s = Importer(accounts, dry_run=True).run([DATA / "email"])
    assert s.imported > 0 and stored(accounts) == []


def test_spapi_status_changes_both_casings_sqs_and_history(accounts):
    s = Importer(accounts, "Northwind").run([DATA / "spapi" / "status_camel.json", DATA / "spapi" / "status_pascal.json",
                                             DATA / "spapi" / "sqs_dump.json", DATA / "spapi" / "sns_envelope.json"])
    assert s.failed == [] and s.imported >= 4
    subjects = [r["subject"] for r in stored(accounts, source="spapi")]
    assert "Account status: NORMAL → AT_RISK" in subjects
    deactivated = [r for r in stored(accounts, source="spapi") if r["subject"].endswith("DEACTIVATED")]
    assert deactivated and all(r["severity"] == "critical" for r in deactivated)
    history = health_store.status_history(accounts.store, accounts.account("Northwind").id)
    assert len(history) == s.imported
    again = Importer(accounts, "Northwind").run([DATA / "spapi" / "status_camel.json"])
    assert (again.imported, again.duplicates) == (0, 1)


def test_spapi_broken_line_and_unknown_status(accounts):
    s = Importer(accounts, "Northwind").run([DATA / "spapi" / "status_lines.jsonl", DATA / "spapi" / "status_array.json",
                                             DATA / "spapi" / "broken.json"])
    assert any(o.endswith("status_lines.jsonl#2") for o, _ in s.failed)
    assert any("not valid JSON" in r and "line" in r for o, r in s.failed if o.endswith("broken.json"))
    assert any(r["subject"].endswith("SUSPENDED") for r in stored(accounts, source="spapi"))


def test_report_snapshots_and_health_notifications(accounts):
    s = Importer(accounts, "Northwind").run([DATA / "spapi" / "report.json"])
    assert s.snapshots == 2
    northwind = accounts.account("Northwind").id
    summary = health_store.health_summary(accounts.store, northwind, accounts.config.ahr_bands)
    assert summary["ahr_score"] == 184 and summary["ahr_band"] == "at_risk"
    assert summary["bad_metrics"]  # the BAD metrics of the report
    created = stored(accounts, source="spapi-report")
    # The metrics past their targets, and the US marketplace turning AT_RISK (no snapshot before it).
    assert [r["subject"] for r in created if not r["subject"].startswith("Account health:")] == [
        "Account status on US: not reported → AT_RISK"]
    # The same report again: no new snapshot, no new notification.
    again = Importer(accounts, "Northwind").run([DATA / "spapi" / "report.json"])
    assert (again.snapshots, again.imported) == (0, 0)
    # Alternative spellings give the same canonical snapshot (so it is a duplicate of the US one).
    alt = Importer(accounts, "Northwind").run([DATA / "spapi" / "report_alt_spellings.json"])
    assert alt.snapshots == 0 and alt.duplicates == 1


def test_gzip_report(accounts):
    s = Importer(accounts, "Brightwater").run([DATA / "spapi" / "report.json.gz"])
    assert s.snapshots >= 1 and s.failed == []


def test_report_without_account_is_skipped_with_reason(accounts):
    s = Importer(accounts).run([DATA / "spapi" / "report.json"])
    assert s.snapshots == 0 and any("needs --account" in r for _, r in s.skipped)


def test_cli_import_summary_json_and_exit_codes(tmp_path, capsys, monkeypatch):
    from console.cli.commands import main

    db = str(tmp_path / "cli.db")
    main(["accounts", "add", "Northwind", "--marketplace", "US", "--email", "notices+northwind@ops.example.com",
          "--db", db])
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["import", str(DATA / "email"), "--json", "--db", db])
    assert exc.value.code == 1  # garbage.eml and the truncated mbox failed; the rest is imported
    data = json.loads(capsys.readouterr().out)
    assert data["imported"] > 0 and data["failed"] and data["dry_run"] is False
    main(["import", str(DATA / "email" / "plain.eml"), "--db", db])
    assert capsys.readouterr().out.startswith("imported 0, duplicates 1")
    with pytest.raises(SystemExit) as exc:
        main(["import", "--db", db])
    assert exc.value.code == 2
    main(["status", "--json", "--db", db])
    assert "health" in json.loads(capsys.readouterr().out)["accounts"][0]


def test_watch_keeps_importing_what_arrives_until_interrupted(tmp_path):
    """`import --watch` on a Maildir: new messages are imported as they arrive; Ctrl-C ends it cleanly."""
    import shutil
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    maildir = tmp_path / "Maildir"
    shutil.copytree(DATA / "email" / "maildir", maildir)
    db = tmp_path / "watch.db"
    env = {**__import__("os").environ, "FLAGDESK_OPERATOR": "cron"}
    subprocess.run([sys.executable, "-m", "console", "accounts", "add", "Northwind", "--marketplace", "US",
                    "--db", str(db)], check=True, capture_output=True, env=env)

    def count() -> int:
        try:
            with sqlite3.connect(db) as conn:
                return conn.execute("SELECT count(*) FROM notifications").fetchone()[0]
        except sqlite3.Error:
            return -1

    def wait_for(n: int) -> bool:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if count() >= n:
                return True
            time.sleep(0.1)
        return False

    proc = subprocess.Popen([sys.executable, "-m", "console", "import", str(maildir), "--account", "Northwind",
                             "--watch", "--interval", "0.2", "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        first = len(list((maildir / "new").iterdir())) + len(list((maildir / "cur").iterdir()))
        assert wait_for(first)
        arriving = (DATA / "email" / "plain.eml").read_bytes()
        (maildir / "new" / "1762999999.M1P1.box").write_bytes(arriving.replace(b"Message-ID: <", b"Message-ID: <new-"))
        assert wait_for(first + 1)
        time.sleep(0.5)
        assert count() == first + 1  # nothing imported twice while watching
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode in (0, 130), err


# --- Maildir batches, duplicates known from their headers, progress ------------------------------


def notice_maildir(folder: Path, count: int, *, first: int = 0, sender: str = "seller-performance@amazon.com",
                   subject: str | None = None, message_ids: list[str] | None = None) -> list[Path]:
    """A Maildir of `count` demo notices to Northwind's notice address, one file each, in new/."""
    from console.demo import notices as demo_data

    for sub in ("cur", "new", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(first, first + count):
        notice = demo_data.NOTICES[n % len(demo_data.NOTICES)]
        title, _, body = notice["text"].partition("\n")
        mid = message_ids[n - first] if message_ids else f"batch-{n}@amazon.com"
        raw = (f"From: {sender}\nTo: notices+northwind@ops.example.com\n"
               f"Subject: {subject or title.removeprefix('Subject: ')}\nMessage-ID: <{mid}>\n"
               f"Date: Thu, 26 Nov 2026 10:{n % 60:02d}:00 +0000\nContent-Type: text/plain; charset=utf-8\n\n{body}\n")
        path = folder / "new" / f"{1762900000 + n}.M{n}P1.box"
        path.write_text(raw, encoding="utf-8")
        files.append(path)
    return files


def audit_adds(desk) -> dict[int, dict]:
    rows = desk.store.rows("SELECT row_id, detail FROM audit WHERE action = 'notification.add' ORDER BY id")
    assert len({r["row_id"] for r in rows}) == len(rows)  # one row per notification
    return {r["row_id"]: json.loads(r["detail"]) for r in rows}


def test_maildir_batch_names_every_notification_in_the_audit(accounts, monkeypatch):
    from console.ingest import pipeline

    monkeypatch.setattr(pipeline, "BATCH", 4)
    notice_maildir(Path(accounts.store.path).parent / "Maildir", 10)
    s = Importer(accounts).run([Path(accounts.store.path).parent / "Maildir"])
    assert (s.imported, s.duplicates, s.failed) == (10, 0, [])
    rows = stored(accounts)
    adds = audit_adds(accounts)
    assert sorted(adds) == [r["id"] for r in rows]
    raw = {r["row_id"]: r["detail"] for r in accounts.store.rows(
        "SELECT row_id, detail FROM audit WHERE action = 'notification.add'")}
    for r in rows:
        expected = {"subject": r["subject"], "source": "email", "severity": r["severity"], "category": r["category"],
                    "cause": r["cause"]}
        assert adds[r["id"]] == expected
        assert raw[r["id"]] == json.dumps(expected, ensure_ascii=False)  # the text store.audit writes
    assert {r["account"] for r in rows} == {"Northwind"} and all(r["external_id"].startswith("mid:batch-") for r in rows)


def test_import_killed_mid_batch_then_run_again_counts_exactly(accounts, monkeypatch):
    """A batch is one transaction: killed in the second batch, the first stays whole and the second leaves
    nothing; running the import again adds exactly the rest, each notification once, each audited once."""
    from console.ingest import pipeline

    monkeypatch.setattr(pipeline, "BATCH", 4)
    folder = Path(accounts.store.path).parent / "Maildir"
    notice_maildir(folder, 10)
    real = pipeline.notes.add_notifications
    calls = []

    def killed_on_the_second_batch(store, news):
        calls.append(len(news))
        ids = real(store, news)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process is stopped with the batch's rows written, not committed
        return ids

    monkeypatch.setattr(pipeline.notes, "add_notifications", killed_on_the_second_batch)
    with pytest.raises(KeyboardInterrupt):
        Importer(accounts).run([folder])
    assert len(stored(accounts)) == 4 and len(audit_adds(accounts)) == 4
    monkeypatch.setattr(pipeline.notes, "add_notifications", real)
    again = Importer(accounts).run([folder])
    assert (again.imported, again.duplicates, again.failed) == (6, 4, [])
    rows = stored(accounts)
    assert len(rows) == 10 and len({r["external_id"] for r in rows}) == 10
    assert sorted(audit_adds(accounts)) == [r["id"] for r in rows]


def test_reimport_counts_known_message_ids_without_parsing_them(accounts, monkeypatch):
    from console.ingest import pipeline

    folder = Path(accounts.store.path).parent / "Maildir"
    notice_maildir(folder, 6)
    assert Importer(accounts).run([folder]).imported == 6
    # New files: one new notice, one reusing a stored Message-ID but not from Amazon (it must be read in full
    # to be skipped, not counted as a duplicate), and one duplicate of a stored notice.
    notice_maildir(folder, 1, first=100)
    notice_maildir(folder, 1, first=96, sender="someone@example.org", message_ids=["batch-0@amazon.com"])
    notice_maildir(folder, 1, first=102, message_ids=["batch-1@amazon.com"])
    parsed = []
    real_parse = pipeline.email_in.parse_bytes

    def parse(data, origin):
        parsed.append(Path(origin).name)
        return real_parse(data, origin)

    monkeypatch.setattr(pipeline.email_in, "parse_bytes", parse)
    s = Importer(accounts).run([folder])
    assert (s.imported, s.duplicates) == (1, 7)
    assert s.skipped == [(str(folder / "new" / "1762900096.M96P1.box"), "not from Amazon (someone@example.org)")]
    assert sorted(parsed) == ["1762900096.M96P1.box", "1762900100.M100P1.box"]
    assert len(stored(accounts)) == 7


def test_same_message_id_twice_in_one_batch_is_one_notification(accounts):
    folder = Path(accounts.store.path).parent / "Maildir"
    notice_maildir(folder, 3, message_ids=["twin@amazon.com", "other@amazon.com", "twin@amazon.com"])
    s = Importer(accounts).run([folder])
    assert (s.imported, s.duplicates) == (2, 1)
    assert sorted(r["external_id"] for r in stored(accounts)) == ["mid:other@amazon.com", "mid:twin@amazon.com"]


def test_a_failing_batch_is_redone_file_by_file(accounts, monkeypatch):
    import sqlite3

    from console.ingest import pipeline

    folder = Path(accounts.store.path).parent / "Maildir"
    notice_maildir(folder, 3)
    broken = notice_maildir(folder, 1, first=3, subject="BROKEN notice")[0]
    real = pipeline.notes.add_notifications

    def refuse_broken(store, news):
        if any(n.subject == "BROKEN notice" for n in news):
            raise sqlite3.DataError("string or blob too big")
        return real(store, news)

    monkeypatch.setattr(pipeline.notes, "add_notifications", refuse_broken)
    s = Importer(accounts).run([folder])
    assert s.imported == 3 and s.failed == [(str(broken), "cannot import: string or blob too big")]
    assert len(stored(accounts)) == 3 and len(audit_adds(accounts)) == 3


def test_dry_run_of_a_maildir_counts_and_stores_nothing(accounts):
    folder = Path(accounts.store.path).parent / "Maildir"
    notice_maildir(folder, 5, message_ids=["a@amazon.com", "b@amazon.com", "a@amazon.com", "c@amazon.com",
                                           "d@amazon.com"])
    s = Importer(accounts, dry_run=True).run([folder])
    assert (s.imported, s.duplicates) == (4, 1)
    assert stored(accounts) == [] and audit_adds(accounts) == {}


def test_run_reports_progress_with_the_total_known_first(accounts, monkeypatch):
    from console.ingest import pipeline

    monkeypatch.setattr(pipeline, "BATCH", 3)
    folder = Path(accounts.store.path).parent / "Maildir"
    notice_maildir(folder, 7)
    seen = []
    Importer(accounts).run([folder, DATA / "email" / "missing.eml", DATA / "email" / "plain.eml"],
                           progress=seen.append)
    assert [(p.done, p.total, p.failed) for p in seen] == [
        (0, 8, 0), (3, 8, 0), (6, 8, 0), (7, 8, 0), (7, 8, 1), (8, 8, 1)]  # the missing path counts as failed


class FakeTerminal(io.StringIO):
    """Standard error as a terminal."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_bar_redraws_one_line_and_clears_it():
    from console.cli.progress import CLEAR, ProgressBar
    from console.core.model import Progress

    err, clock = FakeTerminal(), Ticks()
    bar = ProgressBar(err, clock=clock, columns=100)
    bar(Progress(0, 10_000, 0))
    clock.now += 10
    bar(Progress(4_200, 10_000, 3))
    clock.now += 0.05
    bar(Progress(4_300, 10_000, 3))  # too soon: not redrawn
    clock.now += 10
    bar(Progress(10_000, 10_000, 3))
    bar.finish()
    frames = err.getvalue().split("\r")[1:]
    assert frames == [
        "importing  ░░░░░░░░░░░░░░░░  0/10,000  0%\033[K",
        "importing  ██████░░░░░░░░░░  4,200/10,000  42%  ~14 s left  (3 files failed)\033[K",
        "importing  ████████████████  10,000/10,000  100%  (3 files failed)\033[K",
        "\033[K",
    ]
    assert CLEAR == "\r\033[K" and "\n" not in err.getvalue()


def test_progress_bar_only_for_long_work_at_a_terminal():
    from console.cli.progress import ProgressBar
    from console.core.model import Progress

    quiet = io.StringIO()  # not a terminal: never a bar
    bar = ProgressBar(quiet)
    bar(Progress(0, 100_000, 0))
    bar(Progress(100_000, 100_000, 0))
    bar.finish()
    assert quiet.getvalue() == ""

    err, clock = FakeTerminal(), Ticks()
    bar = ProgressBar(err, clock=clock, columns=30)  # few files: a bar only once it takes over 2 s
    bar(Progress(0, 40, 0))
    clock.now += 1
    bar(Progress(10, 40, 1))
    assert err.getvalue() == ""
    clock.now += 1.5
    bar(Progress(20, 40, 1))
    assert err.getvalue() == "\r" + "importing  ████████░░░░░░░░  20/40  50%  ~3 s left  (1 file failed)"[:29] + "\033[K"
    bar.finish()
    assert err.getvalue().endswith("\r\033[K")


def test_progress_bar_without_block_characters_when_the_terminal_cannot_show_them():
    from console.cli.progress import ProgressBar
    from console.core.model import Progress

    class AsciiTerminal(FakeTerminal):
        encoding = "ascii"

    err = AsciiTerminal()
    ProgressBar(err, columns=80)(Progress(1_000, 2_000, 0))
    assert err.getvalue().startswith("\rimporting  ########--------  1,000/2,000  50%")


def test_cli_import_draws_the_bar_on_a_terminal_never_with_json(tmp_path, capsys, monkeypatch):
    from console.cli import progress
    from console.cli.commands import main

    db = str(tmp_path / "cli.db")
    main(["accounts", "add", "Northwind", "--marketplace", "US", "--email", "notices+northwind@ops.example.com",
          "--db", db])
    capsys.readouterr()
    folder = tmp_path / "Maildir"
    notice_maildir(folder, 5)
    monkeypatch.setattr(progress, "MIN_ITEMS", 2)  # five files count as long work here
    err = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", err)
    main(["import", str(folder), "--db", db])
    out = capsys.readouterr().out
    assert out.startswith("imported 5, duplicates 0") and "\033" not in out and "importing" not in out
    assert "\rimporting  " in err.getvalue() and "5/5  100%" in err.getvalue()
    assert err.getvalue().endswith("\r\033[K")  # cleared before the summary

    err = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", err)
    main(["import", str(folder), "--json", "--db", db])
    assert json.loads(capsys.readouterr().out)["duplicates"] == 5
    assert err.getvalue() == ""


def test_batch_insert_split_by_the_parameter_limit(accounts, monkeypatch):
    from console.store import notifications as notes_store

    monkeypatch.setattr(notes_store, "_max_params", lambda conn: 50)  # two notifications, eight audit rows a statement
    folder = Path(accounts.store.path).parent / "Maildir"
    notice_maildir(folder, 9)
    assert Importer(accounts).run([folder]).imported == 9
    rows = stored(accounts)
    assert [r["external_id"] for r in rows] == [f"mid:batch-{n}@amazon.com" for n in range(9)]
    assert sorted(audit_adds(accounts)) == [r["id"] for r in rows]


def test_summary_lines_never_carry_a_hostile_file_name_raw(tmp_path, desk):
    """A file named with an OSC 52 (clipboard) sequence fails to import; its summary line is one clean line."""
    from console.ingest.pipeline import Importer

    bad = tmp_path / "evil\x1b]52;c;ZXZpbA==\x07name.eml"
    bad.write_bytes(b"\x00\x01 not an email")
    summary = Importer(desk).run([bad], "auto")
    assert summary.failed and "\x1b" in summary.failed[0][0]  # kept exact for --json and for finding the file
    lines = summary.lines()
    assert not any("\x1b" in line or "\x07" in line or "\n" in line for line in lines)
    assert any(line.startswith("failed ") and "evil" in line and "name.eml" in line for line in lines)


def test_a_batch_refused_by_a_held_lock_fails_once_not_file_by_file(accounts, monkeypatch):
    """Past the busy timeout the batch fails whole, with the one reason, instead of each file waiting again."""
    import sqlite3

    from console.ingest import pipeline

    folder = Path(accounts.store.path).parent / "Maildir"
    units = notice_maildir(folder, 3)
    accounts.store.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(accounts.store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a stuck writer
    redone = []
    monkeypatch.setattr(pipeline.Importer, "_import_one", lambda self, *a: redone.append(a))
    try:
        s = Importer(accounts).run([folder])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert redone == [] and s.imported == 0 and len(s.failed) == 3
    assert {o for o, _ in s.failed} == {str(u) for u in units}
    assert all("database is locked" in r and "\n" not in r for _, r in s.failed)
    assert Importer(accounts).run([folder]).imported == 3  # a re-run completes it


def test_a_full_disk_stops_the_import_at_once_with_one_line(accounts, monkeypatch):
    """Every file after a full disk would fail the same way: one line naming the file and the count so far,
    instead of thousands of "failed" lines; a re-run goes on where it stopped."""
    import sqlite3

    from console.ingest import pipeline

    folder = Path(accounts.store.path).parent / "Maildir"
    notice_maildir(folder, 40)
    real = pipeline.notes.add_notifications
    calls = {"n": 0}

    def fill_up(store, news):
        calls["n"] += 1
        if calls["n"] > 1:
            raise sqlite3.OperationalError("database or disk is full")
        return real(store, news)

    monkeypatch.setattr(pipeline, "BATCH", 10)
    monkeypatch.setattr(pipeline.notes, "add_notifications", fill_up)
    s = Importer(accounts).run([folder])
    assert s.imported == 10 and len(s.failed) == 1
    assert s.stopped.startswith("stopped at ") and "database or disk is full; 10 imported before it" in s.stopped
    assert s.lines()[-1] == s.stopped and len(s.lines()) == 3
    monkeypatch.setattr(pipeline.notes, "add_notifications", real)
    again = Importer(accounts).run([folder])
    assert again.imported == 30 and again.duplicates == 10 and again.stopped is None
