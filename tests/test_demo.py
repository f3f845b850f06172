"""The demo database is realistic enough to learn the console on: every fate and severity, overdue work."""

from __future__ import annotations

from console.core.reading import SEVERITIES, load_rules
from console.core.triage import Filter


def test_demo_covers_every_fate_severity_and_deadline_state(demo, clock):
    rows = demo.store.rows("SELECT category, cause, severity, status, deadline_at, marketplace, account_id "
                           "FROM notifications")
    assert len(rows) >= 40
    assert {r["category"] for r in rows} == {f.id for f in load_rules().fates}
    assert len({r["cause"] for r in rows}) >= 12
    assert {r["severity"] for r in rows} == set(SEVERITIES)
    assert len({r["account_id"] for r in rows}) >= 3 and len({r["marketplace"] for r in rows}) >= 4
    summary = demo.status()
    assert sum(r["overdue"] for r in summary) >= 2 and sum(r["due_24h"] for r in summary) >= 1
    assert all(r["unread"] >= 2 for r in summary)


def test_demo_is_deterministic(demo, config, clock, tmp_path):
    from console.demo.seed import demo_desk

    again = demo_desk(config, clock, tmp_path / "again.db")
    first = [(r["subject"], r["deadline_at"]) for r in demo.page(Filter(), 0, 100)]
    second = [(r["subject"], r["deadline_at"]) for r in again.page(Filter(), 0, 100)]
    assert first == second


def test_large_demo_has_appeals_with_revisions_and_cases(tmp_path, clock):
    from console.demo.seed import LONG_APPEAL_REVISIONS, generate_large
    from console.store.db import open_store

    store = open_store(tmp_path / "large.db", "tester", clock)
    made = generate_large(store, accounts=5, notifications=400, appeals=60, contacts=80)
    rows = lambda sql: store.rows(sql)[0]["n"]  # noqa: E731
    assert rows("SELECT count(*) AS n FROM notifications") == 400 and rows("SELECT count(*) AS n FROM accounts") == 5
    assert rows("SELECT count(*) AS n FROM appeals") == 60 and rows("SELECT count(*) AS n FROM cases") == 80
    assert rows("SELECT count(DISTINCT case_id) AS n FROM case_entries") == 80
    # Every appeal has several revisions, the last one is its text, and revisions differ from each other.
    per = store.rows("SELECT appeal_id, count(*) AS n, count(DISTINCT text) AS texts FROM appeal_revisions "
                     "GROUP BY appeal_id")
    assert len(per) == 60 and all(r["n"] >= 2 and r["texts"] == r["n"] for r in per)
    assert rows("SELECT count(*) AS n FROM appeals ap WHERE text != (SELECT text FROM appeal_revisions r "
                "WHERE r.appeal_id = ap.id AND r.number = ap.revision)") == 0
    long = store.rows("SELECT id, revision, status FROM appeals WHERE revision = ?", (LONG_APPEAL_REVISIONS,))
    assert [r["id"] for r in long] == [made["long_appeal_id"]] and long[0]["status"] == "draft"
    assert len({r["text"] for r in store.rows("SELECT text FROM appeals")}) == 60  # no two appeals alike
    audit = store.rows("SELECT action, detail FROM audit")
    assert len(audit) == 1 and audit[0]["action"] == "demo.seed" and '"appeals": 60' in audit[0]["detail"]
    store.close()


def test_large_demo_is_made_once_then_reused(tmp_path, config, clock, monkeypatch):
    import console.demo.seed as demo

    monkeypatch.setattr(demo, "LARGE", {"accounts": 3, "notifications": 200, "appeals": 20, "contacts": 30})
    path = tmp_path / "large-demo.db"
    first = demo.seed_large(path, config, clock)
    assert first["reused"] == 0 and first["notifications"] == 200 and first["appeals"] == 20
    assert not (tmp_path / "large-demo.db.part").exists()
    again = demo.seed_large(path, config, clock)
    assert again["reused"] == 1 and again["notifications"] == 200 and again["contacts"] == 30
