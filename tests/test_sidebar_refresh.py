"""The inbox re-reads only the counts after this session's own marks read (issue 14: a mark read at 1M was
~110 ms, a quarter of it the account states and follow-ups read again); anything else written, here or by
another session, reads everything again."""

from __future__ import annotations

from console.core.model import Status
from console.store.db import open_store


def _unread(demo) -> list[int]:
    return [r["id"] for r in demo.store.rows("SELECT id FROM notifications WHERE status = 'new' ORDER BY id")]


def test_only_marks_read_since_a_stamp(demo):
    stamp = demo.write_stamp()
    first, second, third = _unread(demo)[:3]
    demo.mark_read(first)
    demo.mark_read(second)
    assert demo.only_read_state_since(stamp)
    middle = demo.write_stamp()
    demo.set_status(third, Status.RESOLVED)  # a close moves states and overdue figures
    assert not demo.only_read_state_since(stamp) and not demo.only_read_state_since(middle)


def test_another_sessions_write_reads_everything_again(demo, clock):
    stamp = demo.write_stamp()
    demo.mark_read(_unread(demo)[0])
    other = open_store(demo.store.path, "maria", clock, os_user="maria")
    other.conn.execute("BEGIN IMMEDIATE")
    other.conn.execute("UPDATE accounts SET name = name")
    other.conn.execute("COMMIT")
    other.close()
    assert not demo.only_read_state_since(stamp)


def test_reused_entries_keep_states_and_take_new_counts(demo):
    before = demo.sidebar()
    deactivated = [e for e in before if e.state == "deactivated"]
    assert deactivated
    account = deactivated[0]
    nid = next(r["id"] for r in demo.store.rows("SELECT id FROM notifications WHERE status = 'new' AND account_id = ?",
                                                (account.account_id,)))
    demo.mark_read(nid)
    light = demo.sidebar(reuse=before)
    assert light == demo.sidebar()  # the same as reading everything again
    row = next(e for e in light if e.account_id == account.account_id and e.marketplace is None)
    assert row.state == "deactivated" and row.unread == account.unread - 1
