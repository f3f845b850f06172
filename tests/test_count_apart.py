"""Words with other conditions ("safety status:open" at 1M: 81,000 word matches, 0.2 s to count) are shown
from a lower bound, the first rows in triage order, while the exact count is told on a connection of its own
(issue 14). The bound must never overstate, the exact count must be the count, and a stopped count says so."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from console.core.errors import StoreError
from console.core.triage import FilterError
from console.store import notifications as notes
from console.store.db import open_store


@pytest.fixture
def small_bound(monkeypatch):
    monkeypatch.setattr(notes, "QUICK_MATCHES", 0)
    monkeypatch.setattr(notes, "BOUND", 5)


def test_a_few_word_matches_are_counted_at_once(demo):
    f = demo.parse_filter("amazon status:new")
    assert notes.count_or_bound(demo.store, f) == (16, True)


def test_many_word_matches_with_conditions_give_a_lower_bound(demo, small_bound):
    f = demo.parse_filter("amazon status:new")
    assert demo.count(f)[0] == 16
    assert notes.count_or_bound(demo.store, f) == (5, False)
    # The bound is the list's first rows: the first page read forwards is the same page as with the count.
    assert [r["id"] for r in demo.page(f, 0, 5)] == [r["id"] for r in demo.page(f, 0, 5, total=16)]


def test_fewer_matches_than_the_bound_are_exact(demo, monkeypatch):
    monkeypatch.setattr(notes, "QUICK_MATCHES", 0)
    monkeypatch.setattr(notes, "BOUND", 50)
    f = demo.parse_filter("amazon status:new")
    assert notes.count_or_bound(demo.store, f) == (16, True)


@pytest.mark.parametrize("query", ["amazon", "status:new", "severity:high account:acme", ""])
def test_words_alone_or_no_words_are_always_exact(demo, small_bound, query):
    f = demo.parse_filter(query)
    assert notes.count_or_bound(demo.store, f) == (demo.count(f)[0], True)


def test_unsearchable_words_are_a_filter_error_without_a_count(demo):
    with pytest.raises(FilterError, match="cannot search"):
        demo.check_filter(demo.parse_filter("( AND"))
    demo.check_filter(demo.parse_filter("amazon status:new"))  # no error


def test_counted_apart_on_a_reader_of_its_own(demo, small_bound):
    f = demo.parse_filter("amazon status:new")
    assert demo.count_or_bound(f) == (5, False)
    run = demo.counter(f)
    assert run is not None
    told = []
    t = threading.Thread(target=lambda: told.append(run()))
    t.start()
    t.join(10)
    assert told == [16]
    # Told once, the count stands until something is written.
    assert demo.count_or_bound(f) == (16, True)
    nid = demo.page(f, 0, 1)[0]["id"]
    demo.mark_read(nid)
    assert demo.count_or_bound(f) == (5, False)


def test_the_reader_cannot_write(demo):
    reader = demo.store.reader()
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.conn.execute("UPDATE notifications SET status = 'read'")
    finally:
        reader.close()
    assert demo.store.rows("SELECT count(*) AS n FROM notifications WHERE status = 'new'")[0]["n"] > 0


def test_no_reader_for_a_database_in_memory(clock):
    s = open_store(":memory:", "tester", clock)
    try:
        assert s.reader() is None
    finally:
        s.close()


def test_stop_counting_interrupts_a_count_running(demo, small_bound, monkeypatch):
    """A newer filter stops the old count: the thread's statement is interrupted and the count says None."""
    started = threading.Event()

    def endless(reader, f):  # a count that would never end on its own, on the reader's connection
        started.set()
        try:
            reader.conn.execute("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
                                "SELECT count(*) FROM r").fetchone()
        except sqlite3.OperationalError as exc:
            assert "interrupted" in str(exc)
            return None
        return 0

    monkeypatch.setattr(notes, "count_quietly", endless)
    run = demo.counter(demo.parse_filter("amazon status:new"))
    told = []
    t = threading.Thread(target=lambda: told.append(run()))
    t.start()
    assert started.wait(5)
    demo.stop_counting()
    t.join(10)
    assert not t.is_alive() and told == [None]


def test_count_quietly_says_none_for_a_store_gone(demo, small_bound):
    reader = demo.store.reader()
    reader.close()
    assert notes.count_quietly(reader, demo.parse_filter("amazon status:new")) is None
    with pytest.raises((sqlite3.Error, StoreError)):
        notes.count(reader, demo.parse_filter("amazon status:new"))
