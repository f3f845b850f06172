"""The contact log in the console: logging a case, the duplicate guard (each way out), statuses, overdue."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Button, Input, TextArea

from console.store import contacts as cs
from console.tui.screens.contacts import (
    ContactForm,
    ContactsScreen,
    DuplicateWarning,
    StatusDialog,
)
from console.tui.widgets.notice_list import NoticeList

SIZE = (130, 40)


async def press_button(pilot, selector):
    pilot.app.screen.query_one(selector, Button).press()
    await pilot.pause()


def case_for_first_row(demo, app, **kw):
    row = app.screen.query_one(NoticeList).current
    return cs.open_case(demo.store, row["account_id"], "email", "Asked about the at-risk notice",
                        notification_id=row["id"], case_ref="1111111111", **kw), row


async def test_c_opens_the_log_and_n_logs_a_case_prefilled(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        row = app.screen.query_one(NoticeList).current
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm)
        assert form.query_one("#contact-summary", Input).value == row["subject"]
        form.query_one("#contact-problem", Input).value = "Account deactivation or at risk"
        form.query_one("#contact-case-ref", Input).value = "2222222222"
        form.query_one("#contact-follow-up", Input).value = "+2d"
        form.query_one("#contact-notes", TextArea).text = "Chat transcript: agent escalated to the account team."
        await pilot.press("f2")
        await pilot.pause()
        [case] = cs.cases_for_notification(demo.store, row["id"])
        assert (case.case_ref, case.channel, case.status, case.opened_by) == ("2222222222", "email", "open", "tester")
        assert case.path == "Help → Contact Us → Selling on Amazon → Account deactivation or at risk"
        assert case.follow_up_at == demo.now() + timedelta(days=2) or case.follow_up_at > demo.now()
        assert "escalated" in cs.timeline(demo.store, case.id)[0].text
        assert isinstance(app.screen, ContactsScreen)


async def test_guard_add_to_the_open_case(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        case, row = case_for_first_row(demo, app)
        await pilot.press("c", "n")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, DuplicateWarning)
        await press_button(pilot, f"#case-{case.id}")
        await pilot.pause()
        assert len(cs.cases_for_notification(demo.store, row["id"])) == 1
        assert [e.kind for e in cs.timeline(demo.store, case.id)][-1] == "contact"


async def test_guard_reopen_a_closed_case(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        case, row = case_for_first_row(demo, app)
        cs.set_status(demo.store, case.id, "closed")
        await pilot.press("c", "n")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, DuplicateWarning)
        assert str(app.screen.query_one(f"#case-{case.id}", Button).label) == f"Reopen #{case.id}"
        await press_button(pilot, f"#case-{case.id}")
        await pilot.pause()
        assert [c.id for c in cs.cases_for_notification(demo.store, row["id"])] == [case.id]
        assert cs.get_case(demo.store, case.id).status == "reopened"


async def test_guard_new_case_needs_a_reason_and_is_audited(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        case, row = case_for_first_row(demo, app)
        await pilot.press("c", "n")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await press_button(pilot, "#new")
        assert isinstance(app.screen, DuplicateWarning)  # no reason yet
        app.screen.query_one("#duplicate-reason", Input).value = "different ASIN, Amazon asked for a new case"
        await press_button(pilot, "#new")
        await pilot.pause()
        assert len(cs.cases_for_notification(demo.store, row["id"])) == 2
        audit = demo.store.rows("SELECT detail FROM audit WHERE action = 'case.open' ORDER BY id DESC LIMIT 1")
        assert "different ASIN" in audit[0]["detail"]


async def test_guard_cancel_saves_nothing(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        case, row = case_for_first_row(demo, app)
        await pilot.press("c", "n")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await press_button(pilot, "#cancel")
        assert len(cs.cases_for_notification(demo.store, row["id"])) == 1


async def test_status_change_and_overdue_in_flag_bar(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        case, row = case_for_first_row(demo, app, follow_up_at=demo.now() - timedelta(hours=3))
        app.screen.reload()
        assert "1 follow-up overdue" in str(app.screen.query_one("#flagbar").render())
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatusDialog)
        await press_button(pilot, "#answered")
        assert cs.get_case(demo.store, case.id).status == "answered"
        kinds = [(e.kind, e.old_status, e.new_status) for e in cs.timeline(demo.store, case.id)]
        assert ("status", "open", "answered") in kinds


async def test_contact_us_appeal_creates_a_linked_case(app, demo):
    from console.store import appeals as ap

    nid = 41
    appeal = demo.open_appeal(nid)
    demo.submit_appeal(appeal, "contact-us", "phone", "3333333333", override_reason="test")
    [case] = cs.cases_for_notification(demo.store, nid)
    assert (case.appeal_id, case.channel, case.case_ref) == (appeal.id, "phone", "3333333333")
    assert ap.get_appeal(demo.store, appeal.id).status == "submitted"


def seeded(demo):
    """Three cases: one with an overdue follow-up, one answered with a chat transcript, one closed."""
    now = demo.now()
    northwind = demo.account("Northwind Home")
    bright = demo.account("Brightwater Goods EU")
    a = cs.open_case(demo.store, northwind.id, "phone", "Account at risk: asked for the deactivation reason",
                     notification_id=1, follow_up_at=now - timedelta(hours=5), urgent=True,
                     notes="Call, 14 minutes. Agent could not see the review; said to wait 48 hours.")
    cs.update(demo.store, a.id, case_ref="1234567890")
    b = cs.open_case(demo.store, bright.id, "chat", "Listing suppressed on Amazon.de after image update",
                     marketplace="DE", case_ref="9876543210", follow_up_at=now + timedelta(days=2))
    cs.add_contact(demo.store, b.id, "chat", "Transcript: [agent] The image had a watermark. [us] Replaced it.")
    cs.set_status(demo.store, b.id, "answered")
    c = cs.open_case(demo.store, northwind.id, "email", "FBA reimbursement for lost units", marketplace="CA",
                     case_ref="5555555555")
    cs.set_status(demo.store, c.id, "closed")
    return a, b, c


def test_snapshot_contact_log_with_overdue_follow_up(snap_compare, app, demo):
    """The log: three cases, the urgent Northwind phone case first with its follow-up OVERDUE in red, the
    title counting one overdue follow-up; the timeline of the first case below."""
    seeded(demo)
    assert snap_compare(app, press=["f12"], terminal_size=SIZE)


def test_snapshot_case_timeline(snap_compare, app, demo):
    """The answered Brightwater case selected (third in the log): opened, the chat transcript, the status
    change."""
    seeded(demo)
    assert snap_compare(app, press=["f12", "down", "down"], terminal_size=SIZE)


def test_snapshot_contact_form(snap_compare, app, demo):
    """c then n on the first notification: the form prefilled with its account, marketplace and subject."""
    assert snap_compare(app, press=["c", "n"], terminal_size=SIZE)


def test_snapshot_duplicate_warning(snap_compare, app, demo):
    """Saving a new case about notification #16 while case #1 is open: the warning lists it and offers to add
    to it, or to open a second one with a reason."""
    cs.open_case(demo.store, demo.account("Brightwater Goods EU").id, "email", "Asked about the UK at-risk notice",
                 notification_id=16, case_ref="1111111111")
    assert snap_compare(app, press=["c", "n", "f2"], terminal_size=SIZE)


async def test_contact_us_appeal_reopens_the_closed_case_rather_than_a_second_one(demo):
    nid = 41
    n = demo.notification(nid)
    old = cs.open_case(demo.store, n.account_id, "email", "First question about it", notification_id=nid)
    cs.set_status(demo.store, old.id, "closed")
    demo.submit_appeal(demo.open_appeal(nid), "contact-us", "chat", None, override_reason="test")
    [case] = cs.cases_for_notification(demo.store, nid)
    assert case.id == old.id and case.status == "reopened"


async def test_f12_from_the_appeal_editor_links_the_new_case_to_the_appeal(app, demo):
    from console.tui.screens.appeal import AppealScreen

    async with app.run_test(size=SIZE) as pilot:
        demo.open_appeal(41)  # a stored draft (opening the editor alone stores nothing)
        app.push_screen(AppealScreen(41))
        await pilot.pause()
        appeal_id = app.screen.appeal.id
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        [case] = cs.cases_for_notification(demo.store, 41)
        assert case.appeal_id == appeal_id
