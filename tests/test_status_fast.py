"""`flagdesk status` through the quick path (console/cli/entry.py) prints what the click command prints,
reads only, and leaves every unusual case to the full command line."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from console.cli import entry
from console.cli.commands import main as cli_main
from console.cli.status import quick_status
from console.core.clock import parse_iso
from console.store import accounts as acc
from console.store import notifications as notes
from console.store import reads
from console.store.db import known_migrations, open_store
from console.store.notifications import NewNotification
from tests.conftest import NOW

ROOT = Path(__file__).resolve().parent.parent
T0 = parse_iso(NOW)
EMPTY = "No accounts yet. Add one: flagdesk accounts add NAME --marketplace US\n"


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setenv("FLAGDESK_NOW", NOW)


@pytest.fixture
def quick(capsys):
    """quick_status(...) -> (whether it answered, what it printed)."""

    def _quick(**options):
        answered = quick_status(**options)
        return answered, capsys.readouterr().out

    return _quick


def files_beside(db: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(db.parent.iterdir()) if p.name.startswith(db.name)}


def add(store, account_id, subject, status="new", deadline=None):
    return notes.add_notification(store, NewNotification(
        account_id=account_id, marketplace="US", received_at=T0 - timedelta(hours=2), subject=subject,
        body="Body", category="other_policy", severity="high", status=status, deadline_at=deadline))


@pytest.fixture
def busy(demo):
    """The demo desk plus what status has to get right beyond it: an unassigned notice, an archived
    account's work (left out), a closed overdue one (not counted), a follow-up overdue, health data for
    --json, and an account name written into the database with a terminal escape in it."""
    store = demo.store
    archived = acc.add_account(store, "Old Shop", ["US"])
    add(store, archived.id, "archived, unread")
    acc.archive_account(store, "Old Shop")
    add(store, None, "nobody's yet", deadline=T0 + timedelta(hours=3))
    north = demo.accounts()[0]
    add(store, north.id, "closed overdue", status="resolved", deadline=T0 - timedelta(hours=5))
    with store.write() as conn:
        conn.execute("INSERT INTO cases (account_id, channel, summary, status, follow_up_at, opened_at, opened_by, "
                     "updated_at) VALUES (?, 'email', 'Where is my answer', 'open', ?, ?, 'tester', ?)",
                     (north.id, "2026-11-26T09:00:00Z", NOW, NOW))
        conn.execute("INSERT INTO health_snapshots (account_id, marketplace, marketplace_id, imported_at, "
                     "account_status, ahr_status, ahr_score, metrics, content_hash) VALUES (?, 'US', 'ATVPDKIKX0DER', "
                     "?, 'AT_RISK', 'AT_RISK', 150, ?, 'h1')",
                     (north.id, NOW, json.dumps([{"name": "orderDefectRate", "status": "BAD"}])))
        conn.execute("UPDATE accounts SET name = ? WHERE id = ?",
                     ("Evil\x1b]0;owned\x07 \x1b[31mCo\u202e", demo.accounts()[1].id))
    return demo


# --- the same output ------------------------------------------------------------------------------


@pytest.mark.parametrize("flags", [[], ["--json"], ["--motd"], ["--motd", "--json"]])
def test_quick_path_prints_exactly_what_click_prints(busy, call, quick, flags):
    db = str(busy.store.path)
    answered, printed = quick(db=db, as_json="--json" in flags, motd="--motd" in flags)
    assert answered
    assert call(cli_main, "status", *flags, "--db", db) == (0, printed, "")
    assert call(entry.main, "status", *flags, "--db", db) == (0, printed, "")
    assert "\x1b" not in printed  # stripped from the table and the motd; JSON escapes it (\u001b)
    if "--json" not in flags:
        assert "\u202e" not in printed


def test_what_the_quick_path_shows_on_the_demo(busy, quick):
    db = str(busy.store.path)
    table = quick(db=db)[1].splitlines()
    assert table[0].split() == ["Account", "State", "Unread", "Open", "Due", "24h", "Overdue"]
    assert table[-2].split() == ["Unassigned", "1", "1", "1", "0"]  # last before the total, never a state
    assert not any("Old Shop" in line for line in table)
    assert any(line.startswith("Evil Co ") for line in table)  # escapes and bidi controls stripped
    data = json.loads(quick(db=db, as_json=True)[1])
    assert data["generated_at"] == NOW and data["total"]["follow_ups_overdue"] == 1
    north = data["accounts"][0]
    assert north["state"] == "deactivated"  # an open deactivation notice outranks its AT_RISK status
    assert north["health"] == {"status": "AT_RISK", "ahr_status": "AT_RISK", "ahr_score": 150, "ahr_band": "at_risk",
                               "bad_metrics": ["US:orderDefectRate"]}
    assert data["total"]["unread"] == sum(a["unread"] for a in data["accounts"]) >= 12
    motd = quick(db=db, motd=True)[1]
    # The accounts that cannot sell normally first, the gravest first (names cleaned), then the figures.
    assert motd.startswith("flagdesk: Alto Mesa Supply deactivated, Evil Co deactivated, Copperleaf Kitchen under "
                           f"review, +1 more; {data['total']['unread']} unread, ") and "1 Seller Support follow-ups" in motd


def test_status_summary_counts_what_a_plain_loop_counts(busy):
    """The per-account index-range counts agree with counting every notification by hand."""
    conn = busy.store.conn
    active = {r[0]: r[1] for r in conn.execute("SELECT id, name FROM accounts WHERE archived = 0")}
    soon = "2026-11-28T08:00:00Z"
    expected: dict = {}
    for account_id, status, deadline in conn.execute("SELECT account_id, status, deadline_at FROM notifications"):
        if account_id is not None and account_id not in active:
            continue
        row = expected.setdefault(account_id, {"unread": 0, "open": 0, "due_24h": 0, "overdue": 0})
        if status in ("resolved", "dismissed"):
            continue
        row["unread"] += status == "new"
        row["open"] += 1
        row["due_24h"] += bool(deadline and NOW <= deadline < soon)
        row["overdue"] += bool(deadline and deadline < NOW)
    got = reads.status_summary(conn, T0)
    assert [r["id"] for r in got] == sorted(active, key=lambda i: active[i].lower()) + [None]
    for r in got:
        assert {k: r[k] for k in ("unread", "open", "due_24h", "overdue")} == expected.get(
            r["id"], {"unread": 0, "open": 0, "due_24h": 0, "overdue": 0})
    assert sum(r["overdue"] for r in got) > 0 and sum(r["due_24h"] for r in got) > 0


def test_an_empty_database(store, call, quick):
    db = str(store.path)
    assert quick(db=db) == (True, EMPTY)
    assert call(cli_main, "status", "--db", db) == (0, EMPTY, "")
    assert quick(db=db, motd=True) == (True, "")
    answered, printed = quick(db=db, as_json=True)
    assert answered and json.loads(printed)["accounts"] == []
    assert call(cli_main, "status", "--json", "--db", db) == (0, printed, "")


@pytest.mark.parametrize("argv", [
    lambda db: ["--db", db, "status", "--json"],
    lambda db: ["status", f"--db={db}", "--motd"],
    lambda db: ["--db", "/elsewhere.db", "status", "--db", db],  # the command's own option wins
    lambda db: ["status", "--json", "--db", db, "--motd"],
])
def test_options_in_any_order(busy, call, argv):
    args = argv(str(busy.store.path))
    quick_said = call(entry.main, *args)
    assert quick_said[0] == 0 and quick_said[1]
    assert quick_said == call(cli_main, *args)


def test_a_file_name_that_needs_quoting_in_a_uri(tmp_path, clock, call, quick):
    db = tmp_path / "ops #2 ?100% ü" / "flag?desk#.db"
    s = open_store(db, "tester", clock)
    acc.add_account(s, "Northwind", ["US"])
    s.close()
    answered, printed = quick(db=str(db))
    assert answered and printed.splitlines()[1].split() == ["Northwind", "0", "0", "0", "0"]
    assert os.listdir(db.parent) == [db.name]  # the very file, and no -wal/-shm left behind
    assert call(cli_main, "status", "--db", str(db)) == (0, printed, "")


# --- declining: the full command line answers, as always --------------------------------------------


def test_a_missing_database_is_refused_naming_the_path_and_where_it_came_from(tmp_path, call, quick, monkeypatch):
    """A mistyped --db or FLAGDESK_DB must never read as "all clear" (it used to create an empty database and
    print nothing for --motd)."""
    db = tmp_path / "nope" / "x.db"
    assert quick(db=str(db)) == (False, "")
    code, out, err = call(entry.main, "status", "--db", str(db))
    assert (code, out) == (1, "") and f"{db}: no flagdesk database here (the path comes from --db)" in err
    code, out, err = call(entry.main, "status", "--motd", "--db", str(db))
    assert code == 1 and out.startswith(f"flagdesk: {db}: no flagdesk database here") and out.count("\n") == 1
    monkeypatch.setenv("FLAGDESK_DB", str(db))
    code, out, err = call(cli_main, "list")
    assert code == 1 and "(the path comes from FLAGDESK_DB)" in err
    config = tmp_path / "c.toml"
    config.write_text(f'db_path = "{db}"\n')
    monkeypatch.delenv("FLAGDESK_DB")
    code, out, err = call(cli_main, "audit", "--config", str(config))
    assert code == 1 and f"(the path comes from db_path in {config})" in err
    for command in (["show", "1"], ["contacts", "list"], ["health", "X"], ["doctor"], ["backup", str(tmp_path / "b.db")]):
        code, out, err = call(cli_main, *command, "--db", str(db))
        assert code == 1 and "no flagdesk database here" in err, command
    assert not db.parent.exists()  # nothing was made along the way
    assert call(cli_main, "init", "--db", str(db)) == (0, f"Created {db}\n", "")
    assert reads.open_current(str(db)) is not None  # created and migrated
    assert call(entry.main, "status", "--db", str(db)) == (0, EMPTY, "")
    assert call(cli_main, "init", "--db", str(db))[1].endswith("already a flagdesk database; nothing changed\n")


def test_bad_toml_config_is_one_line_naming_the_file(store, tmp_path, call):
    bad = tmp_path / "bad.toml"
    bad.write_text('theme = "nord"\noperator = \n')
    args = ("status", "--config", str(bad), "--db", str(store.path))
    code, out, err = call(entry.main, *args)
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith(f"flagdesk: error: {bad}: not valid TOML") and "line 2" in err
    assert call(cli_main, *args) == (code, out, err)


def test_a_file_that_is_not_a_database(tmp_path, call, quick):
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"these are my notes, not a database\n" * 200)
    before = files_beside(junk)
    assert quick(db=str(junk)) == (False, "")
    code, out, err = call(entry.main, "status", "--db", str(junk))
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith(f"flagdesk: error: {junk}: not a flagdesk database, or damaged")
    assert call(cli_main, "status", "--db", str(junk)) == (code, out, err)
    assert files_beside(junk) == before


def test_a_database_from_a_newer_flagdesk_is_refused(tmp_path, clock, call, quick):
    db = tmp_path / "newer.db"
    s = open_store(db, "tester", clock)
    with s.write() as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('flagdesk', 'm999_from_the_future', ?)", (NOW,))
    s.close()
    assert quick(db=str(db)) == (False, "")
    code, out, err = call(entry.main, "status", "--db", str(db))
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err == f"flagdesk: error: {db}: written by a newer flagdesk (schema step m999_from_the_future); " \
                  "upgrade flagdesk to open it\n"
    assert call(cli_main, "status", "--db", str(db)) == (code, out, err)


def test_a_database_needing_migrations_is_migrated_by_the_full_path_never_the_quick_one(tmp_path, call, quick):
    import sqlite_utils

    from console.store import db as db_module

    db = tmp_path / "older.db"
    older = sqlite_utils.Migrations("flagdesk")
    for fn in db_module._STEPS[:-1]:  # every step but the newest
        older()(fn)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = WAL")
    older.apply(sqlite_utils.Database(conn))
    conn.execute("INSERT INTO accounts (name, created_at) VALUES ('Northwind', ?)", (NOW,))
    conn.commit()
    conn.close()
    before = files_beside(db)
    assert quick(db=str(db)) == (False, "")
    assert files_beside(db) == before  # read nothing into it, left no -wal/-shm behind
    code, out, err = call(entry.main, "status", "--db", str(db))
    assert code == 0 and out.splitlines()[1].split() == ["Northwind", "0", "0", "0", "0"]
    with sqlite3.connect(db) as conn:
        applied = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
    assert applied == set(known_migrations())
    assert quick(db=str(db)) == (True, out)


def test_a_database_not_in_wal_mode_is_left_to_the_full_path(store, call, quick):
    store.close()
    with sqlite3.connect(store.path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    assert quick(db=str(store.path)) == (False, "")
    assert call(entry.main, "status", "--db", str(store.path)) == (0, EMPTY, "")
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # the store switched it, as before


def test_the_quick_path_writes_nothing(busy, quick):
    path = busy.store.path
    busy.store.close()
    before = files_beside(path)
    assert set(before) == {path.name}  # the last session closed: no -wal or -shm
    assert quick(db=str(path))[0]
    assert files_beside(path) == before


def test_schema_steps_known_to_the_quick_path_are_the_stores():
    assert reads.SCHEMA_STEPS == tuple(known_migrations()), (
        "a schema step was added to console/store/db.py: add it to SCHEMA_STEPS in console/store/reads.py too")


# --- which path -----------------------------------------------------------------------------------


@pytest.mark.parametrize("argv,expected", [
    (["status"], {}),
    (["status", "--json"], {"as_json": True}),
    (["status", "--motd", "--json"], {"as_json": True, "motd": True}),
    (["--db", "a.db", "status", "--db=b.db"], {"db": "b.db"}),
    (["--config", "c.toml", "status"], {"config": "c.toml"}),
    (["status", "--config=c.toml", "--db", "a.db", "--motd"], {"config": "c.toml", "db": "a.db", "motd": True}),
    (["status", "--db", "status"], {"db": "status"}),
])
def test_plain_status_invocations(argv, expected):
    assert entry.plain_status(argv) == {"db": None, "config": None, "as_json": False, "motd": False, **expected}


@pytest.mark.parametrize("argv", [
    [], ["list"], ["status", "--help"], ["status", "-h"], ["--help", "status"], ["status", "--db"],
    ["status", "--db="], ["status", "--db", "--json"], ["--json", "status"], ["status", "extra"],
    ["status", "status"], ["status", "--jso"], ["--version"], ["status", "--db", "-"],
])
def test_anything_else_goes_to_click(argv):
    assert entry.plain_status(argv) is None


def test_other_commands_and_help_reach_click(call):
    code, out, _ = call(entry.main, "--version")
    assert code == 0 and out.startswith("flagdesk, version")
    code, out, _ = call(entry.main, "status", "--help")
    assert code == 0 and "--motd" in out and "Unread, open, due within 24 h" in out
    code, _, err = call(entry.main, "status", "--jso")
    assert code == 2 and "No such option" in err


def test_python_dash_m_console_status_imports_only_the_quick_modules(demo):
    """In a fresh interpreter: the output of `python -m console status`, and what it imported."""
    demo.store.close()
    db = str(demo.store.path)
    expected = subprocess.run([sys.executable, "-c", "from console.cli.commands import main; main()", "status", "--db", db],
                              cwd=ROOT, capture_output=True, text=True, check=True).stdout
    shown = subprocess.run([sys.executable, "-m", "console", "status", "--db", db],
                           cwd=ROOT, capture_output=True, text=True, check=True)
    assert shown.stdout == expected and shown.stderr == ""
    probe = ("import sys; before = set(sys.modules); from console.cli.entry import main; main(['status', '--db', %r]); "
             "print(' '.join(sorted(set(sys.modules) - before)), file=sys.stderr)") % db
    loaded = set(subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                                check=True).stderr.split())
    assert {m for m in loaded if m.startswith("console")} == {
        "console", "console.cli", "console.cli.entry", "console.cli.status", "console.store", "console.store.reads",
        "console.core", "console.core.settings", "console.core.clock"}  # the three packages are docstrings only
    assert not loaded & {"click", "sqlite_utils", "textual", "rich", "pathlib", "typing", "re", "json", "tomllib"}
    assert os.listdir(Path(db).parent) == [Path(db).name]
