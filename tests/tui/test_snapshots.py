"""Snapshots of every screen: frozen clock (2026-11-27 08:00 UTC), the demo data, fixed terminal sizes.

Each docstring says what you should see in the SVG.
"""

from __future__ import annotations

from console.tui.screens.paste import PasteScreen

from .conftest import build

PASTED = """Subject: Notice: Received Intellectual Property Complaint (Trademark)

Hello,

We received a report from Acme Brands Ltd. that the listings below infringe their trademark.
We have removed the listing under our Intellectual Property Policy. Send a plan of action within 17 days.

ASIN: B0DEMO1234
SKU: STEEL-750-BLK
Complaint ID: 5550001112
"""


def test_inbox_all_accounts_80x24(snap_compare, app):
    """The flag with 18 unread in red and 3 overdue; the list starts with the overdue critical UK notice;
    80x24 drops the received column and hides the sidebar by itself (under 90 columns), the subject keeping
    40+ characters; the footer compact with ? Help whole."""
    assert snap_compare(app, terminal_size=(80, 24))


def test_inbox_all_accounts_160x48(snap_compare, app):
    """At 160x48 the list shows account, category, received and deadline columns; the detail pane below
    shows the cursor's notice with its extracted fields."""
    assert snap_compare(app, terminal_size=(160, 48))


def test_inbox_one_account(snap_compare, app):
    """Key 4: only Northwind Home's notices, the account column gone, the flag bar says Northwind Home."""
    assert snap_compare(app, press=["4"], terminal_size=(120, 36))


def test_inbox_detail_open(snap_compare, app):
    """Enter on the second row: it is read now (no dot, 17 unread) and shown in the detail pane, while the
    list keeps the focus: ▶ before its header, its cursor row lit, the detail's border thin."""
    assert snap_compare(app, press=["j", "enter"], terminal_size=(120, 36))


def test_inbox_filter_with_results(snap_compare, app):
    """/trademark: the four trademark notices, the filter box shows the query."""
    assert snap_compare(app, press=["slash", *"trademark", "enter"], terminal_size=(120, 36))


def test_inbox_filter_with_none(snap_compare, app):
    """/zzzzz: nothing matches, and the screen says how to clear the filter."""
    assert snap_compare(app, press=["slash", *"zzzzz", "enter"], terminal_size=(120, 36))


def test_inbox_empty_database(snap_compare, desk):
    """First run: no accounts, the inbox explains how to add one and paste a notice."""
    assert snap_compare(build(desk), terminal_size=(100, 30))


def test_help(snap_compare, app):
    """? lists the keys in force with what each does, then the filter language."""
    assert snap_compare(app, press=["question_mark"], terminal_size=(100, 40))


def test_close_dialog(snap_compare, app):
    """e asks whether the notice is resolved or dismissed."""
    assert snap_compare(app, press=["e"], terminal_size=(100, 30))


def test_paste_form_with_extracted_fields(snap_compare, app):
    """The pasted trademark notice on the left; on the right the fields flagdesk read: IP complaint, high,
    the ASIN, SKU, complaint ID, policy and a deadline 17 days after receipt."""

    async def paste(pilot):
        await pilot.press("p")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, PasteScreen)
        screen.query_one("#notice-text").text = PASTED
        screen.refresh_fields()
        await pilot.pause()

    assert snap_compare(app, run_before=paste, terminal_size=(120, 40))


def test_add_account_dialog(snap_compare, desk):
    """A on an empty database: the add-account dialog with name, marketplaces and addresses."""
    assert snap_compare(build(desk), press=["A", *"Northwind"], terminal_size=(100, 30))
