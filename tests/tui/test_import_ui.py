"""Import, unassigned notices and account health in the console."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input

from console.core.triage import Filter
from console.ingest.pipeline import Importer
from console.tui.screens.health import HealthScreen
from console.tui.screens.imports import ImportScreen
from console.tui.screens.modals import AssignAccount
from console.tui.widgets.account_list import AccountList
from console.tui.widgets.notice_list import NoticeList

from .conftest import build

DATA = Path(__file__).parent.parent / "data"
SIZE = (120, 36)


def with_imports(desk):
    """Two accounts, an unassigned email notice, a health report for Northwind."""
    desk.add_account("Northwind", ["US", "CA"])
    desk.add_account("Brightwater", ["UK", "DE"], ["eu-ops@brightwater.example.com"])
    Importer(desk).run([DATA / "email" / "plain.eml", DATA / "email" / "forwarded.eml"])
    Importer(desk, "Northwind").run([DATA / "spapi" / "report.json", DATA / "spapi" / "status_camel.json"])
    return desk


async def test_unassigned_entry_and_filing_a_notice(desk):
    with_imports(desk)
    app = build(desk)
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.screen.query_one(AccountList)
        entry = sidebar.entries[-1]
        assert entry.unassigned and entry.label == "Unassigned" and entry.unread == 1
        sidebar.highlighted = len(sidebar.entries) - 1
        await pilot.pause()
        notices = app.screen.query_one(NoticeList)
        assert notices.total == 1 and notices.current["account"] == "Unassigned"
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, AssignAccount)
        app.screen.query_one("#save", Button).press()
        await pilot.pause()
        assert desk.count(Filter(unassigned=True)) == (0, 0)
        filed = desk.store.rows("SELECT detail FROM audit WHERE action = 'notification.assign'")
        assert len(filed) == 1
        assert not any(e.unassigned for e in app.screen.query_one(AccountList).entries)


async def test_health_mark_in_sidebar_and_health_screen(desk):
    with_imports(desk)
    app = build(desk)
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.screen.query_one(AccountList)
        northwind = next(e for e in sidebar.entries if e.label == "Northwind")
        assert northwind.health == "at_risk"
        await pilot.press("2", "h")  # Northwind is the second account
        await pilot.pause()
        assert isinstance(app.screen, HealthScreen)
        body = str(app.screen.query_one("#health-body").render())
        assert "Account Health Rating" in body and "184" in body and "late shipment rate" in body
        await pilot.press("escape")
        assert not isinstance(app.screen, HealthScreen)


async def test_import_from_the_console_shows_the_summary(demo):
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        before = demo.count(app.screen.effective_filter)[0]
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#import-path", Input).value = str(DATA / "email")
        app.screen.query_one("#run", Button).press()
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = str(app.screen.query_one("#import-summary").render())
        assert summary.startswith("imported ") and "failed" in summary
        await pilot.press("escape")
        await pilot.pause()
        assert demo.count(app.screen.effective_filter)[0] > before


def test_snapshot_unassigned_entry(snap_compare, desk):
    """The sidebar ends with a yellow 'Unassigned' entry with its red count; Northwind carries a yellow ▲
    (AHR at risk)."""
    with_imports(desk)
    assert snap_compare(build(desk), terminal_size=SIZE)


def test_snapshot_account_health_screen(snap_compare, desk):
    """Northwind's health: status and AHR 184 (at risk) in yellow, US and DE metrics per snapshot with BAD in
    red, policy counts, and the status changes from the Selling Partner API."""
    with_imports(desk)
    assert snap_compare(build(desk), press=["2", "h"], terminal_size=(120, 40))


def test_snapshot_import_summary(snap_compare, demo):
    """The import dialog after importing the email corpus: counts first, then each skipped, failed and
    warned file with its one-line reason. (The import runs before the capture, so that the picture does
    not depend on when the worker finishes; the worker path is tested above.)"""
    import os

    from console.tui.screens.imports import summary_text

    cwd = os.getcwd()
    os.chdir(Path(__file__).parent.parent.parent)
    summary = demo.import_paths([Path("tests/data/email")])

    async def run_before(pilot):
        await pilot.press("i")
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#import-path", Input).value = "tests/data/email"
        screen._done(summary_text(summary))
        await pilot.pause()

    try:
        assert snap_compare(build(demo), run_before=run_before, terminal_size=(120, 40))
    finally:
        os.chdir(cwd)


async def test_a_listing_notice_of_an_unlisted_marketplace_is_flagged_in_the_detail(desk, tmp_path):
    """A listing notice the API files in CA for an account that sells only in US: the detail pane says the
    account does not list it; once CA is added (`accounts add-marketplace`), it says nothing."""
    import json

    from console.tui.widgets.detail import DetailPane

    desk.add_account("Northwind", ["US"], seller_id="A2FLAGDESKTEST")
    doc = json.loads((DATA / "spapi" / "listings" / "v1.json").read_text())
    doc["Payload"]["MarketplaceId"] = "A2EUQ1WTGCTBG2"
    (tmp_path / "ca.json").write_text(json.dumps(doc))
    summary = desk.import_paths([tmp_path / "ca.json"])
    assert [m for _, m in summary.warnings][0].startswith("account Northwind does not list marketplace CA")
    app = build(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(DetailPane).plain
        assert "Listing suppressed from search: SKU FD-LAMP-07 (ASIN B0FDLAMP07)" in pane
        assert "Northwind · CA (not listed for the account) · new" in pane
        assert "Listing edited or suppressed" in pane
    desk.add_marketplaces("Northwind", ["CA"])
    app = build(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Northwind · CA · new" in app.screen.query_one(DetailPane).plain
