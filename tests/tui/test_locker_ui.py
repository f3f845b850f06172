"""The evidence locker in the appeal editor: F6 attaches by path (completed as typed), lists and detaches; F9
writes the submission bundle. Driven with keys; what is stored and written is checked."""

from __future__ import annotations

import json

from textual.widgets import Checkbox, Input, OptionList, Select, TextArea

from console.tui.screens.appeal import AppealScreen
from console.tui.screens.attachments import AttachmentsDialog, BundleDialog, complete_path

from .conftest import build
from .test_appeal_editor import NID, STRONG, open_editor, press_button

SIZE = (100, 32)
ASIN = "B0C4FZ9QLW"  # notification 41's
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a") + bytes(200)


def evidence(screen) -> str:
    return next(r for r in screen.results if r.id == "evidence").status


def notes(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_f6_attaches_a_file_by_a_completed_path_and_detaches_it(app, demo, tmp_path):
    (tmp_path / "invoice-october.pdf").write_bytes(PDF)
    (tmp_path / "notes.txt").write_text("not offered: not a type Amazon takes")
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot)
        editor.query_one(TextArea).text = STRONG
        await pilot.press("f6")  # from inside the text, where F6 would select the line
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AttachmentsDialog)
        assert dialog.query_one("#attach-asins", Input).value == ASIN  # the notice's ASINs to begin with
        assert editor.appeal.revision == 2  # the typed text was saved first
        path = dialog.query_one("#attach-path", Input)
        assert path.has_focus
        await pilot.press(*f"{tmp_path}/in")
        await pilot.pause()
        await pilot.press("right")  # accept the completion
        assert path.value == f"{tmp_path}/invoice-october.pdf"
        dialog.query_one("#attach-date", Input).value = "2026-10-01"
        await press_button(pilot, "#attach")
        stored = demo.attachments(editor.appeal)
        assert [(a.name, a.kind, a.asins) for a in stored] == [("invoice-october.pdf", "invoice", (ASIN,))]
        assert path.value == "" and "Attached invoice-october.pdf as #1 (invoice)" in notes(app)
        row = str(dialog.query_one("#attachments-list", OptionList).get_option_at_index(0).prompt)
        assert row.split() == ["#1", "invoice", "2026-10-01", ASIN, str(len(PDF)), "B", "invoice-october.pdf"]
        assert "needs supplier details" in str(dialog.query_one("#attachments-verdict").render())
        # A second file as supplier details, then a refused one: one line naming it, nothing stored.
        (tmp_path / "supplier.png").write_bytes(PNG)
        path.value = str(tmp_path / "supplier.png")
        dialog.query_one("#attach-kind", Select).value = "supplier_details"
        await press_button(pilot, "#attach")
        path.value = str(tmp_path / "notes.txt")
        await press_button(pilot, "#attach")
        assert "notes.txt: .txt is not accepted; attach PDF, JPG/JPEG, PNG, GIF, TIF/TIFF" in notes(app)
        assert len(demo.attachments(editor.appeal)) == 2
        assert str(dialog.query_one("#attachments-verdict").render()).startswith("✓ Evidence: 1 ASIN covered")
        # Delete on the list detaches the one under the cursor.
        dialog.query_one("#attachments-list", OptionList).focus()
        await pilot.press("end", "delete")
        await pilot.pause()
        assert [a.name for a in demo.attachments(editor.appeal)] == ["invoice-october.pdf"]
        assert "Detached #2 supplier.png" in notes(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause(0.5)  # the checklist reads the attachments again on a worker
        assert app.screen is editor and evidence(editor) == "fail"
        actions = [r["action"] for r in demo.store.rows("SELECT action FROM audit WHERE action LIKE 'appeal.%tach'")]
        assert actions == ["appeal.attach", "appeal.attach", "appeal.detach"]


async def test_the_checklist_passes_evidence_once_the_files_are_attached(app, demo, tmp_path):
    (tmp_path / "inv.pdf").write_bytes(PDF)
    (tmp_path / "sup.png").write_bytes(PNG)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot)
        assert evidence(editor) == "fail"
        await pilot.press("f6")
        await pilot.pause()
        dialog = app.screen
        for name, kind, when in (("inv.pdf", "invoice", "2026-09-30"), ("sup.png", "supplier_details", "")):
            dialog.query_one("#attach-path", Input).value = str(tmp_path / name)
            dialog.query_one("#attach-kind", Select).value = kind
            dialog.query_one("#attach-date", Input).value = when
            await pilot.press("enter")  # Enter in the form attaches
            await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause(0.5)
        assert evidence(editor) == "pass"


async def test_a_file_another_operator_attaches_counts_in_the_open_editor(app, demo, tmp_path):
    (tmp_path / "inv.pdf").write_bytes(PDF)
    (tmp_path / "sup.png").write_bytes(PNG)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot)
        assert evidence(editor) == "fail"
        maria = demo.sibling()  # her session: another connection to the same file
        maria.store.actor, maria.store.os_user = "maria", "maria"
        theirs = maria.appeal(editor.appeal.id)
        maria.attach_file(theirs, tmp_path / "inv.pdf", "invoice", "2026-10-01")
        maria.attach_file(theirs, tmp_path / "sup.png", "supplier_details")
        maria.close()
        editor.others_wrote()  # what the watch on PRAGMA data_version calls within a second
        await pilot.pause()
        await pilot.pause(0.5)
        assert evidence(editor) == "pass"


async def test_f9_writes_the_bundle_to_the_folder_asked_for(app, demo, tmp_path):
    (tmp_path / "inv.pdf").write_bytes(PDF)
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_editor(app, pilot)
        demo.attach_file(editor.appeal, tmp_path / "inv.pdf", "invoice", "2026-10-01")
        await pilot.press("f9")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, BundleDialog)
        folder = dialog.query_one("#bundle-path", Input)
        assert folder.value == str(demo.bundle_path(editor.appeal))
        folder.value = str(tmp_path / "upload")
        await press_button(pilot, "#write")
        assert app.screen is editor
        written = sorted(p.name for p in (tmp_path / "upload").iterdir())
        assert written == ["00-plan-of-action.txt", f"01-invoice-2026-10-01-{ASIN}.pdf", "manifest.json",
                           "manifest.txt"]
        assert (tmp_path / "upload" / written[1]).read_bytes() == PDF
        assert json.loads((tmp_path / "upload" / "manifest.json").read_text())["asins"] == {ASIN: [written[1]]}
        assert any(n.startswith(f"Wrote the bundle to {tmp_path / 'upload'}: the plan, 1 attachment") for n in notes(app))
        # Again into the same folder: refused, the dialog stays; ticking Replace writes over the bundle.
        await pilot.press("f9")
        await pilot.pause()
        app.screen.query_one("#bundle-path", Input).value = str(tmp_path / "upload")
        await press_button(pilot, "#write")
        assert isinstance(app.screen, BundleDialog)
        assert any("upload: not empty (4 files" in n and 'tick "Replace"' in n for n in notes(app))
        app.screen.query_one("#bundle-force", Checkbox).value = True
        await press_button(pilot, "#write")
        assert app.screen is editor


async def test_f6_on_a_sent_appeal_lists_its_attachments_read_only(app, demo, tmp_path):
    (tmp_path / "inv.pdf").write_bytes(PDF)
    appeal = demo.save_appeal(demo.open_appeal(NID), STRONG)
    demo.attach_file(appeal, tmp_path / "inv.pdf", "invoice", "2026-10-01")
    demo.submit_appeal(demo.appeal(appeal.id), "contact-us", "email", None, "sent for the test")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(AppealScreen(NID))
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AttachmentsDialog)
        assert not dialog.query("#attach-path") and not dialog.query("#attach")
        assert dialog.query_one("#attachments-list", OptionList).option_count == 1


def test_a_path_completes_as_far_as_the_names_agree(tmp_path):
    (tmp_path / "invoices").mkdir()
    (tmp_path / "invoice-1.pdf").write_bytes(PDF)
    (tmp_path / "invoice-2.pdf").write_bytes(PDF)
    (tmp_path / "photo.png").write_bytes(PNG)
    (tmp_path / "photo.txt").write_text("x")
    (tmp_path / ".hidden.pdf").write_bytes(PDF)
    base = str(tmp_path)
    assert complete_path(f"{base}/inv") == f"{base}/invoice"  # invoice-1.pdf, invoice-2.pdf, invoices/
    assert complete_path(f"{base}/invoice-") is None  # two names: nothing more they agree on
    assert complete_path(f"{base}/ph") == f"{base}/photo.png"  # .txt is no type Amazon takes
    assert complete_path(f"{base}/invoices") == f"{base}/invoices/"
    assert complete_path(f"{base}/inv", folders_only=True) == f"{base}/invoices/"
    assert complete_path(f"{base}/.h") == f"{base}/.hidden.pdf" and complete_path(f"{base}/") is None
    assert complete_path(f"{base}/nothing-here/x") is None


def test_attachment_list_at_80x24(snap_compare, demo, tmp_path):
    """F6 at 80x24: the title counts 3 files and their size; each row shows id, a short kind, the date (or
    undated), the first ASIN, the size and the name cut with "…"; the verdict names what the ASIN lacks (an
    invoice dated within 365 days: #1 is too old); the file, kind, date and ASIN fields and the Attach, Detach
    and Close buttons, all whole inside the frame."""
    appeal = demo.save_appeal(demo.open_appeal(NID), STRONG)
    files = [("invoice-from-brightline-trading-2025-01.pdf", PDF, "invoice", "2025-01-15"),
             ("supplier-contact-sheet.png", PNG, "supplier_details", None),
             ("unit-photo-front.png", PNG + b"\x01", "photo", "2026-11-20")]
    for name, data, kind, when in files:
        (tmp_path / name).write_bytes(data)
        demo.attach_file(appeal, tmp_path / name, kind, when)

    async def run_before(pilot):
        pilot.app.push_screen(AppealScreen(NID))
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()

    assert snap_compare(build(demo), run_before=run_before, terminal_size=(80, 24))


async def test_both_dialogs_fit_80x24_with_every_control_whole(demo, tmp_path):
    (tmp_path / "inv.pdf").write_bytes(PDF)
    appeal = demo.save_appeal(demo.open_appeal(NID), STRONG)
    for i in range(9):  # more than the list shows: it scrolls, the form stays on screen
        (tmp_path / f"photo-{i}.png").write_bytes(PNG + bytes([i]))
        demo.attach_file(appeal, tmp_path / f"photo-{i}.png", "photo")
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(AppealScreen(NID))
        await pilot.pause()
        for key in ("f6", "f9"):
            await pilot.press(key)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, (AttachmentsDialog, BundleDialog))
            hidden = []
            for widget in list(screen.focus_chain):
                screen.set_focus(widget)
                await pilot.pause()
                geometry = screen.find_widget(widget)
                if not (screen.region.contains_region(geometry.region) and geometry.clip.contains_region(
                        geometry.region)) or geometry.region.area == 0:
                    hidden.append(widget.id or type(widget).__name__)
            assert not hidden, f"{type(screen).__name__} at 80x24 hides {hidden}"
            await pilot.press("escape")
            await pilot.pause()


async def test_f6_and_f9_on_a_draft_not_stored_yet_say_so(app, demo):
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(AppealScreen(NID))  # nothing typed: looking is not writing
        await pilot.pause()
        editor = app.screen
        assert editor.appeal.id == 0
        for key in ("f6", "f9"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is editor
        assert notes(app).count("Nothing is stored yet: write the appeal first.") == 2
        assert demo.draft_of(NID) is None
