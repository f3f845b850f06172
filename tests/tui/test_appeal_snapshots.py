"""Snapshots of the appeal editor (frozen clock, demo data, 130x40). Each docstring says what you should see."""

from __future__ import annotations

from console.store import appeals as ap
from console.store.db import open_store
from console.tui.screens.appeal import AppealScreen

from .test_appeal_editor import NID, STRONG

SIZE = (130, 40)

PARTLY = """## Root cause
The listing used a supplier's photos because our team did not check them.

## Actions taken
We removed the photos.

## Preventive measures
We will be more careful.
"""


def attach_evidence(desk, appeal, folder) -> None:
    """The invoice (of 2026-10-01) and the supplier details the strong plan names, attached."""
    for name, kind, when in (("invoice.pdf", "invoice", "2026-10-01"), ("supplier.pdf", "supplier_details", None)):
        (folder / name).write_bytes(b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n")
        desk.attach_file(appeal, folder / name, kind, when)


def editor(nid=NID, text=None):
    async def run_before(pilot):
        pilot.app.push_screen(AppealScreen(nid))
        await pilot.pause()
        if text is not None:
            screen = pilot.app.screen
            screen.query_one("#appeal-text").text = text
            screen.flush()
            screen.results = screen.desk.check_appeal(screen.appeal)
            screen._render_checklist()
            await pilot.pause()
    return run_before


def test_empty_draft(snap_compare, app):
    """A new draft: only the three headings; the header shows the ASIN, complaint ID, the deadline and an
    unused Appeal button; the checklist fails root cause, actions, plan and review."""
    assert snap_compare(app, run_before=editor(), terminal_size=SIZE)


def test_partly_passing_checklist(snap_compare, app):
    """A thin draft: targeted fails (ASIN and complaint ID missing), the plan is vague, evidence missing."""
    assert snap_compare(app, run_before=editor(text=PARTLY), terminal_size=SIZE)


def test_all_passing(snap_compare, app, demo, clock, tmp_path):
    """The strong Plan of Action, its invoice and supplier details attached, reviewed by maria: every check passes,
    'Ready to submit'; evidence says the ASIN is covered."""
    appeal = demo.open_appeal(NID)
    appeal = demo.save_appeal(appeal, STRONG)
    attach_evidence(demo, appeal, tmp_path)
    maria = open_store(demo.store.path, "maria", clock, os_user="maria")
    ap.mark_reviewed(maria, appeal.id, ap.get_appeal(maria, appeal.id).revision)
    maria.close()
    assert snap_compare(app, run_before=editor(), terminal_size=SIZE)


def test_submitted_read_only_button_spent(snap_compare, app, demo):
    """Submitted through the Appeal button: the header says the button is spent by tester, the appeal is
    submitted and read-only."""
    appeal = demo.save_appeal(demo.open_appeal(NID), STRONG)
    ap.submit(demo.store, appeal.id, "appeal-button", failing=["reviewed"], override_reason="brand deadline")
    assert snap_compare(app, run_before=editor(), terminal_size=SIZE)


def test_stale_save_conflict(snap_compare, app, demo, clock):
    """maria saved first: the conflict dialog shows her text against yours as a diff, and the choices."""
    appeal = demo.open_appeal(NID)

    async def run_before(pilot):
        pilot.app.push_screen(AppealScreen(NID))
        await pilot.pause()
        maria = open_store(demo.store.path, "maria", clock, os_user="maria")
        ap.save_text(maria, appeal.id, "## Root cause\nMaria's wording of the cause.\n", appeal.version)
        maria.close()
        pilot.app.screen.query_one("#appeal-text").text = "## Root cause\nMy wording of the cause.\n"
        await pilot.press("f2")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_revision_diff(snap_compare, app, demo):
    """Revisions: three saves listed with author and size; the diff of revision 2 to 3 in colour."""
    appeal = demo.open_appeal(NID)
    appeal = demo.save_appeal(appeal, PARTLY)
    demo.save_appeal(appeal, PARTLY.replace("We will be more careful.", "- Weekly photo audit by the QA lead."))
    assert snap_compare(app, run_before=editor(), press=["f3"], terminal_size=SIZE)


PLAIN = """Dear Seller Performance Team,

This plan concerns complaint 7185520463 about ASIN B0C4FZ9QLW.

Our purchasing assistant bought 200 units from a new wholesaler in September because it was 20% cheaper. We did \
not ask for proof that it was an authorised distributor, and our sourcing checklist had no such step, so the units \
were never traced back to the brand.

We have removed the remaining 140 units from sale, refunded the 12 buyers and stopped buying from the wholesaler. \
The invoices of the brand's authorised distributor and its contact details are attached.

From now on our sourcing manager approves every new supplier only after receiving the brand's letter of \
authorisation. Every month the compliance officer reconciles units sold against invoices in our purchasing \
spreadsheet. The QA lead inspects 10 units of each inbound shipment against the brand's packaging guide.

Thank you for reviewing our plan.
"""


def test_plain_paragraphs_say_where_each_part_was_found(snap_compare, app, demo, clock, tmp_path):
    """An appeal without headings, its evidence attached, reviewed by maria: the root cause, the actions and the
    plan are found in paragraphs 3, 4 and 5, and the checklist says so ("paragraph 3: explains why..."); ready
    to submit."""
    appeal = demo.save_appeal(demo.open_appeal(NID), PLAIN)
    attach_evidence(demo, appeal, tmp_path)
    maria = open_store(demo.store.path, "maria", clock, os_user="maria")
    ap.mark_reviewed(maria, appeal.id, ap.get_appeal(maria, appeal.id).revision)
    maria.close()
    assert snap_compare(app, run_before=editor(), terminal_size=SIZE)


# Issue 12: a draft assembled from stock sentences around the demo notice's IDs (written for this test).
STOCK = """Dear Seller Performance Team,

We sincerely apologize for any inconvenience caused regarding ASIN B0C4FZ9QLW and complaint 7185520463. We value
our customers and Amazon very much and we take this matter very seriously.

## Root cause
We were not fully aware of the policy and we did not check our products carefully enough.

## Actions taken
We have reviewed our policies and made changes to our business practices to make sure this never happens again.

## Preventive measures
We will monitor our account closely and ensure that all of our products comply with Amazon policies. We will
train our staff regularly. We are committed to providing the best possible experience to Amazon customers.

We kindly ask you to reinstate our listing as soon as possible.
"""


def test_boilerplate_sentences_listed_at_80x24(snap_compare, app):
    """A draft assembled from stock sentences at 80x24, the checklist scrolled to "Not a template": it fails
    ("assembled from stock sentences: N of M"), and under it the stock sentences themselves, one per line,
    "… +N more" after six; Tone below it warns, naming the stock courtesy ("sincerely apologize"...)."""
    async def run_before(pilot):
        await editor(text=STOCK)(pilot)
        await pilot.press("shift+tab")
        body = pilot.app.screen.query_one("#checklist")
        lines = str(pilot.app.screen.query_one("#checklist-body").render()).split("\n")
        row = next(i for i, line in enumerate(lines) if "Not a template" in line)
        body.scroll_to(y=row, animate=False)
        await pilot.pause()
    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
