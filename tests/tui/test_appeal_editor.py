"""The appeal editor, driven with keys: the whole path from draft to accepted, and what is stored."""

from __future__ import annotations

from textual.widgets import Button, Input, TextArea

from console.store import appeals as ap
from console.store.db import open_store
from console.tui.screens.appeal import AppealScreen
from console.tui.screens.appeal_dialogs import (
    ConflictDialog,
    OutcomeDialog,
    RevisionsScreen,
    SubmitDialog,
)
from console.tui.screens.inbox import InboxScreen
from console.tui.widgets.notice_list import NoticeList

SIZE = (130, 40)
NID = 41  # the demo's authenticity complaint: ASIN B0C4FZ9QLW, complaint 7185520463

STRONG = """## Root cause
Our purchasing assistant bought 200 units of ASIN B0C4FZ9QLW from a new wholesaler without checking that it was an
authorised distributor, because our sourcing checklist did not require proof of authorisation. The customer
complaint 7185520463 followed from units that came from that wholesaler.

## Actions taken
We removed the remaining 140 units from sale, refunded the 12 affected buyers and stopped buying from the
wholesaler. We attached the invoices from the brand's authorised distributor for the last 365 days and the
supplier details (name, address, phone, email).

## Preventive measures
- Our sourcing manager verifies a letter of authorisation before every new supplier's first order.
- Every month the compliance officer reconciles invoices against 100% of inbound shipments in our inventory spreadsheet.
- From 1 December 2026 the QA lead inspects 10 units of each inbound shipment for authenticity markers.
"""


async def open_editor(app, pilot, nid=NID):
    app.desk.open_appeal(nid)  # a stored draft to edit (pressing `a` alone stores nothing)
    app.push_screen(AppealScreen(nid))
    await pilot.pause()
    assert isinstance(app.screen, AppealScreen)
    return app.screen


async def press_button(pilot, selector: str) -> None:
    """Press a dialog button the way Enter on it would (clicks can land on a toast)."""
    pilot.app.screen.query_one(selector, Button).press()
    await pilot.pause()


def checks(screen) -> dict[str, str]:
    return {r.id: r.status for r in screen.results}


async def test_a_opens_a_new_draft_with_only_the_three_headings(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        nid = app.screen.query_one(NoticeList).current["id"]
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AppealScreen)
        assert screen.query_one(TextArea).text == "## Root cause\n\n\n## Actions taken\n\n\n## Preventive measures\n\n"
        assert ap.current_appeal(demo.store, nid) is None  # looking is not writing: nothing stored yet
        assert checks(screen)["root_cause"] == "fail"
        await pilot.press("escape")
        assert isinstance(app.screen, InboxScreen)


async def test_typing_updates_checklist_and_autosaves_revisions(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        area = screen.query_one(TextArea)
        area.text = STRONG
        await pilot.pause(0.6)  # the checklist follows within the debounce
        status = checks(screen)
        assert status["targeted"] == status["root_cause"] == status["improvement_plan"] == "pass"
        # The text names invoices and supplier details; none is attached: naming is not having.
        assert status["evidence"] == "fail" and status["reviewed"] == "fail"
        await pilot.pause(1.4)  # autosave after typing stops
        appeal = ap.current_appeal(demo.store, NID)
        assert appeal.text == STRONG.strip("\n") or appeal.text == STRONG
        assert [r.number for r in ap.revisions(demo.store, appeal.id)] == [1, 2]


async def test_hangup_saves_what_was_typed(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        screen.query_one(TextArea).text = "typed just before the SSH session dropped"
        app.hangup()  # what SIGHUP runs
        await pilot.pause()
    assert ap.current_appeal(demo.store, NID).text == "typed just before the SSH session dropped"


async def test_whole_path_button_rejected_revise_contact_us_accepted(app, demo, clock, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        screen.query_one(TextArea).text = STRONG
        await pilot.press("f2")
        appeal = ap.current_appeal(demo.store, NID)
        # The author cannot be their own second pair of eyes.
        await pilot.press("f4")
        assert ap.get_appeal(demo.store, appeal.id).reviewed_by is None
        assert any("wrote part of this appeal" in str(n.message) for n in app._notifications)
        # The evidence the text names, attached (F6 in tests/tui/test_locker_ui.py).
        for name, kind, when in (("inv.pdf", "invoice", "2026-10-01"), ("supplier.pdf", "supplier_details", None)):
            (tmp_path / name).write_bytes(b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n")
            demo.attach_file(appeal, tmp_path / name, kind, when)
        screen.refresh_context()
        maria = open_store(demo.store.path, "maria", clock, os_user="maria")
        ap.mark_reviewed(maria, appeal.id, ap.get_appeal(maria, appeal.id).revision)
        screen._heartbeat()  # the editor notices within seconds
        await pilot.pause(0.5)
        assert checks(screen)["reviewed"] == "pass"
        # Submit through the one-time Appeal button.
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, SubmitDialog)
        await press_button(pilot, "#appeal-button")
        await press_button(pilot, "#spend")  # the deliberate second step
        await pilot.pause()
        first = ap.get_appeal(demo.store, appeal.id)
        assert (first.status, first.route) == ("submitted", "appeal-button")
        assert ap.button_state(demo.store, NID)[1] == "tester"
        assert demo.notification(NID).status.value == "appealed"
        assert screen.query_one(TextArea).read_only
        # Rejected, with Amazon's reason.
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDialog)
        await pilot.press(*"invoices unreadable")
        await press_button(pilot, "#rejected")
        await pilot.pause()
        first = ap.get_appeal(demo.store, appeal.id)
        assert (first.status, first.outcome_note) == ("rejected", "invoices unreadable")
        # Revise: a new draft from the rejected text, routed to Contact Us.
        await pilot.press("f10")
        await pilot.pause()
        second = ap.current_appeal(demo.store, NID)
        assert second.id != first.id and second.revised_from == first.id and second.route == "contact-us"
        assert screen.query_one(TextArea).text == first.text and not screen.query_one(TextArea).read_only
        await pilot.press("f5")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SubmitDialog) and dialog.query_one("#appeal-button", Button).disabled
        dialog.query_one("#case-id", Input).value = "1234567890"
        await press_button(pilot, "#contact-us")
        await pilot.pause()
        second = ap.get_appeal(demo.store, second.id)
        assert (second.status, second.route, second.channel, second.case_id) == (
            "submitted", "contact-us", "email", "1234567890")
        await pilot.press("f8")
        await pilot.pause()
        await press_button(pilot, "#accepted")
        await pilot.pause()
        assert ap.get_appeal(demo.store, second.id).status == "accepted"
        assert demo.notification(NID).status.value == "resolved"
        maria.close()


async def test_failing_checks_block_submission_until_a_reason_is_written(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        screen.query_one(TextArea).text = "We are sorry. Amazon made a mistake, please please reinstate us."
        await pilot.press("f5")
        await pilot.pause()
        await press_button(pilot, "#appeal-button")
        await pilot.pause()
        assert isinstance(app.screen, SubmitDialog)  # still open: no reason yet
        assert ap.current_appeal(demo.store, NID).status == "draft"
        app.screen.query_one("#override", Input).value = "the brand asked us to file today"
        await press_button(pilot, "#appeal-button")
        await press_button(pilot, "#spend")  # the deliberate second step
        await pilot.pause()
        done = ap.current_appeal(demo.store, NID)
        assert done.status == "submitted" and done.override_reason == "the brand asked us to file today"
        audit = demo.store.rows("SELECT detail FROM audit WHERE action = 'appeal.submit'")[0]["detail"]
        assert "tone" in audit and "the brand asked us to file today" in audit


async def test_stale_save_shows_a_conflict_not_an_overwrite(app, demo, clock):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        appeal = screen.appeal
        maria = open_store(demo.store.path, "maria", clock, os_user="maria")
        ap.save_text(maria, appeal.id, "maria's version", appeal.version)
        screen.query_one(TextArea).text = "my version"
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        assert ap.get_appeal(demo.store, appeal.id).text == "maria's version"
        await press_button(pilot, "#theirs")
        await pilot.pause()
        assert screen.query_one(TextArea).text == "maria's version"
        [kept] = demo.export_path(screen.appeal).parent.glob("appeal-*-yours.txt")
        assert kept.read_text() == "my version"
        maria.close()


async def test_keep_mine_after_conflict_is_a_new_revision(app, demo, clock):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        maria = open_store(demo.store.path, "maria", clock, os_user="maria")
        ap.save_text(maria, screen.appeal.id, "maria's version", screen.appeal.version)
        screen.query_one(TextArea).text = "my version"
        await pilot.press("f2")
        await pilot.pause()
        await press_button(pilot, "#mine")
        await pilot.pause()
        texts = [r.text for r in ap.revisions(demo.store, screen.appeal.id)]
        assert texts[-2:] == ["maria's version", "my version"]
        maria.close()


async def test_revisions_diff_and_restore(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        for text in ("first words", "second words"):
            screen.query_one(TextArea).text = text
            await pilot.press("f2")
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, RevisionsScreen)
        diff = str(app.screen.query_one("#revision-diff-body").render())
        assert "-first words" in diff and "+second words" in diff
        await pilot.press("up", "r")
        await pilot.pause()
        assert screen.query_one(TextArea).text == "first words"
        assert ap.current_appeal(demo.store, NID).revision == 4


async def test_copy_sends_osc52_and_writes_a_file(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        screen.query_one(TextArea).text = "copy me"
        await pilot.press("f11")  # F9 writes the submission bundle (tests/tui/test_locker_ui.py)
        await pilot.pause()
        assert app.clipboard == "copy me"
        assert any("Sent 7 characters" in str(n.message) for n in app._notifications)
        assert demo.export_path(screen.appeal).read_text() == "copy me"


async def test_second_operator_sees_who_is_editing(app, demo, clock):
    appeal = demo.open_appeal(NID)
    maria = open_store(demo.store.path, "maria", clock, os_user="maria")
    ap.heartbeat(maria, appeal.id)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        assert "maria is editing this appeal now" in str(screen.query_one("#appeal-header").render())
    maria.close()


WORD_PASTE = (
    "Root Cause\r\n"
    "Our purchasing assistant bought 200 units of ASIN B0C4FZ9QLW from a new wholesaler without checking that it "
    "was an authorised distributor, because our sourcing checklist did not require proof of authorisation. The "
    "customer complaint 7185520463 followed from units that came from that wholesaler.\r\n"
    "Actions Taken\r\n"
    "•\tWe removed the remaining 140\u00a0units from sale, refunded the 12 affected buyers and stopped buying from "
    "the wholesaler.\r\n"
    "•\tWe attached the invoices from the brand’s authorised distributor for the last 365\u00a0days and the "
    "supplier details (name, address, phone, email).\r\n"
    "Preventive Measures\x0b"
    "1.\tOur sourcing manager verifies a letter of authorisation before every new supplier’s first order.\r\n"
    "2.\tEvery month the compliance officer reconciles invoices against 100% of inbound shipments in our "
    "inventory\u200b spreadsheet.\r\n"
    "3.\tFrom 1 December 2026 the QA lead inspects 10 units of each inbound shipment for “authenticity markers”."
)


async def test_a_document_pasted_from_word_keeps_its_structure_and_reads_as_typed(app, demo):
    from textual import events

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        area = screen.query_one(TextArea)
        area.text = ""
        area.post_message(events.Paste(WORD_PASTE))
        await pilot.pause(0.6)
        text = area.text
        # Bullets and numbers as typed, one line each; no tabs, non-breaking or zero-width spaces, CRs.
        assert text.split("\n")[3:5] == [
            "- We removed the remaining 140 units from sale, refunded the 12 affected buyers and stopped buying "
            "from the wholesaler.",
            "- We attached the invoices from the brand’s authorised distributor for the last 365 days and the "
            "supplier details (name, address, phone, email).",
        ]
        assert text.split("\n")[5:7] == [
            "Preventive Measures", "1. Our sourcing manager verifies a letter of authorisation before every new "
            "supplier’s first order."]
        assert not any(c in text for c in "\t\r\u00a0\u200b\x0b•")
        assert "“authenticity markers”" in text  # quotes stay as written
        pasted = checks(screen)
        await pilot.press("f2")
        assert ap.current_appeal(demo.store, NID).text == text  # stored as shown
        area.text = STRONG  # the same plan, typed
        await pilot.pause(0.6)
        assert checks(screen) == pasted
        assert pasted["root_cause"] == pasted["actions_taken"] == pasted["improvement_plan"] == "pass"


async def test_a_paste_into_a_read_only_appeal_changes_nothing(app, demo):
    from textual import events

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_editor(app, pilot)
        area = screen.query_one(TextArea)
        area.read_only = True
        before = area.text
        area.post_message(events.Paste("•\tpasted"))
        await pilot.pause()
        assert area.text == before
