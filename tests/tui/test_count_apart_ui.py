"""A filter of words with other conditions whose exact count is slow to tell (issue 14) shows its first rows
at once, the top bar saying "N+ shown", and the exact count when the thread has told it; G, a move past the
rows known so far and a change to the whole filter get the exact count at once, never the bound."""

from __future__ import annotations

import threading

import pytest

from console.desk import Desk
from console.store import notifications as notes
from console.tui.widgets.flag import FlagBar
from console.tui.widgets.notice_list import NoticeList

QUERY = "amazon status:new"  # 16 of the demo's notifications
SIZE = (120, 40)


@pytest.fixture
def gate(monkeypatch):
    """The bound is 5 rows, and the count on its thread waits for the gate (the real count, told later)."""
    monkeypatch.setattr(notes, "QUICK_MATCHES", 0)
    monkeypatch.setattr(notes, "BOUND", 5)
    opened = threading.Event()
    real = Desk.counter

    def gated(self, f):
        run = real(self, f)
        if run is None:
            return None

        def later():
            opened.wait(10)
            return run()
        return later

    monkeypatch.setattr(Desk, "counter", gated)
    return opened


def bar(app) -> str:
    return str(app.screen.query_one(FlagBar).render())


async def _filter(pilot, text):
    await pilot.press("slash", *text, "enter")
    await pilot.pause()


async def test_first_rows_at_once_then_the_exact_count(app, demo, gate):
    async with app.run_test(size=SIZE) as pilot:
        await _filter(pilot, QUERY)
        notices = app.screen.query_one(NoticeList)
        f = app.screen.effective_filter
        assert notices.counting and notices.total == 5
        assert "5+ shown" in bar(app)
        first = [notices.row(i)["id"] for i in range(5)]
        assert first == [r["id"] for r in demo.page(f, 0, 5, total=16)]
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not notices.counting and notices.total == 16
        assert "16 shown" in bar(app) and "+ shown" not in bar(app)
        await pilot.press("G")
        assert notices.current["id"] == demo.page(f, 15, 1, total=16)[0]["id"]


async def test_G_while_counting_lands_on_the_real_last_row(app, demo, gate):
    async with app.run_test(size=SIZE) as pilot:
        await _filter(pilot, QUERY)
        notices = app.screen.query_one(NoticeList)
        f = app.screen.effective_filter
        assert notices.counting
        await pilot.press("G")
        assert not notices.counting and notices.total == 16 and notices.cursor == 15
        assert notices.current["id"] == demo.page(f, 15, 1, total=16)[0]["id"]
        assert "16 shown" in bar(app)
        gate.set()  # the stopped count's answer, if any, changes nothing
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert notices.total == 16 and notices.cursor == 15


async def test_moving_past_the_bound_counts_first(app, demo, gate):
    async with app.run_test(size=SIZE) as pilot:
        await _filter(pilot, QUERY)
        notices = app.screen.query_one(NoticeList)
        f = app.screen.effective_filter
        await pilot.press("j", "j", "j", "j", "j", "j")
        assert notices.cursor == 6 and notices.total == 16
        assert notices.current["id"] == demo.page(f, 6, 1, total=16)[0]["id"]
        gate.set()


async def test_a_change_to_the_whole_filter_says_the_exact_count(app, demo, gate):
    async with app.run_test(size=SIZE) as pilot:
        await _filter(pilot, QUERY)
        assert app.screen.query_one(NoticeList).counting
        await pilot.press("semicolon")
        await pilot.pause()
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "(16)" in text and "(5)" not in text
        gate.set()


async def test_a_newer_filter_drops_the_old_count(app, demo, gate):
    async with app.run_test(size=SIZE) as pilot:
        await _filter(pilot, QUERY)
        await pilot.press("escape")  # the filter cleared: all 49, counted at once
        await pilot.pause()
        notices = app.screen.query_one(NoticeList)
        assert not notices.counting and notices.total == 49
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert notices.total == 49 and "49 shown" in bar(app)


async def test_unsearchable_words_still_say_why(app, gate):
    async with app.run_test(size=SIZE) as pilot:
        await _filter(pilot, "( AND")
        assert any("cannot search" in str(n.message) for n in app._notifications)
        gate.set()


async def test_a_count_that_fails_apart_is_told_on_the_console(app, demo, gate, monkeypatch):
    """The thread's count failing (its connection could not read) must not leave "5+ shown" for good."""
    monkeypatch.setattr(notes, "count_quietly", lambda reader, f: None)
    async with app.run_test(size=SIZE) as pilot:
        await _filter(pilot, QUERY)
        notices = app.screen.query_one(NoticeList)
        assert notices.counting and "5+ shown" in bar(app)
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not notices.counting and notices.total == 16 and "16 shown" in bar(app)
