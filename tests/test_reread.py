"""Stored notices read again: schema step m011, `flagdesk reread`, `flagdesk correct` and the cause: filter."""

from __future__ import annotations

import json

import sqlite_utils

from console.core.triage import FilterError, parse_filter
from console.store.db import migrations_set, open_store

DEACTIVATION = ("Your Amazon selling account has been deactivated",
                "Hello,\nWe have deactivated your selling account because buyers reported inauthentic items. "
                "Has your account been deactivated in error? Contact us.")


def test_schema_step_reads_old_notices_again_and_keeps_an_operators_edit(tmp_path, clock):
    """Before m011 a deactivation for authenticity was stored as category "authenticity", high: below the top."""
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations_set().apply(db, stop_before="m011_reading")
    conn = db.conn
    conn.execute("INSERT INTO accounts (id, name, created_at) VALUES (1, 'North', '2026-11-01T00:00:00Z')")
    conn.execute("INSERT INTO account_marketplaces VALUES (1, 'US', 0)")
    for nid in (1, 2):
        conn.execute("INSERT INTO notifications (id, account_id, marketplace, received_at, subject, body, category, "
                     "severity, source, created_at, updated_at) VALUES (?, 1, 'US', '2026-11-20T00:00:00Z', ?, ?, "
                     "'authenticity', 'high', 'email', '2026-11-20T00:00:00Z', '2026-11-20T00:00:00Z')",
                     (nid, *DEACTIVATION))
    # An operator set notice 2's severity by hand in the old version: the reading leaves it.
    from console.store import audit_chain

    audit_chain.append(conn, [("2026-11-21T00:00:00Z", "maria", "notification.edit", "notifications", 2,
                               json.dumps({"severity": ["high", "medium"]}))], None)
    conn.execute("UPDATE notifications SET severity = 'medium' WHERE id = 2")
    conn.commit()
    db.close()
    s = open_store(path, "tester", clock)
    rows = {r["id"]: r for r in s.rows("SELECT id, category, cause, severity, corrected, why FROM notifications")}
    assert (rows[1]["category"], rows[1]["cause"], rows[1]["severity"]) == \
        ("account_deactivated", "authenticity", "critical")
    assert json.loads(rows[1]["why"])["fate"]["rule"] == "fate.account_deactivated"
    assert (rows[2]["category"], rows[2]["severity"], rows[2]["corrected"]) == \
        ("account_deactivated", "medium", '["severity"]')
    audit = s.rows("SELECT action, row_id, detail FROM audit WHERE action LIKE '%reread%' ORDER BY id")
    assert [(a["action"], a["row_id"]) for a in audit] == [("notification.reread", 1), ("notification.reread", 2),
                                                          ("reread", None)]
    assert json.loads(audit[0]["detail"])["severity"] == ["high", "critical"]
    assert "severity" not in json.loads(audit[1]["detail"])
    # Written by m011 before m012 gave the audit its OS user: the chain still verifies.
    assert audit_chain.verify(s.conn)[0]
    s.close()


def test_reread_dry_run_then_for_real_and_corrections_are_kept(demo, run):
    db = str(demo.store.path)
    with demo.store.write() as conn:
        conn.execute("UPDATE notifications SET category = 'warning', severity = 'low' WHERE id IN (1, 2)")
    code, out, _ = run("reread", "--dry-run", "--db", db)
    assert code == 0 and "would change 2" in out and "dry run: nothing written" in out
    assert demo.store.rows("SELECT count(*) AS n FROM notifications WHERE severity = 'low' AND id IN (1, 2)")[0]["n"] == 2
    code, out, err = run("correct", "2", "--severity", "low", "--reason", "reviewed with the seller", "--db", db)
    assert code == 0, err
    code, out, _ = run("reread", "--json", "--db", db)
    data = json.loads(out)
    assert data["changed"] == 2 and data["kept_corrections"] == 1
    assert [c["id"] for c in data["changes"]] == [1, 2]
    assert "severity" not in data["changes"][1]["changes"]
    assert demo.notification(2).severity.value == "low" and demo.notification(2).corrected == ["severity"]
    correction = demo.store.rows("SELECT actor, detail FROM audit WHERE action = 'notification.correct'")
    assert correction[0]["actor"] == "tester" and json.loads(correction[0]["detail"])["reason"] == \
        "reviewed with the seller"
    # Read again with nothing changed: nothing to do.
    code, out, _ = run("reread", "--db", db)
    assert code == 0 and "changed 0" in out


def test_correct_refuses_an_unknown_fate_on_one_line(demo, run):
    code, _, err = run("correct", "1", "--fate", "doomed", "--db", str(demo.store.path))
    assert code == 1 and "unknown fate 'doomed'" in err and err.count("\n") == 1


def test_cause_filter_and_a_cause_given_as_category_is_pointed_at_cause(demo):
    f = demo.parse_filter("cause:authenticity")
    rows = demo.page(f, 0, 100)
    assert rows and {r["cause"] for r in rows} == {"authenticity"}
    try:
        parse_filter("category:ip_complaint", demo.fate_ids(), demo.cause_ids())
    except FilterError as exc:
        assert str(exc) == "'ip_complaint' is a cause, not a fate: use cause:ip_complaint"
    else:
        raise AssertionError("category:ip_complaint was taken as a fate")
    deactivated = demo.page(demo.parse_filter("category:account_deactivated"), 0, 100)
    assert deactivated and all(r["severity"] == "critical" for r in deactivated)
