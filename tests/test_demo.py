"""The demo database is realistic enough to learn the console on: every category and severity, overdue work."""

from __future__ import annotations

from console.ingest.rules import DEFAULT_CATEGORIES, SEVERITIES
from console.triage import Filter


def test_demo_covers_every_category_severity_and_deadline_state(demo, clock):
    rows = demo.store.rows("SELECT category, severity, status, deadline_at, marketplace, account_id FROM notifications")
    assert len(rows) >= 40
    assert {r["category"] for r in rows} >= {c.id for c in DEFAULT_CATEGORIES}
    assert {r["severity"] for r in rows} == set(SEVERITIES)
    assert len({r["account_id"] for r in rows}) >= 3 and len({r["marketplace"] for r in rows}) >= 4
    summary = demo.status()
    assert sum(r["overdue"] for r in summary) >= 2 and sum(r["due_24h"] for r in summary) >= 1
    assert all(r["unread"] >= 2 for r in summary)


def test_demo_is_deterministic(demo, config, clock, tmp_path):
    from console.demo import demo_desk

    again = demo_desk(config, clock, tmp_path / "again.db")
    first = [(r["subject"], r["deadline_at"]) for r in demo.page(Filter(), 0, 100)]
    second = [(r["subject"], r["deadline_at"]) for r in again.page(Filter(), 0, 100)]
    assert first == second
