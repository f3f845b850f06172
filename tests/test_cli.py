"""The command line, run the way an operator runs it: arguments in, text and exit code out."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from console.cli.commands import main

NOTICE = """Subject: Notice: Received Intellectual Property Complaint

Hello,

We received a complaint from Acme Brands Ltd. that you are selling counterfeit products.
Why is this happening? The rights owner reports trademark infringement under our Intellectual Property Policy.
We have removed the listing. Send an appeal within 17 days.

ASIN: B0C1234567
Title: Steel bottle
Complaint ID: 9876543210
"""


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    db = tmp_path / "cli.db"
    monkeypatch.setenv("FLAGDESK_NOW", "2026-11-27T08:00:00Z")

    def _run(*args, stdin: str | None = None):
        if stdin is not None:
            import io

            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = 0
        try:
            main([*args, "--db", str(db)] if args and args[0] not in ("config",) else list(args))
        except SystemExit as exc:
            code = exc.code or 0
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_accounts_add_list_rename_archive(run):
    assert run("accounts", "add", "Northwind Home", "--marketplace", "US", "--marketplace", "ca",
               "--email", "n@ops.example.com")[0] == 0
    code, out, _ = run("accounts", "list", "--json")
    assert json.loads(out) == [{"id": 1, "name": "Northwind Home", "marketplaces": ["US", "CA"],
                                "emails": ["n@ops.example.com"], "seller_id": None, "archived": False}]
    assert run("accounts", "rename", "northwind home", "Northwind")[1] == "Renamed to Northwind\n"
    assert run("accounts", "archive", "Northwind")[0] == 0
    assert "No accounts yet" in run("accounts", "list")[1]
    assert run("accounts", "list", "--all")[1].splitlines()[1].split()[:3] == ["Northwind", "US,CA", "archived"]


def test_add_from_stdin_extracts_and_prints_id(run):
    run("accounts", "add", "Northwind", "--marketplace", "US")
    code, out, err = run("add", "--account", "northwind", "--file", "-", stdin=NOTICE)
    assert (code, out.strip()) == (0, "1"), err
    code, out, _ = run("show", "1", "--json")
    data = json.loads(out)
    assert data["account"] == "Northwind" and data["marketplace"] == "US"
    assert data["asins"] == ["B0C1234567"] and data["complaint_id"] == "9876543210"
    assert data["deadline_at"] == "2026-12-14T08:00:00Z"
    assert data["category"] == data["fate"] == "listings_removed" and data["cause"] == "ip_complaint"
    assert (data["fate_label"], data["cause_label"]) == ("Listings removed", "IP complaint")
    assert data["why"]["fate"]["rule"] == "fate.listings_removed" and data["corrected"] == []
    assert data["status"] == "new" and data["source"] == "cli"
    assert set(data) >= {"id", "account", "marketplace", "received_at", "subject", "body", "category", "severity",
                         "status", "policy", "asins", "skus", "order_ids", "complaint_id", "deadline_at",
                         "source", "external_id", "assignee"}


def test_add_errors_are_one_line(run, tmp_path):
    code, out, err = run("add", "--account", "ghost", "--file", str(tmp_path / "missing.txt"))
    assert code == 1 and err.startswith("flagdesk: error: unknown account 'ghost'") and err.count("\n") == 1
    run("accounts", "add", "Multi", "--marketplace", "UK", "--marketplace", "DE")
    code, _, err = run("add", "--account", "Multi", "--file", str(tmp_path / "missing.txt"))
    assert code == 1 and "missing.txt: cannot read" in err
    (tmp_path / "n.txt").write_text("Hello, a notice that names no marketplace.")
    code, _, err = run("add", "--account", "Multi", "--file", str(tmp_path / "n.txt"))
    assert code == 1 and "several marketplaces (UK, DE)" in err
    assert run("add", "--account", "Multi", "--marketplace", "DE", "--file", str(tmp_path / "n.txt"))[0] == 0


def test_list_and_status(run):
    run("accounts", "add", "Northwind", "--marketplace", "US")
    run("add", "--account", "Northwind", "--file", "-", stdin=NOTICE)
    code, out, _ = run("list")
    assert "Northwind" in out and "in 17d" in out
    code, out, _ = run("list", "--query", "counterfeit", "--json")
    assert [n["id"] for n in json.loads(out)] == [1]
    assert json.loads(run("list", "--status", "resolved", "--json")[1]) == []
    code, out, _ = run("status", "--json")
    data = json.loads(out)
    assert data["total"] == {"unread": 1, "open": 1, "due_24h": 0, "overdue": 0, "follow_ups_overdue": 0}
    assert data["accounts"][0]["account"] == "Northwind"
    assert run("status", "--motd")[1].startswith("flagdesk: 1 unread")


def test_motd_is_silent_when_all_clear(run):
    run("accounts", "add", "Quiet", "--marketplace", "US")
    assert run("status", "--motd")[1] == ""


def test_bad_filter_is_one_line(run):
    assert run("init")[0] == 0
    code, _, err = run("list", "--query", "status:bogus")
    assert code == 1 and "unknown status 'bogus'" in err


def test_demo_seeds_and_refuses_real_data(run, tmp_path):
    code, _, err = run("demo", "--no-open")
    assert code == 0 and "4 accounts" in (err + _)
    assert json.loads(run("status", "--json")[1])["total"]["unread"] >= 12
    assert run("demo", "--no-open")[0] == 0  # a demo database may be re-seeded
    real = tmp_path / "real.db"
    main(["accounts", "add", "Real", "--marketplace", "US", "--db", str(real)])
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--no-open", "--db", str(real)])
    assert exc.value.code == 1


def test_config_commands(run, tmp_path):
    assert run("config", "--help")[0] == 0
    code, out, err = run("config", "init")
    assert code == 0 and "xdg-config/flagdesk/config.toml" in out
    code, out, err = run("config", "set", "theme", "nord")
    assert code == 0
    code, out, err = run("config", "show")
    assert 'theme = "nord"' in out and "xdg-config/flagdesk/config.toml" in out
    (tmp_path / "xdg-config" / "flagdesk" / "config.toml").write_text("theme = [")
    code, out, err = run("status")
    assert code == 1 and "config.toml: not valid TOML" in err and "line 1" in err


def test_status_does_not_import_textual(tmp_path):
    db = tmp_path / "s.db"
    code = ("import sys; from console.cli.commands import main\n"
            "try:\n    main(['status', '--db', %r])\nexcept SystemExit: pass\n"
            "print('TEXTUAL', any(m.startswith('textual') for m in sys.modules))") % str(db)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "TEXTUAL False" in out


def test_python_dash_m_console(tmp_path):
    out = subprocess.run([sys.executable, "-m", "console", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("flagdesk, version")


def test_locked_database_is_one_line_and_writes_nothing(run, tmp_path, monkeypatch):
    import sqlite3

    import console.store.db as dbmod

    run("accounts", "add", "Northwind", "--marketplace", "US")
    holder = sqlite3.connect(tmp_path / "cli.db")
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_S", 0.3)
    try:
        code, out, err = run("add", "--account", "Northwind", "--file", "-", stdin=NOTICE)
    finally:
        holder.rollback()
        holder.close()
    assert code == 1 and "database is locked" in err and err.count("\n") == 1
    assert json.loads(run("list", "--json")[1]) == []


STRONG_PLAN = """## Root cause
Our assistant listed ASIN B0C1234567 with a logo we had no licence for, because our listing checklist did not
include a trademark search. Complaint 9876543210 followed from that listing.

## Actions taken
We removed the listing, deleted the images and contacted Acme Brands Ltd. We attached the invoices and the
supplier details.

## Preventive measures
- Our listing manager runs a trademark search in the USPTO database before every new listing.
- Every week the compliance officer audits 20 listings against our licence spreadsheet.
- From 1 December 2026 the team lead approves each new image set.
"""


def test_appeal_commands_whole_path(run, tmp_path, monkeypatch):
    run("accounts", "add", "Northwind", "--marketplace", "US")
    run("add", "--account", "Northwind", "--file", "-", stdin=NOTICE)
    code, out, err = run("appeal", "new", "1")
    assert (code, out.strip()) == (0, "1"), err
    code, out, _ = run("appeal", "check", "1", "--json")
    data = json.loads(out)
    assert code == 1 and data["ready"] is False
    assert [c["id"] for c in data["checks"]] == ["targeted", "root_cause", "actions_taken", "improvement_plan", "logic",
                                                "not_template", "tone", "evidence", "concise", "reviewed"]
    assert set(data["checks"][0]) >= {"id", "status", "required", "reason"}
    # A second draft while one is open is refused, naming the draft and the ways on.
    code, out, err = run("appeal", "new", "1")
    assert (code, out) == (1, "") and "already has draft appeal #1 (revision 1" in err
    assert "`flagdesk appeal edit 1`" in err and "--replace" in err
    plan = tmp_path / "plan.md"
    plan.write_text(STRONG_PLAN)
    # Replace the draft's text through a fresh appeal: submit the empty one via contact-us with an override.
    code, _, err = run("appeal", "submit", "1", "--via", "appeal-button", "--yes")
    assert code == 1 and "required checks fail (Targeted, Root cause, Actions taken, Improvement plan, Evidence, Second pair of eyes)" in err
    assert run("appeal", "submit", "1", "--via", "contact-us", "--channel", "chat",
               "--override", "testing the override")[0] == 0
    assert run("appeal", "outcome", "1", "rejected", "--note", "too vague")[0] == 0
    code, out, _ = run("appeal", "revise", "1")
    assert out.strip() == "2"
    monkeypatch.setenv("FLAGDESK_OPERATOR", "maria")
    # The same OS user (tester) under another name: recorded, but only declared — a warning, not a review.
    code, out, err = run("appeal", "review", "2")
    assert out.strip() == "appeal #2 reviewed by maria (os: tester, declared, not verified)"
    assert err.startswith("warning: reviewed by maria (os: tester, declared, not verified)") and \
        "the same OS user wrote it as tester; four eyes need a second OS user" in err
    monkeypatch.setenv("FLAGDESK_OPERATOR", "tester")
    code, out, _ = run("appeal", "show", "2", "--json")
    shown = json.loads(out)
    assert shown["status"] == "draft" and shown["revised_from"] == 1 and shown["reviewed_by"] == "maria"
    assert shown["appeal_button"] == {"used": False, "used_at": None, "used_by": None}
    out_file = tmp_path / "export.txt"
    assert run("appeal", "export", "2", "--out", str(out_file))[0] == 0
    assert out_file.read_text() == shown["text"]


def test_appeal_new_from_file_checks_ready(run, tmp_path, monkeypatch):
    run("accounts", "add", "Northwind", "--marketplace", "US")
    run("add", "--account", "Northwind", "--file", "-", stdin=NOTICE)
    plan = tmp_path / "plan.md"
    plan.write_text(STRONG_PLAN)
    assert run("appeal", "new", "1", "--file", str(plan))[1].strip() == "1"
    monkeypatch.setenv("FLAGDESK_OPERATOR", "maria")
    run("appeal", "review", "1")
    monkeypatch.setenv("FLAGDESK_OPERATOR", "tester")
    code, out, _ = run("appeal", "check", "1", "--json")
    assert code == 1 and "naming is not having" in out  # the text names documents; none is attached yet
    from PIL import Image

    Image.new("RGB", (16, 16), (0, 90, 0)).save(tmp_path / "licence.pdf", format="PDF")
    assert run("appeal", "attach", "1", str(tmp_path / "licence.pdf"), "--kind", "licence")[0] == 0
    code, out, _ = run("appeal", "check", "1", "--json")
    assert code == 0 and json.loads(out)["ready"] is True, out
    code, _, err = run("appeal", "submit", "1", "--via", "appeal-button")  # no terminal to ask
    assert code == 1 and "can be used once; pass --yes to spend it" in err
    assert json.loads(run("show", "1", "--json")[1])["appeal_button"]["used"] is False
    assert run("appeal", "submit", "1", "--via", "appeal-button", "--yes")[0] == 0
    shown = json.loads(run("show", "1", "--json")[1])
    assert shown["status"] == "appealed" and shown["appeal_button"]["used_by"] == "tester"
    assert run("appeal", "outcome", "1", "accepted")[0] == 0
    assert json.loads(run("show", "1", "--json")[1])["status"] == "resolved"


def test_demo_large_makes_its_database_once_and_reuses_it(run, tmp_path, monkeypatch):
    import console.demo.seed as demo

    monkeypatch.setattr(demo, "LARGE", {"accounts": 4, "notifications": 300, "appeals": 25, "contacts": 40})
    code, out, err = run("demo", "--size", "large", "--no-open")
    assert code == 0 and "Large demo database" in out and "(made in" in out
    assert "4 accounts, 300 notifications, 25 appeals with" in out and "40 Seller Support cases" in out
    assert len(json.loads(run("status", "--json")[1])["accounts"]) == 4
    code, out, err = run("demo", "--size", "large", "--no-open")
    assert code == 0 and "(reused)" in out and "300 notifications" in out
    real = tmp_path / "real.db"
    main(["accounts", "add", "Real", "--marketplace", "US", "--db", str(real)])
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--size", "large", "--no-open", "--db", str(real)])
    assert exc.value.code == 1


def test_claim_release_and_take_over_from_the_shell(run, monkeypatch):
    run("accounts", "add", "Northwind Home", "--marketplace", "US")
    run("add", "--account", "Northwind Home", stdin=NOTICE)
    assert run("claim", "1") == (0, "#1 claimed by tester\n", "")
    monkeypatch.setenv("FLAGDESK_OPERATOR", "maria")
    code, out, err = run("claim", "1")
    assert code == 1 and out == ""
    assert err == "flagdesk: error: #1 is already claimed by tester since 2026-11-27 08:00 UTC\n"
    code, _, err = run("claim", "1", "--release")
    # One OS user (tester) declaring two names: the claim is still not maria's, and her name is only declared.
    assert code == 1 and ("claimed by tester since 2026-11-27 08:00 UTC, not by you (maria (os: tester, declared, "
                          "not verified)): a claim belongs to its OS user; take it over with --take-over tester") in err
    assert run("claim", "1", "--take-over", "tester")[1] == "#1 claimed by maria (os: tester, declared, not verified)\n"
    assert json.loads(run("list", "--json", "--query", "owner:me")[1])[0]["id"] == 1
    assert run("claim", "1", "--release")[1] == "#1 released\n"
    assert json.loads(run("show", "1", "--json")[1])["assignee"] is None


def test_motd_names_the_accounts_that_need_attention_most_urgent_first(run):
    """Northwind holds the only item due within 24 h and the only overdue follow-up: it comes first, with its
    own figures, and the shortened list says how many more (it used to list three others and drop it)."""
    for name in ("Alpha", "Bravo", "Charlie", "Delta", "Northwind"):
        run("accounts", "add", name, "--marketplace", "US")
    quiet = "Subject: Policy update\n\nWe are updating our returns policy. No action is required."
    for name in ("Alpha", "Bravo", "Charlie", "Delta"):
        assert run("add", "--account", name, "--file", "-", stdin=quiet)[0] == 0
    urgent = ("Subject: Action required: listing documents\n\nSend us the safety documents for ASIN B0AAAAAAAA "
              "within 12 hours.")
    assert run("add", "--account", "Northwind", "--file", "-", stdin=urgent)[0] == 0
    assert run("contacts", "add", "--account", "Northwind", "--channel", "email", "--summary", "Docs sent",
               "--follow-up", "2026-11-20")[0] == 0
    code, out, _ = run("status", "--motd")
    assert code == 0
    assert out == ("flagdesk: 5 unread, 1 due within 24h, 1 Seller Support follow-ups overdue — "
                   "Northwind: 1 due 24h, 1 follow-up overdue, 1 unread; Alpha: 1 unread; Bravo: 1 unread; "
                   "+2 more — run `flagdesk`\n")


def test_appeal_new_replace_and_appeal_edit_save_revisions(run, tmp_path, monkeypatch):
    run("accounts", "add", "Northwind", "--marketplace", "US")
    run("add", "--account", "Northwind", "--file", "-", stdin=NOTICE)
    assert run("appeal", "new", "1")[1].strip() == "1"
    plan = tmp_path / "plan.md"
    plan.write_text(STRONG_PLAN)
    code, out, err = run("appeal", "new", "1", "--replace", "--file", str(plan))
    assert (code, out.strip()) == (0, "1") and "revision 2 replaces the draft's text" in err
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nprintf '\\nWe also retrained the packing team on 2026-11-20.\\n' >> \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    assert run("appeal", "edit", "1")[1] == "appeal #1: saved revision 3\n"
    shown = json.loads(run("appeal", "show", "1", "--json")[1])
    assert shown["text"].endswith("We also retrained the packing team on 2026-11-20.\n")
    monkeypatch.setenv("EDITOR", "true")  # leaves the file as it was
    assert run("appeal", "edit", "1")[1] == "appeal #1: no change\n"


def test_appeal_edit_never_overwrites_a_save_made_meanwhile(run, tmp_path, monkeypatch):
    run("accounts", "add", "Northwind", "--marketplace", "US")
    run("add", "--account", "Northwind", "--file", "-", stdin=NOTICE)
    run("appeal", "new", "1")
    db = tmp_path / "cli.db"
    editor = tmp_path / "editor.sh"  # while "editing", maria saves through another process
    editor.write_text(f"#!/bin/sh\nprintf 'maria text' | FLAGDESK_OPERATOR=maria {sys.executable} -m console "
                      f"appeal new 1 --replace --file - --db {db}\necho 'my text' > \"$1\"\n")
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    code, out, err = run("appeal", "edit", "1")
    assert code == 1 and "was saved by maria while you edited; nothing overwritten" in err
    assert json.loads(run("appeal", "show", "1", "--json")[1])["text"] == "maria text"
    kept = next((tmp_path / "data").rglob("*.mine.md"))
    assert kept.read_text() == "my text\n"


def test_an_exported_appeal_is_never_world_readable(run, tmp_path):
    import os

    run("accounts", "add", "Northwind", "--marketplace", "US")
    run("add", "--account", "Northwind", "--file", "-", stdin=NOTICE)
    run("appeal", "new", "1")
    old = os.umask(0o022)
    try:
        out = tmp_path / "plan.txt"
        assert run("appeal", "export", "1", "--out", str(out))[0] == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o600
