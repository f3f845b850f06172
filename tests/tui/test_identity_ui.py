"""Who did it, in the console: a claim is its OS user's, names are shown with the OS user that wrote them."""

from __future__ import annotations

from console.desk import Desk
from console.store.db import open_store
from console.tui.screens.audit import AuditDetail, AuditList, AuditScreen
from console.tui.screens.modals import TakeOver
from console.tui.widgets.detail import DetailPane
from console.tui.widgets.notice_list import NoticeList

from .conftest import build

SIZE = (140, 40)


def session(demo, name, os_user):
    return Desk(open_store(demo.store.path, name, demo.clock, os_user=os_user), demo.config, demo.clock)


async def test_the_same_name_from_another_os_user_does_not_own_the_claim(demo):
    """maria on ops1 claims a notification; a console run by ops2 declaring "maria" sees it as someone else's:
    `o` offers a take-over naming the OS user instead of releasing it, and the pane says who holds it."""
    ops1 = session(demo, "maria", "ops1")
    ops2 = session(demo, "maria", "ops2")
    nid = demo.store.rows("SELECT id FROM notifications WHERE assignee IS NULL ORDER BY id LIMIT 1")[0]["id"]
    ops1.claim(nid)
    app = build(ops2)
    async with app.run_test(size=SIZE) as pilot:
        lst = app.screen.query_one(NoticeList)
        lst.move_to(next(i for i in range(lst.total) if lst.row(i)["id"] == nid))
        await pilot.pause()
        pane = app.screen.query_one(DetailPane).plain
        assert "claimed by maria (os: ops1)" in pane and "claimed by you" not in pane
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, TakeOver)
        shown = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert f"#{nid} is already claimed by maria (os: ops1) since 2026-11-27 08:00 UTC." in shown
        await pilot.press("n")
        await pilot.pause()
    n = demo.notification(nid)
    assert (n.assignee, n.assignee_os) == ("maria", "ops1")  # still hers: nothing released
    assert demo.store.rows("SELECT count(*) AS n FROM audit WHERE action = 'notification.release'")[0]["n"] == 0
    ops1.close()
    ops2.close()


async def test_the_audit_log_shows_the_os_user_and_marks_a_shared_account(demo):
    ops1 = session(demo, "maria", "ops1")
    ops1.mark_read(3)
    jo = session(demo, "jo", "ops1")
    jo.mark_read(4)
    app = build(demo)
    async with app.run_test(size=(180, 40)) as pilot:
        app.action_audit()
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)
        audit = app.screen.query_one(AuditList)
        top = "".join(seg.text for seg in audit.render_line(0))
        assert "jo (os: ops1, declared, not verified)" in top
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuditDetail)
        body = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "jo (os: ops1, declared, not verified)" in body and "OS user  ops1" in body
    ops1.close()
    jo.close()
