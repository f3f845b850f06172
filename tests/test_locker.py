"""The evidence locker: attachments to an appeal (console/core/attachments.py, console/store/attachments.py),
the evidence check on them (console/review/locker.py) and the submission bundle (console/core/bundle.py).

Every file attached here is a real one of its type, written by Pillow (PDF, JPEG, PNG, GIF, TIFF)."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from console.core.attachments import Attachment, AttachmentError
from console.core.errors import NotFoundError, StoreError
from console.review.checklist import check_evidence
from console.store import attachments as locker_store
from console.store.db import open_store

ASIN_A, ASIN_B = "B0C7K2M9QX", "B0D3HT58WN"  # notification 1 of the demo data: an authenticity complaint
NID = 1

FORMATS = {"pdf": "PDF", "jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "GIF", "tif": "TIFF", "tiff": "TIFF"}


def image_bytes(fmt: str, size=(24, 16), colour=(180, 40, 20), noise: bool = False) -> bytes:
    img = Image.new("RGB", size, colour)
    if noise:
        img = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    img.save(out, format=fmt)
    return out.getvalue()


def real_file(folder: Path, name: str, **kw) -> Path:
    path = folder / name
    path.write_bytes(image_bytes(FORMATS[path.suffix.lstrip(".").lower()], **kw))
    return path


@pytest.fixture
def appeal(demo):
    return demo.new_appeal(NID, "## Root cause\n\nWe bought from an unlisted wholesaler.\n")


def audit_actions(desk) -> list[str]:
    return [r["action"] for r in desk.store.rows("SELECT action FROM audit ORDER BY id")]


# --- what a file may be ---------------------------------------------------------------------------------


@pytest.mark.parametrize("ext", list(FORMATS))
def test_a_real_file_of_each_type_is_stored_in_the_database_and_comes_back_whole(demo, appeal, tmp_path, ext):
    path = real_file(tmp_path, f"evidence.{ext}")
    a = demo.attach_file(appeal, path, "photo", "2026-11-02", [ASIN_A])
    assert (a.name, a.kind, a.doc_date, a.asins, a.size) == (f"evidence.{ext}", "photo", date(2026, 11, 2),
                                                            (ASIN_A,), path.stat().st_size)
    assert a.mime == {"pdf": "application/pdf", "png": "image/png", "gif": "image/gif"}.get(
        ext, "image/jpeg" if ext.startswith("j") else "image/tiff")
    assert demo.attachment_content(a.id) == path.read_bytes()
    assert [x.id for x in demo.attachments(appeal)] == [a.id]
    detail = json.loads(demo.store.rows("SELECT detail FROM audit WHERE action = 'appeal.attach'")[0]["detail"])
    assert detail["name"] == f"evidence.{ext}" and detail["sha256"] == a.sha256 and detail["new_blob"] is True


def refused(demo, appeal, path, *args) -> str:
    before = (len(demo.attachments(appeal)), len(audit_actions(demo)), locker_store.blob_count(demo.store))
    with pytest.raises(AttachmentError) as info:
        demo.attach_file(appeal, path, *(args or ("invoice", "2026-10-01")))
    # nothing half-stored: no link, no blob, no audit row
    assert (len(demo.attachments(appeal)), len(audit_actions(demo)), locker_store.blob_count(demo.store)) == before
    message = str(info.value)
    assert "\n" not in message
    return message


def test_a_renamed_binary_is_refused_by_its_bytes(demo, appeal, tmp_path):
    program = tmp_path / "invoice.pdf"
    program.write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 200)
    assert refused(demo, appeal, program) == "invoice.pdf: named .pdf but holds an ELF program, not a PDF"
    zipped = tmp_path / "scan.png"
    zipped.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    assert "scan.png: named .png but holds a ZIP archive" in refused(demo, appeal, zipped)
    png_as_jpeg = tmp_path / "photo.jpg"
    png_as_jpeg.write_bytes(image_bytes("PNG"))
    assert refused(demo, appeal, png_as_jpeg) == "photo.jpg: named .jpg but holds a PNG, not a JPEG"
    text = tmp_path / "notes.pdf"
    text.write_text("not a pdf at all")
    assert refused(demo, appeal, text) == "notes.pdf: named .pdf but holds something else, not a PDF"


def test_a_type_amazon_does_not_take_is_refused_naming_the_types(demo, appeal, tmp_path):
    doc = tmp_path / "letter.docx"
    doc.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    assert refused(demo, appeal, doc) == "letter.docx: .docx is not accepted; attach PDF, JPG/JPEG, PNG, GIF, TIF/TIFF"
    webp = tmp_path / "photo.webp"
    webp.write_bytes(image_bytes("WEBP"))
    assert refused(demo, appeal, webp).startswith("photo.webp: .webp is not accepted")


def test_an_oversized_file_is_refused_with_the_limit_from_the_settings(demo, appeal, tmp_path):
    demo.config.values["appeals"]["attachment_max_mb"] = 0.02  # 20 KB
    big = real_file(tmp_path, "scan.png", size=(200, 100), noise=True)  # noise does not compress: ~60 KB
    assert big.stat().st_size > 20 * 1024
    assert refused(demo, appeal, big) == f"scan.png: {big.stat().st_size / 1024:.0f} KB, over the limit of 20 KB"
    small = real_file(tmp_path, "small.png")
    assert demo.attach_file(appeal, small, "photo").size == small.stat().st_size


def test_the_size_limit_is_a_setting_checked_when_read(tmp_path, monkeypatch):
    from console.core import config as config_mod
    from console.core.attachments import max_bytes
    from console.core.config import ConfigError

    path = tmp_path / "c.toml"
    path.write_text("[appeals]\nattachment_max_mb = 2.5\n")
    assert max_bytes(config_mod.load(path).appeals) == int(2.5 * 1024 * 1024)
    assert max_bytes(config_mod.load().appeals) == 10 * 1024 * 1024  # the default
    path.write_text("[appeals]\nattachment_max_mb = 0\n")
    with pytest.raises(ConfigError, match="attachment_max_mb must be a number of megabytes above 0"):
        config_mod.load(path)


def test_an_unreadable_or_empty_file_is_refused(demo, appeal, tmp_path):
    assert refused(demo, appeal, tmp_path / "missing.pdf") == "missing.pdf: cannot read it (No such file or directory)"
    (tmp_path / "folder.pdf").mkdir()
    assert refused(demo, appeal, tmp_path / "folder.pdf") == "folder.pdf: is a folder, not a file"
    (tmp_path / "dangling.png").symlink_to(tmp_path / "gone.png")
    assert "dangling.png: cannot read it" in refused(demo, appeal, tmp_path / "dangling.png")
    os.mkfifo(tmp_path / "pipe.pdf")  # opening it would wait for a writer: refused before it is opened
    assert refused(demo, appeal, tmp_path / "pipe.pdf") == "pipe.pdf: not a regular file"
    (tmp_path / "empty.gif").write_bytes(b"")
    assert refused(demo, appeal, tmp_path / "empty.gif") == "empty.gif: the file is empty"
    if os.geteuid() != 0:  # root reads whatever the mode says
        locked = real_file(tmp_path, "locked.pdf")
        locked.chmod(0)
        assert refused(demo, appeal, locked) == "locked.pdf: cannot read it (Permission denied)"


def test_kind_date_and_asins_are_checked_before_anything_is_stored(demo, appeal, tmp_path):
    path = real_file(tmp_path, "inv.pdf")
    assert "kind 'receipt': one of invoice, supplier_details" in refused(demo, appeal, path, "receipt")
    assert refused(demo, appeal, path, "invoice", "01/10/2026") == "date '01/10/2026': write it as YYYY-MM-DD"
    assert refused(demo, appeal, path, "invoice", "2027-01-01").startswith("date 2027-01-01 is after today")
    assert refused(demo, appeal, path, "invoice", None, ["B0NOTOURS1"]) == (
        f"ASIN B0NOTOURS1 is not one of notification #1's ({ASIN_A}, {ASIN_B})")
    assert refused(demo, appeal, path, "invoice", None, ["B0-short"]).startswith("ASIN 'B0-SHORT': an ASIN is 10")
    # No ASIN given: the document covers every ASIN of the notification; kinds may be written as shown.
    a = demo.attach_file(appeal, path, "Supplier details")
    assert (a.kind, a.asins, a.doc_date) == ("supplier_details", (ASIN_A, ASIN_B), None)


# --- stored once, linked per appeal ---------------------------------------------------------------------


def test_the_same_bytes_are_stored_once_and_detach_keeps_what_another_appeal_links(demo, appeal, tmp_path):
    other = demo.new_appeal(2, "## Root cause\n\nAnother notice.\n")
    path = real_file(tmp_path, "supplier.pdf")
    first = demo.attach_file(appeal, path, "supplier_details")
    second = demo.attach_file(other, path, "other", None, ["B0BQ4V7ZRE"])
    assert first.sha256 == second.sha256 and locker_store.blob_count(demo.store) == 1
    assert refused(demo, appeal, path, "invoice") == f"supplier.pdf: already attached to appeal #{appeal.id} as #{first.id} (supplier.pdf)"
    gone, removed = demo.detach(appeal, first.id)
    assert (gone.id, removed) == (first.id, False)
    assert demo.attachments(appeal) == [] and locker_store.blob_count(demo.store) == 1
    assert demo.attachment_content(second.id) == path.read_bytes()  # the other appeal's copy is whole
    assert demo.detach(other, second.id)[1] is True and locker_store.blob_count(demo.store) == 0
    details = [json.loads(r["detail"]) for r in demo.store.rows(
        "SELECT detail FROM audit WHERE action = 'appeal.detach' ORDER BY id")]
    assert [(d["attachment_id"], d["blob_removed"]) for d in details] == [(first.id, False), (second.id, True)]
    assert audit_actions(demo).count("appeal.attach") == 2
    with pytest.raises(NotFoundError, match=f"appeal #{appeal.id} has no attachment #{second.id}"):
        demo.detach(appeal, second.id)
    assert demo.verify_audit()[0]


def test_a_sent_appeal_keeps_its_attachments_read_only(demo, appeal, tmp_path):
    a = demo.attach_file(appeal, real_file(tmp_path, "inv.pdf"), "invoice", "2026-10-01")
    sent = demo.submit_appeal(demo.appeal(appeal.id), "contact-us", "email", None, "testing the locker")
    with pytest.raises(AttachmentError, match=f"appeal #{sent.id} is submitted: its attachments are what was sent"):
        demo.attach_file(sent, real_file(tmp_path, "more.png"), "photo")
    with pytest.raises(AttachmentError, match="is submitted"):
        demo.detach(sent, a.id)
    assert [x.id for x in demo.attachments(sent)] == [a.id]


def test_an_unsaved_draft_takes_no_attachment(demo, tmp_path):
    draft = demo.peek_appeal(3)
    assert draft.id == 0
    with pytest.raises(StoreError, match="write the appeal first"):
        demo.attach_file(draft, real_file(tmp_path, "inv.pdf"), "invoice")


def _attach_as(db: str, who: str, appeal_id: int, files: list[str], start) -> None:
    from console.core.clock import FrozenClock
    from console.core.config import load
    from console.desk import Desk

    desk = Desk(open_store(db, who, FrozenClock("2026-11-27T08:00:00Z"), os_user=who), load(), FrozenClock(
        "2026-11-27T08:00:00Z"))
    start.wait(10)
    a = desk.appeal(appeal_id)
    for f in files:
        desk.attach_file(a, f, "invoice", "2026-10-01")
    desk.close()


def test_two_operators_attaching_at_once_both_land_deduplicated_and_audited(demo, appeal, tmp_path):
    other = demo.new_appeal(2, "## Root cause\n\nAnother notice.\n")
    shared = real_file(tmp_path, "shared.pdf")
    own = [str(real_file(tmp_path, f"{who}-{i}.png", colour=(i * 40, 10 if who == "maria" else 90, 10)))
           for who in ("maria", "omar") for i in range(3)]
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    procs = [ctx.Process(target=_attach_as, args=(str(demo.store.path), "maria", appeal.id, [str(shared), *own[:3]],
                                                  start)),
             ctx.Process(target=_attach_as, args=(str(demo.store.path), "omar", other.id, [str(shared), *own[3:]],
                                                  start))]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(30)
    assert [p.exitcode for p in procs] == [0, 0]
    mine, theirs = demo.attachments(appeal), demo.attachments(other)
    assert [a.name for a in mine] == ["shared.pdf", "maria-0.png", "maria-1.png", "maria-2.png"]
    assert [a.name for a in theirs] == ["shared.pdf", "omar-0.png", "omar-1.png", "omar-2.png"]
    assert {a.added_by_os for a in mine} == {"maria"} and {a.added_by_os for a in theirs} == {"omar"}
    assert locker_store.blob_count(demo.store) == 7  # the shared file once
    rows = demo.store.rows("SELECT actor, os_user, row_id, detail FROM audit WHERE action = 'appeal.attach'")
    assert sorted((r["os_user"], r["row_id"]) for r in rows) == sorted(
        [("maria", appeal.id)] * 4 + [("omar", other.id)] * 4)
    assert sum(json.loads(r["detail"])["new_blob"] for r in rows) == 7
    assert demo.verify_audit()[0]


def test_backup_and_restore_carry_the_attachments(demo, appeal, tmp_path):
    path = real_file(tmp_path, "inv.tiff")
    a = demo.attach_file(appeal, path, "invoice", "2026-10-01")
    copy = demo.backup(tmp_path / "backup.db").path
    demo.detach(appeal, a.id)
    assert locker_store.blob_count(demo.store) == 0
    demo.restore(copy)
    back = demo.attachments(demo.appeal(appeal.id))
    assert [(x.id, x.name, x.sha256) for x in back] == [(a.id, "inv.tiff", a.sha256)]
    assert demo.attachment_content(a.id) == path.read_bytes()


# --- the evidence check on facts ------------------------------------------------------------------------


def doc(i: int, kind: str, when: date | None, *asins: str) -> Attachment:
    return Attachment(i, 1, f"{kind}-{i}.pdf", kind, when, asins, 1000, "application/pdf", f"{i:064x}")


def ctx(attachments=(), text="## Root cause\n\nWe bought from a wholesaler.\n", category="authenticity",
        asins=(ASIN_A, ASIN_B)):
    from console.review.checklist import AppealContext

    return AppealContext(text=text, asins=list(asins), order_ids=[], complaint_id=None, category=category,
                         account="acme", author="sam", attachments=tuple(attachments), today=date(2026, 11, 27))


NAMED = "## Actions taken\n\nPlease find attached the supplier invoices and the supplier details.\n"


def test_evidence_passes_when_every_asin_is_covered_by_a_recent_invoice_and_supplier_details():
    r = check_evidence(ctx([doc(1, "invoice", date(2026, 10, 1), ASIN_A, ASIN_B),
                            doc(2, "supplier_details", None, ASIN_A, ASIN_B)]))
    assert r.status == "pass"
    assert r.reason == "2 ASINs covered by attachments (invoice dated within 365 days + supplier details)"
    assert r.details == (f"{ASIN_A}: invoice #1, supplier details #2", f"{ASIN_B}: invoice #1, supplier details #2")


def test_evidence_says_what_each_asin_still_lacks():
    r = check_evidence(ctx([doc(1, "invoice", date(2026, 10, 1), ASIN_A),
                            doc(2, "supplier_details", None, ASIN_A, ASIN_B),
                            doc(3, "invoice", date(2025, 9, 1), ASIN_B)]))
    assert r.status == "fail"
    assert r.reason == f"1 ASIN not covered: {ASIN_B} needs invoice dated within 365 days"
    assert r.details == (f"{ASIN_B}: needs invoice dated within 365 days (#3 is dated 2025-09-01, 452 days ago)",)
    r = check_evidence(ctx([doc(1, "invoice", None, ASIN_A, ASIN_B), doc(2, "photo", None, ASIN_A, ASIN_B)]))
    assert r.details == (f"{ASIN_A}: needs invoice dated within 365 days (#1 has no date); supplier details",
                         f"{ASIN_B}: needs invoice dated within 365 days (#1 has no date); supplier details")


def test_naming_evidence_in_the_text_is_not_having_it():
    r = check_evidence(ctx(text=NAMED))
    assert r.status == "fail" and r.reason == (
        f"naming is not having: the text names invoices, supplier details, but {ASIN_A}, {ASIN_B} need invoice "
        "dated within 365 days and supplier details")
    r = check_evidence(ctx(text="## Root cause\n\nWe bought from a wholesaler.\n"))
    assert r.status == "fail" and r.reason.startswith("attach the evidence: ")


@pytest.mark.parametrize("kind", ["letter_of_authorisation", "licence", "trademark_registration"])
def test_an_ip_complaint_needs_one_of_its_documents_per_asin(kind):
    ip = dict(category="ip_complaint", asins=("B0BQ4V7ZRE",))
    assert check_evidence(ctx([doc(1, kind, None, "B0BQ4V7ZRE")], **ip)).status == "pass"
    r = check_evidence(ctx([doc(1, "invoice", date(2026, 10, 1), "B0BQ4V7ZRE")], **ip))
    assert r.details == ("B0BQ4V7ZRE: needs letter of authorisation or licence or trademark registration",)


def test_a_condition_complaint_needs_the_same_as_authenticity_and_a_late_shipment_nothing():
    assert check_evidence(ctx(category="product_condition")).status == "fail"
    assert check_evidence(ctx(category="late_shipment_rate")).status == "pass"
    # A notice naming no ASIN: any attachment of the kinds counts.
    r = check_evidence(ctx([doc(1, "invoice", date(2026, 1, 2)), doc(2, "supplier_details", None)], asins=()))
    assert r.status == "pass" and r.details == ("the notice: invoice #1, supplier details #2",)


def test_the_checklist_reads_the_stored_attachments(demo, appeal, tmp_path):
    def evidence():
        return next(r for r in demo.check_appeal(demo.appeal(appeal.id)) if r.id == "evidence")

    assert evidence().status == "fail"
    demo.attach_file(appeal, real_file(tmp_path, "inv.pdf"), "invoice", "2026-10-01")
    assert evidence().reason == f"2 ASINs not covered: {ASIN_A}, {ASIN_B} need supplier details"
    demo.attach_file(appeal, real_file(tmp_path, "supplier.png"), "supplier_details", None, [ASIN_A, ASIN_B])
    assert evidence().status == "pass"


# --- the bundle -----------------------------------------------------------------------------------------


def test_the_bundle_holds_the_plan_the_files_named_for_upload_and_a_manifest(demo, appeal, tmp_path):
    inv = real_file(tmp_path, "Rechnung Okt (final).PDF")
    sup = real_file(tmp_path, "supplier.jpeg")
    demo.attach_file(appeal, inv, "invoice", "2026-10-01")
    demo.attach_file(appeal, sup, "supplier_details", None, [ASIN_A])
    folder, manifest = demo.write_bundle(demo.appeal(appeal.id), tmp_path / "out" / "bundle")
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["00-plan-of-action.txt", f"01-invoice-2026-10-01-{ASIN_A}-{ASIN_B}.pdf",
                     f"02-supplier-details-undated-{ASIN_A}.jpeg", "manifest.json", "manifest.txt"]
    assert (folder / names[1]).read_bytes() == inv.read_bytes()
    assert (folder / names[2]).read_bytes() == sup.read_bytes()
    assert (folder / "00-plan-of-action.txt").read_text() == demo.appeal(appeal.id).text.rstrip("\n") + "\n"
    data = json.loads((folder / "manifest.json").read_text())
    assert data == manifest
    assert data["asins"] == {ASIN_A: [names[1], names[2]], ASIN_B: [names[1]]}
    assert [f["attached_as"] for f in data["files"]] == ["Rechnung Okt (final).PDF", "supplier.jpeg"]
    assert data["evidence"]["status"] == "fail" and data["evidence"]["details"] == [f"{ASIN_B}: needs supplier details"]
    text = (folder / "manifest.txt").read_text()
    assert f"  {ASIN_B}: {names[1]}\n" in text and "Evidence check: fail: 1 ASIN not covered" in text
    assert not [p for p in (tmp_path / "out").iterdir() if p.name != "bundle"]  # no partial folder left
    assert folder.stat().st_mode & 0o007 == 0  # nothing for "other", whatever the umask and the parent


def test_a_bundle_refuses_a_folder_that_holds_anything_unless_forced(demo, appeal, tmp_path):
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    (folder / "01-my-notes.txt").write_text("mine too, though named like a bundle's file")
    with pytest.raises(StoreError, match=r"bundle: not empty \(2 files, 01-my-notes.txt, keep.txt\)"):
        demo.write_bundle(appeal, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["01-my-notes.txt", "keep.txt"]
    a = demo.attach_file(appeal, real_file(tmp_path, "inv.gif"), "invoice", "2026-10-01")
    demo.write_bundle(appeal, folder, force=True)
    demo.detach(appeal, a.id)
    demo.write_bundle(appeal, folder, force=True)  # the earlier bundle's files go, the operator's stay
    assert sorted(p.name for p in folder.iterdir()) == ["00-plan-of-action.txt", "01-my-notes.txt", "keep.txt",
                                                        "manifest.json", "manifest.txt"]
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StoreError, match="a-file: is a file, not a folder"):
        demo.write_bundle(appeal, tmp_path / "a-file")


def test_a_revised_draft_carries_the_rejected_appeals_attachments(demo, appeal, tmp_path):
    a = demo.attach_file(appeal, real_file(tmp_path, "inv.pdf"), "invoice", "2026-10-01")
    sent = demo.submit_appeal(demo.appeal(appeal.id), "contact-us", "email", None, "testing the locker")
    rejected = demo.appeal_outcome(sent, "rejected", "invoice unreadable")
    draft = demo.revise_appeal(rejected)
    carried = demo.attachments(draft)
    assert [(x.name, x.kind, x.doc_date, x.asins, x.sha256) for x in carried] == [
        (a.name, a.kind, a.doc_date, a.asins, a.sha256)]
    assert carried[0].id != a.id and locker_store.blob_count(demo.store) == 1
    row = demo.store.rows("SELECT row_id, detail FROM audit WHERE action = 'appeal.attach' ORDER BY id DESC LIMIT 1")[0]
    assert row["row_id"] == draft.id
    assert json.loads(row["detail"])["carried_from"] == {"appeal_id": appeal.id, "attachment_id": a.id}
    demo.detach(draft, carried[0].id)  # the new draft's evidence can change; the sent one's stays
    assert [x.id for x in demo.attachments(rejected)] == [a.id] and locker_store.blob_count(demo.store) == 1


def test_a_file_name_never_carries_terminal_escapes_into_the_store(demo, appeal, tmp_path):
    path = tmp_path / "inv\x1b]52;c;ZXZpbA==\x07oice\u202e.pdf"  # an OSC 52 clipboard write and a bidi override
    path.write_bytes(image_bytes("PDF"))
    a = demo.attach_file(appeal, path, "invoice", "2026-10-01")
    assert a.name == "invoice.pdf"
    assert demo.attachments(appeal)[0].name == "invoice.pdf"


def test_doctor_checks_every_stored_file_against_its_sha256(demo, appeal, tmp_path):
    import sqlite3

    demo.attach_file(appeal, real_file(tmp_path, "inv.pdf"), "invoice", "2026-10-01")
    demo.attach_file(appeal, real_file(tmp_path, "sup.png"), "supplier_details")

    def finding():
        return next(f for f in demo.doctor(demo.db_path) if f.name == "attachments")

    assert (finding().level, finding().message) == ("ok", "2 stored files (0.0 MB), each one's bytes match its SHA-256")
    raw = sqlite3.connect(demo.db_path)  # someone edits the file behind flagdesk's back
    sha = raw.execute("SELECT sha256 FROM attachment_blobs ORDER BY rowid LIMIT 1").fetchone()[0]
    raw.execute("UPDATE attachment_blobs SET content = ? WHERE sha256 = ?", (b"%PDF-tampered", sha))
    raw.commit()
    raw.close()
    f = finding()
    assert f.level == "fail" and f.message == (f"1 of 2 stored files no longer match their SHA-256 ({sha[:12]}…): "
                                               "changed outside flagdesk")
