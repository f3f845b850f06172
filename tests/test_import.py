"""Importing the corpus in tests/data: what is stored, what is skipped, and that a second run adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.ingest.pipeline import Importer
from console.store import health as health_store
from console.triage import Filter

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
    assert created and all(r["subject"].startswith("Account health:") for r in created)
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
    from console.cli import main

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
