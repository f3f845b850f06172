"""The shared store: pragmas, migrations, audit, versions, locking."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest

from console.core.errors import ConflictError, StoreError
from console.core.model import Status
from console.core.triage import Filter, parse_filter
from console.store import accounts as acc
from console.store import notifications as notes
from console.store.db import open_store
from console.store.notifications import NewNotification

T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def add(store, account, subject="Subject", body="Body", severity="high", status="new", hours_ago=1.0,
        deadline=None, marketplace="US", **kw):
    return notes.add_notification(store, NewNotification(
        account_id=account.id, marketplace=marketplace, received_at=T0 - timedelta(hours=hours_ago),
        subject=subject, body=body, category="other_policy", severity=severity, status=status,
        deadline_at=deadline, **kw))


@pytest.fixture
def north(store):
    return acc.add_account(store, "Northwind", ["US", "ca"], ["n@ops.example.com"], "A1")


def test_pragmas_wal_busy_timeout_foreign_keys(store):
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    from console.store.db import known_migrations

    assert store.schema_version == len(known_migrations()) >= 2


def test_reopening_applies_no_migration_twice(tmp_path, clock):
    path = tmp_path / "x.db"
    open_store(path, "a", clock, os_user="a").close()
    s = open_store(path, "b", clock, os_user="b")
    rows = s.rows("SELECT name FROM _sqlite_migrations")
    from console.store.db import known_migrations

    assert [r["name"] for r in rows] == known_migrations()


def test_older_database_is_upgraded_in_place(tmp_path, clock):
    """A database made by the first release (m001 only) opens, upgrades, and keeps its rows."""
    import sqlite_utils

    from console.store.db import known_migrations, migrations_set

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations_set().apply(db, stop_before="m002_appeals")
    db.execute("INSERT INTO accounts (name, created_at) VALUES ('Old', '2026-01-01T00:00:00Z')")
    db.close()
    s = open_store(path, "a", clock, os_user="a")
    assert s.rows("SELECT name FROM accounts") == [{"name": "Old"}]
    assert s.schema_version == len(known_migrations())
    assert s.rows("SELECT count(*) AS n FROM appeals")[0]["n"] == 0
    s.close()


def test_newer_database_is_refused(tmp_path, clock):
    path = tmp_path / "x.db"
    s = open_store(path, "a", clock, os_user="a")
    s.db.conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                      "VALUES ('flagdesk', 'm099_future', 'x')")
    s.db.conn.commit()
    s.close()
    with pytest.raises(StoreError, match="newer flagdesk"):
        open_store(path, "a", clock, os_user="a")


def test_not_a_database_is_one_line_error(tmp_path, clock):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as err:
        open_store(path, "a", clock, os_user="a")
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_account_add_normalises_and_audits(store, north):
    assert north.marketplaces == ["US", "CA"]
    assert north.emails == ["n@ops.example.com"]
    audit = store.rows("SELECT actor, action, table_name, row_id, at FROM audit")
    assert audit == [{"actor": "tester", "action": "account.add", "table_name": "accounts", "row_id": north.id,
                      "at": "2026-11-27T08:00:00Z"}]


@pytest.mark.parametrize("name,mps,emails,message", [
    ("", ["US"], [], "the account name is empty"),
    ("X", [], [], "at least one marketplace"),
    ("X", ["U$"], [], "not a marketplace code"),
    ("X", ["US"], ["not-an-email"], "not an email address"),
    ("northwind", ["US"], [], "already exists"),
    ("Y", ["US"], ["N@ops.example.com"], "already belongs to account 'Northwind'"),
])
def test_account_add_refuses_bad_input(store, north, name, mps, emails, message):
    with pytest.raises(StoreError, match=message):
        acc.add_account(store, name, mps, emails)
    assert len(acc.list_accounts(store)) == 1


def test_rename_archive_and_unknown(store, north):
    acc.rename_account(store, "northwind", "Northwind Home")
    assert acc.get_account(store, "NORTHWIND HOME").name == "Northwind Home"
    acc.archive_account(store, "Northwind Home")
    assert acc.list_accounts(store) == []
    assert acc.list_accounts(store, include_archived=True)[0].archived
    with pytest.raises(StoreError, match="unknown account 'nope'"):
        acc.get_account(store, "nope")


def test_untrusted_text_is_cleaned_on_save(store, north):
    nid = add(store, north, subject="\x1b[31mRed\x1b[0m \u202eevil [bold]x[/]", body="a\x1b]52;c;SGVsbG8=\x07b\x00c")
    n = notes.get_notification(store, nid)
    assert n.subject == "Red evil [bold]x[/]"
    assert n.body == "abc"


def test_triage_order(store, north):
    low_new = add(store, north, "low new", severity="low")
    crit_read = add(store, north, "crit read", severity="critical", status="read")
    high_new_late = add(store, north, "high new, far deadline", deadline=T0 + timedelta(days=9))
    high_new_soon = add(store, north, "high new, soon", deadline=T0 + timedelta(hours=5))
    high_new_none_old = add(store, north, "high new, no deadline, old", hours_ago=30)
    high_new_none_new = add(store, north, "high new, no deadline, new", hours_ago=2)
    closed = add(store, north, "resolved critical", severity="critical", status="resolved")
    ids = [r["id"] for r in notes.list_page(store, Filter(), 0, 50)]
    assert ids == [high_new_soon, high_new_late, high_new_none_new, high_new_none_old, low_new, crit_read, closed]
    for i, nid in enumerate(ids):
        assert notes.position_of(store, Filter(), nid) == i


def test_paging_covers_every_row_once(store, north):
    ids = {add(store, north, f"n{i}", hours_ago=i) for i in range(25)}
    seen = []
    for offset in range(0, 30, 7):
        seen += [r["id"] for r in notes.list_page(store, Filter(), offset, 7)]
    assert sorted(seen) == sorted(ids)


def test_filters_and_counts(store, north):
    other = acc.add_account(store, "Copperleaf", ["DE"])
    add(store, north, "Trademark complaint", body="rights owner Acme", severity="high")
    add(store, north, "Late shipment", severity="medium", status="read", marketplace="CA")
    add(store, other, "Order 123-1234567-1234567 defect", severity="critical", marketplace="DE")
    count = lambda text: notes.count(store, parse_filter(text))  # noqa: E731
    assert count("") == (3, 2)
    assert count("trademark") == (1, 1)
    assert count("account:copper") == (1, 1)
    assert count("status:read") == (1, 0)
    assert count("status:open severity:crit,high") == (2, 2)
    assert count("marketplace:ca") == (1, 0)
    assert count("123-1234567-1234567") == (1, 1)
    assert notes.unread_counts(store) == {(north.id, "US"): 1, (other.id, "DE"): 1}


def test_unparseable_fts_query_is_a_filter_error(store, north):
    from console.core.triage import FilterError

    add(store, north)
    with pytest.raises(FilterError, match="cannot search"):
        notes.count(store, parse_filter("( AND"))


def test_mark_read_is_conditional_and_audited(store, north):
    nid = add(store, north)
    assert notes.mark_read(store, nid) is True
    assert notes.mark_read(store, nid) is False
    rows = store.rows("SELECT action, detail FROM audit WHERE table_name='notifications' ORDER BY id")
    assert [r["action"] for r in rows] == ["notification.add", "notification.status"]
    assert rows[1]["detail"] == '{"status": ["new", "read"]}'


def test_stale_version_is_refused_and_names_who(tmp_path, clock, north, store):
    nid = add(store, north)
    n = notes.get_notification(store, nid)
    other = open_store(store.path, "maria", clock, os_user="maria")
    notes.set_status(other, nid, Status.IN_PROGRESS, n.version)
    with pytest.raises(ConflictError, match="changed by maria"):
        notes.set_status(store, nid, Status.DISMISSED, n.version)
    assert notes.get_notification(store, nid).status is Status.IN_PROGRESS
    with pytest.raises(ConflictError):
        notes.update_notification(store, nid, n.version, {"severity": "low"})
    fresh = notes.get_notification(store, nid)
    edited = notes.update_notification(store, nid, fresh.version, {"severity": "low", "asins": ["B0AAAAAAAA"]})
    assert edited.severity.value == "low" and edited.asins == ["B0AAAAAAAA"]
    other.close()


def test_audit_rows_cannot_be_changed_or_deleted(store, north):
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.conn.execute("UPDATE audit SET actor = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.conn.execute("DELETE FROM audit")
    store.db.conn.rollback()
    assert store.rows("SELECT count(*) AS n FROM audit")[0]["n"] == 1


def test_failed_write_leaves_nothing(store, north):
    with pytest.raises(StoreError, match="does not sell"):
        add(store, north, marketplace="JP")
    assert store.rows("SELECT count(*) AS n FROM notifications")[0]["n"] == 0
    assert store.rows("SELECT count(*) AS n FROM audit")[0]["n"] == 1


def test_locked_database_is_a_one_line_error(tmp_path, clock, north, store, monkeypatch):
    import console.store.db as dbmod

    holder = sqlite3.connect(store.path)
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_S", 0.2)
    quick = open_store(store.path, "b", clock, os_user="b")
    quick.db.conn.execute("PRAGMA busy_timeout = 200")
    try:
        with pytest.raises(StoreError, match="database is locked"):
            add(quick, north)
    finally:
        holder.rollback()
        holder.close()
        quick.close()
    assert store.rows("SELECT count(*) AS n FROM notifications")[0]["n"] == 0


def test_data_version_changes_when_another_session_writes(store, north, clock):
    before = store.data_version()
    other = open_store(store.path, "maria", clock, os_user="maria")
    add(other, north)
    assert store.data_version() != before
    other.close()


def test_status_summary(store, north):
    add(store, north, "overdue", deadline=T0 - timedelta(hours=1), status="read")
    add(store, north, "due soon", deadline=T0 + timedelta(hours=3))
    add(store, north, "closed overdue", deadline=T0 - timedelta(hours=1), status="resolved")
    rows = notes.status_summary(store, T0)
    assert rows == [{"id": north.id, "account": "Northwind", "unread": 1, "open": 2, "due_24h": 1, "overdue": 1}]


def test_concurrent_writers_lose_nothing(tmp_path, clock, north, store):
    def worker(name):
        s = open_store(store.path, name, clock, os_user=name)
        for i in range(20):
            add(s, north, f"{name} {i}")
        s.close()

    threads = [threading.Thread(target=worker, args=(f"op{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.rows("SELECT count(*) AS n FROM notifications")[0]["n"] == 80
    assert store.rows("SELECT count(*) AS n FROM audit WHERE action='notification.add'")[0]["n"] == 80


def test_keyset_reverse_and_offset_pages_agree(store, north):
    for i in range(37):
        add(store, north, f"n{i}", severity=["critical", "high", "low"][i % 3], status=["new", "read"][i % 2],
            hours_ago=i % 7, deadline=T0 + timedelta(hours=i % 5) if i % 4 else None)
    everything = [r["id"] for r in notes.list_page(store, Filter(), 0, 100)]
    assert len(everything) == 37
    first = notes.list_page(store, Filter(), 0, 10)
    keyset = notes.list_page(store, Filter(), 10, 10, after_key=first[-1]["sort_key"])
    backwards = notes.list_page(store, Filter(), 30, 10, total=37)
    middle = notes.list_page(store, Filter(), 20, 10, total=37)
    assert [r["id"] for r in keyset] == everything[10:20]
    assert [r["id"] for r in middle] == everything[20:30]
    assert [r["id"] for r in backwards] == everything[30:37]


def test_archived_accounts_leave_lists_and_counts(store, north):
    other = acc.add_account(store, "Old", ["US"])
    add(store, north)
    add(store, other)
    acc.archive_account(store, "Old")
    assert notes.count(store, Filter()) == (1, 1)
    assert [r["account"] for r in notes.list_page(store, Filter(), 0, 10)] == ["Northwind"]
    assert notes.count(store, parse_filter("account:old")) == (0, 0)


def test_odd_years_round_trip_and_surrogates_are_cleaned(store, north):
    from console.core.clock import parse_iso, to_iso

    odd = datetime(5, 1, 1, tzinfo=UTC)
    assert parse_iso(to_iso(odd)) == odd
    nid = add(store, north, subject="broken \ud800 text", hours_ago=0)
    assert "\ud800" not in notes.get_notification(store, nid).subject


def test_duplicate_emails_in_one_call_are_folded(store):
    a = acc.add_account(store, "Dup", ["US"], ["a@x.example.com", "A@x.example.com"])
    assert a.emails == ["a@x.example.com"]


def test_full_text_counts_agree_with_a_plain_scan(demo):
    """Words alone are counted from the full-text index; with an archived account or a qualifier, by scan."""
    from console.core.triage import parse_filter
    from console.store import notifications as notes

    def scan(f):
        where, params = notes._where(demo.store, f)
        r = demo.store.rows(f"SELECT count(*) AS n, coalesce(sum(n.status = 'new'), 0) AS u FROM notifications n "
                            f"WHERE {where}", params)[0]
        return r["n"], r["u"]

    queries = ["policy", "account", "counterf*", "trademark OR patent", '"Amazon.co.uk"', "zzzz", "policy status:open"]
    for q in queries:
        f = parse_filter(q)
        assert notes.count(demo.store, f) == scan(f), q
    assert notes.count(demo.store, parse_filter("policy"))[0] > 5
    demo.archive_account(demo.accounts()[0].name)  # its notices leave every count
    for q in queries:
        f = parse_filter(q)
        assert notes.count(demo.store, f) == scan(f), q
